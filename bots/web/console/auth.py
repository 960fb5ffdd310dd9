"""Who is at the console: a signed session cookie, the operator's roles, and CSRF tokens.

The cookie carries a random session token signed with the settings' key (itsdangerous); the
database keeps only the token's hash, so signing out ends the session even if the cookie is
kept. The CSRF token is an HMAC of the session token: every form carries it in a hidden field
and every POST is refused without it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer

from bots.web.deps import get_container
from core.accounts.tables import Account
from core.operators import signin
from core.operators.roles import roles_of
from core.operators.rules import may
from core.storage.uow import UnitOfWork

COOKIE = "agora_console"


class Refused(Exception):
    """Not signed in, or not allowed: answered with a 403 page."""

    def __init__(self, message: str = "This page is for Agora's operators.") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Operator:
    account_id: int
    name: str
    roles: frozenset[str]
    session: str
    csrf: str

    def may(self, action: str) -> bool:
        return may(self.roles, action)


@asynccontextmanager
async def reading(request: Request) -> AsyncIterator[UnitOfWork]:
    """A unit of work for reading a page: what it loaded stays readable after it closes (the
    rows are detached before the rollback that ends it would expire them)."""
    async with get_container(request).uow() as uow:
        try:
            yield uow
        finally:
            uow.session.expunge_all()


def _serializer(request: Request) -> URLSafeSerializer:
    key = get_container(request).settings.signing_key
    return URLSafeSerializer(key, salt="agora-console-session")


def csrf_for(request: Request, session: str) -> str:
    key = get_container(request).settings.signing_key.encode()
    return hmac.new(key, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()


def set_session_cookie(request: Request, response: object, session: str) -> None:
    settings = get_container(request).settings
    response.set_cookie(  # type: ignore[attr-defined]
        COOKIE, _serializer(request).dumps(session), httponly=True, samesite="lax",
        secure=settings.public_url.startswith("https://"), path="/admin",
        max_age=settings.console_session_hours * 3600)


def clear_session_cookie(response: object) -> None:
    response.delete_cookie(COOKIE, path="/admin")  # type: ignore[attr-defined]


def session_token(request: Request) -> str | None:
    """The session token from a correctly signed cookie, else None."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 500:
        return None
    try:
        token = _serializer(request).loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


async def operator_of(request: Request) -> Operator | None:
    """The signed-in operator, or None (no cookie, a bad one, an ended session, no role)."""
    session = session_token(request)
    if session is None:
        return None
    async with reading(request) as uow:
        account_id = await signin.session_account(uow, session)
        roles = await roles_of(uow, account_id)
        account = await uow.get(Account, account_id) if roles else None
    if account is None or account_id is None:
        return None
    return Operator(account_id, account.display_name, roles, session, csrf_for(request, session))


def need(action: str) -> Callable[[Request], Awaitable[Operator]]:
    """A route dependency: the operator, when they may take `action` (and, on a POST, the form
    carries their CSRF token); otherwise `Refused`."""

    async def check(request: Request) -> Operator:
        operator = await operator_of(request)
        if operator is None:
            raise Refused("Please sign in: type /console in your Agora chat for a link.")
        if not operator.may(action):
            raise Refused("Your console role doesn't cover this page.")
        if request.method == "POST":
            form = await request.form()
            sent = str(form.get("csrf") or "")
            if not hmac.compare_digest(sent.encode(), operator.csrf.encode()):
                raise Refused("This form has expired. Go back, reload the page and try again.")
        return operator

    return check


def _as(action: str) -> Any:
    return Annotated[Operator, Depends(need(action))]


# Route parameters: `operator: Moderator` lets in operators who may moderate, and no one else.
Viewer = _as("view_dashboard")
Moderator = _as("moderate")
DealViewer = _as("view_deals")
Asker = _as("ask_party")
Decider = _as("decide_disputes")
UserViewer = _as("view_users")
Suspender = _as("suspend_users")
FinanceViewer = _as("view_payments")
TermsApprover = _as("approve_terms")
PromotionViewer = _as("view_promotions")
Auditor = _as("view_audit")
RoleGranter = _as("grant_roles")
Supporter = _as("handle_support")
Publisher = _as("publish_learning")
KeyKeeper = _as("manage_api_keys")
