"""Who is calling: `Authorization: Bearer <key>`, found afresh on every request
(core.companies.api_keys.holder: one indexed query, nothing cached, so a revoked key is
refused from its next request) in the request's one unit of work, counted against the key's
rate limit, and checked for the scope the route needs. The colleague the key acts as is then
the reader: core's sentences in the answer are in their language."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bots.api.limits import KeyLimits
from bots.api.problems import ApiProblem
from bots.http_limits import ASGIApp, Message, Receive, Scope, Send
from bots.web.deps import ContainerDep
from core.companies import api_key_rules as key_rules
from core.companies.api_keys import KeyHolder, holder, note_use
from core.i18n import _
from core.money.reading import read_for
from core.storage.uow import UnitOfWork

# Read by FastAPI's own scheme, so the OpenAPI document and /docs' "Authorize" know it.
BEARER = HTTPBearer(auto_error=False, bearerFormat="agora_<lookup>_<secret>",
                    description="An API key a company admin made with /apikeys.")
Presented = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


def local_now(key: KeyHolder, now: datetime) -> datetime:
    """The moment in the key's colleague's zone (their “today” for a form's dates)."""
    return now.astimezone(ZoneInfo(key.timezone))


def key_limits(request: Request) -> KeyLimits:
    limits: KeyLimits = request.app.state.key_limits
    return limits


async def _holder(request: Request, container: ContainerDep, presented: Presented
                  ) -> AsyncIterator[KeyHolder]:
    """The key's colleague, read in the unit of work the route then works in (`KeyUow`): one
    transaction per request, where one more only to find the key cost a request a good part of
    its time (bench/api.py: on SQLite a transaction takes its turn, and each statement is a trip
    to aiosqlite's thread). Its use is noted, once a minute, in a transaction committed before
    the route's begins. Closed as the route returns, before the answer is sent (`scope`)."""
    async with container.uow() as uow:
        found = await holder(uow, presented.credentials if presented is not None else "")
        if found is None:
            raise ApiProblem("unauthenticated", _("Send a valid, unrevoked API key as "
                                                  "`Authorization: Bearer <key>`."),
                             headers={"WWW-Authenticate": 'Bearer realm="agora"'})
        if found.used_long_ago(container.clock.now()):
            await note_use(uow, found.key_id)
            await uow.commit()  # its own short transaction; the route's begins after
        verdict = await key_limits(request).take(found.key_id)
        if not verdict.allowed:
            raise ApiProblem("rate_limited", _("This key made too many requests; retry after "
                                               "Retry-After seconds."), headers=verdict.headers())
        request.state.rate_limit = verdict.headers()  # on the answer, whatever it is
        request.state.uow = uow
        read_for(found)
        yield found


Found = Annotated[KeyHolder, Depends(_holder, scope="function")]


async def _uow(request: Request, found: Found) -> UnitOfWork:
    """The unit of work the caller's key was read in; the route commits it when it writes."""
    uow: UnitOfWork = request.state.uow
    return uow


def needs(scope: str) -> Callable[..., Awaitable[KeyHolder]]:
    """A dependency: the caller's key, which must hold `scope`."""
    assert scope in key_rules.SCOPES

    async def holding(found: Found) -> KeyHolder:
        if not found.may(scope):
            raise ApiProblem("insufficient_scope", _(
                "This key lacks the `{scope}` scope; an admin can make one that has it.",
                scope=scope))
        return found

    return holding


KeyUow = Annotated[UnitOfWork, Depends(_uow)]
Reader = Annotated[KeyHolder, Depends(needs(key_rules.READ))]
Trader = Annotated[KeyHolder, Depends(needs(key_rules.TRADE))]
Clerk = Annotated[KeyHolder, Depends(needs(key_rules.DOCUMENTS))]


class RateHeaders:
    """ASGI middleware: the key's rate limit headers on every answer to it — a model, a file,
    an error alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            found = (scope.get("state") or {}).get("rate_limit")
            if message["type"] == "http.response.start" and found:
                known = {k.lower() for k, __ in message.get("headers") or []}
                extra = [(k.lower().encode(), v.encode()) for k, v in found.items()
                         if k.lower().encode() not in known]
                message = {**message, "headers": [*(message.get("headers") or []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
