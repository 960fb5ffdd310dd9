"""What every console page shares: rendering with the operator and the nav, reading forms,
ids from paths, and the messages shown after an action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bots.web.console.auth import Operator
from bots.web.deps import get_container
from bots.web.pages import render
from conversations.sanitise import clean_text
from core.errors import DomainError
from core.ids import parse_id
from core.storage.uow import UnitOfWork

# The console's sections: (path, label, the action that opens it).
SECTIONS = (
    ("/admin", "Dashboard", "view_dashboard"),
    ("/admin/moderation", "Moderation", "moderate"),
    ("/admin/disputes", "Disputes", "view_deals"),
    ("/admin/requests", "Requests", "view_deals"),
    ("/admin/tickets", "Tickets", "handle_support"),
    ("/admin/users", "Users", "view_users"),
    ("/admin/payments", "Payments", "view_payments"),
    ("/admin/companies", "Companies", "approve_terms"),
    ("/admin/promotions", "Promotions", "view_promotions"),
    ("/admin/learning", "Library and events", "publish_learning"),
    ("/admin/audit", "Audit log", "view_audit"),
    ("/admin/roles", "Roles", "grant_roles"),
)

DONE = {  # fixed texts shown after an action (never text from the request)
    "approved": "The listing is published; the seller is told.",
    "rejected": "The listing went back to its seller with your reason.",
    "asked": "Your question was sent; the answer reaches the admins in chat.",
    "decided": "Decided: the money moves and both parties are told with your reasons.",
    "suspended": "The account is suspended; the person is told why.",
    "restored": "The account is restored; the person is told.",
    "granted": "The role is granted.",
    "revoked": "The role is taken away.",
    "terms-approved": "The company may pay on terms; its admins and finance are told.",
    "terms-withdrawn": "Payment on terms is withdrawn; the company is told.",
    "request-cancelled": "The request is cancelled: its open quotes are declined, everyone told.",
    "answered": "Your answer was sent to the person on their own channel.",
    "closed": "The ticket is closed; the person is asked to rate the answer.",
    "reopened": "The ticket is open again.",
    "published": "Published in the library: /learn shows it in chat.",
    "scheduled": "Published on the calendar: /events shows it; people answer there.",
    "recorded": "The recording is added; the registrants are told.",
    "webhook-resent": "Queued again: sent within a few seconds, with the same event id.",
    "key-revoked": "The API key is revoked: it is refused from its next request.",
}


def nav(operator: Operator) -> list[tuple[str, str]]:
    return [(path, label) for path, label, action in SECTIONS if operator.may(action)]


def page(request: Request, operator: Operator, template: str, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """A console page: no caching, no framing, the operator and their nav in the context."""
    done = DONE.get(request.query_params.get("done", ""))
    return render(request, template, status_code=status_code, headers=SECURITY_HEADERS,
                  operator=operator, nav=nav(operator), done=done, **context)


SECURITY_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                    "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def done(path: str, what: str) -> RedirectResponse:
    """After a successful POST: back to a page (303), which says what happened."""
    return RedirectResponse(f"{path}?done={what}", status_code=303)


async def field(request: Request, name: str, limit: int = 2000) -> str:
    """One form field as clean text (the form was read once by the CSRF check)."""
    form = await request.form()
    return clean_text(form.get(name), limit).strip()


def id_of(text: str) -> int | None:
    return parse_id(text)



async def attempt(request: Request, action: Callable[[UnitOfWork], Awaitable[Any]]
                  ) -> DomainError | None:
    """Run one operator action in its own transaction and commit it; the rule it broke (a
    `NotFound` included, for the caller's 404), or None when it was done."""
    async with get_container(request).uow() as uow:
        try:
            await action(uow)
            await uow.commit()
        except DomainError as exc:
            return exc
    return None
