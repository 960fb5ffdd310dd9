"""A company's receiver of webhooks, served for real on 127.0.0.1 by the test: it checks each
request's `Agora-Signature` with the secret it was given (core.webhooks.rules.verify, as
docs/webhooks.md shows a receiver doing), answers 400 to a bad one, and otherwise the statuses
it was scripted with (then 200), each after `delay` seconds; it keeps what it was sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from core.companies import service as companies
from core.webhooks import rules
from core.webhooks import service as webhooks
from tests.support.servers import serve


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    now: Callable[[], int]  # the receiver's clock, Unix seconds
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    got: list[Received] = field(default_factory=list)
    url: str = ""

    async def _hook(self, request: Request) -> PlainTextResponse:
        body = await request.body()
        verified = rules.verify(self.secret, request.headers.get(rules.SIGNATURE_HEADER, ""),
                                body, self.now())
        self.got.append(Received(dict(request.headers), body, verified))
        if self.delay:
            await asyncio.sleep(self.delay)
        if not verified:
            return PlainTextResponse("bad signature", status_code=400)
        return PlainTextResponse("thanks", status_code=self.answers.pop(0) if self.answers else 200)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hooks", self._hook, methods=["POST"])])


@asynccontextmanager
async def receiving(clock: Any, **script: Any) -> AsyncIterator[Receiver]:
    """A receiver served on 127.0.0.1 for the block; its clock is the application's."""
    receiver = Receiver(lambda: int(clock.now().timestamp()), **script)
    async with serve(receiver.app()) as base:
        receiver.url = f"{base}/hooks"
        yield receiver


async def company_endpoint(app: Any, admin_id: int, receiver: Receiver,
                           types: list[str]) -> int:
    """`admin_id` sets up a company and registers the receiver for `types`; the receiver
    learns the secret shown. The endpoint's id."""
    async with app.uow() as uow:
        await companies.found(uow, admin_id, "Sam Pellets SIA")
        made = await webhooks.register(uow, admin_id, app.engine.services.webhooks,
                                       receiver.url, types)
        await uow.commit()
    receiver.secret = made.secret
    return made.endpoint.id
