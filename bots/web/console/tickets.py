"""Console support tickets: the queue, a ticket with its context and thread, and the
operator's answer, close and reopen — the same core services as the chat's /tickets desk
(core.support.service), so an answer reaches the person on their own channel either way."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import Operator, Supporter, reading
from bots.web.console.pages import attempt, done, field, id_of, page
from core.errors import NotFound
from core.process.tickets import NOT_CLOSED, OPERATOR_LABELS
from core.support import service

FILTERS = {"": "Waiting", "open": "New", "waiting_for_operator": "Answered back",
           "answered": "Answered", "closed": "Closed"}
ACTIONS = {"close": (service.close, "closed"), "reopen": (service.reopen, "reopened")}


router = APIRouter()


@router.get("/tickets", response_class=HTMLResponse)
async def queue(request: Request, operator: Supporter) -> HTMLResponse:
    wanted = request.query_params.get("status", "")
    status = wanted if wanted in FILTERS else ""
    async with reading(request) as uow:
        found = await service.tickets_for_operator(uow, operator.account_id, status or None)
    return page(request, operator, "admin/tickets.html", tickets=found, filters=FILTERS,
                status=status, labels=OPERATOR_LABELS, waiting=NOT_CLOSED)


@router.get("/tickets/{ticket}", response_class=HTMLResponse)
async def ticket_page(request: Request, ticket: str, operator: Supporter) -> HTMLResponse:
    return await _ticket(request, operator, id_of(ticket))


@router.post("/tickets/{ticket}/reply")
async def reply(request: Request, ticket: str, operator: Supporter) -> Response:
    number, text = id_of(ticket), await field(request, "text", 4000)
    if number is None:
        return _missing(request, operator)
    return await _act(request, operator, number, "answered", text, lambda uow: (
        service.operator_reply(uow, operator.account_id, number, text)))


@router.post("/tickets/{ticket}/{verb}")
async def move(request: Request, ticket: str, verb: str, operator: Supporter) -> Response:
    number = id_of(ticket)
    if verb not in ACTIONS or number is None:
        return _missing(request, operator)
    action, what = ACTIONS[verb]
    return await _act(request, operator, number, what, "", lambda uow: (
        action(uow, operator.account_id, number)))


def _missing(request: Request, operator: Operator) -> HTMLResponse:
    return page(request, operator, "admin/missing.html", status_code=404,
                message="There is no such ticket.")


async def _act(request: Request, operator: Operator, number: int | None, what: str, text: str,
               action: object) -> Response:
    """One ticket action in its own transaction; a broken rule re-renders the ticket with the
    error next to the answer box, keeping what was typed."""
    if number is None:
        return _missing(request, operator)
    failed = await attempt(request, action)  # type: ignore[arg-type]
    if failed is None:
        return done(f"/admin/tickets/{number}", what)
    if isinstance(failed, NotFound):
        return _missing(request, operator)
    return await _ticket(request, operator, number, {"text": str(failed)}, text)


async def _ticket(request: Request, operator: Operator, number: int | None,
                  errors: dict[str, str] | None = None, text: str = "") -> HTMLResponse:
    if number is None:
        return _missing(request, operator)
    async with reading(request) as uow:
        try:
            ticket = await service.ticket_view(uow, operator.account_id, number)
        except NotFound:
            return _missing(request, operator)
    return page(request, operator, "admin/ticket.html", status_code=400 if errors else 200,
                view=ticket, labels=OPERATOR_LABELS, errors=errors or {}, text=text)
