"""Support tickets as use cases, each taking the acting account's id and checking what that
account may do: the chat flows and the web operator console call these same functions. They
hand back read models (`TicketCard`, `TicketView`), never the rows, which stay in core.

Who is an operator is decided in one place, `can_handle_support` (for now: an administrator
named in settings or holding the admin role); a finer set of roles plugs in there. A stranger
asking for a ticket that is not theirs learns nothing: it does not exist for them.

Each use case asks only the support desk (`core.support.desk.Desk`): given the unit of work it
works on the database (`SqlDesk`); given a desk, on that one (the tests' in-memory desk), so its
rules are tested without a database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.process.model import SYSTEM
from core.process.tickets import ASKER, NOT_CLOSED, OPERATOR, TICKET_PROCESS
from core.storage.uow import UnitOfWork
from core.support.context import TicketContext
from core.support.desk import Desk, NewTicket, desk_of
from core.support.events import TicketMessagePosted, TicketMoved, TicketOpened
from core.support.rules import (
    asker_writes,
    check_may_open,
    check_question,
    check_stars,
    check_unrated,
    checked,
    first_answer_due,
)
from core.support.views import TicketCard, TicketView, view

# --- who may handle tickets ------------------------------------------------------------------


async def can_handle_support(uow: UnitOfWork | Desk, account_id: int | None) -> bool:
    """Whether this account may read and answer other people's tickets: an operator with the
    support role, or an admin (core.operators.roles decides for every operator action)."""
    return await desk_of(uow).can_handle_support(account_id)


async def operator_ids(uow: UnitOfWork) -> list[int]:
    """The accounts told of new tickets and breached deadlines: exactly those who may answer."""
    return await desk_of(uow).operator_ids()


def answer_within(uow: UnitOfWork | Desk) -> timedelta:
    """How long an operator's first answer may take, as the asker is told on opening."""
    return desk_of(uow).sla()


async def require_operator(uow: UnitOfWork | Desk, account_id: int | None) -> None:
    if not await can_handle_support(uow, account_id):
        raise NotAllowed(_("That is for Agora's support operators."))


# --- the asker's side -------------------------------------------------------------------------


async def open_ticket(uow: UnitOfWork | Desk, account_id: int | None, question: str,
                      context: TicketContext | dict[str, Any] | None = None,
                      channel: str = "") -> TicketCard:
    """Open a ticket with the person's question and where they asked it from; operators are
    told, and an operator's first answer is due within the SLA (`Policy.support_sla`)."""
    desk = desk_of(uow)
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    text = check_question(question)
    check_may_open(await desk.waiting(account_id))
    if not isinstance(context, TicketContext):
        context = TicketContext.from_json(context)
    now = desk.now()
    ticket = await desk.open(NewTicket(
        account_id=account_id, question=text, channel=(channel or "")[:16], context=context,
        first_answer_due_at=first_answer_due(now, desk.sla()), created_at=now))
    desk.emit(TicketOpened(ticket.id))
    return ticket


async def user_reply(uow: UnitOfWork | Desk, account_id: int | None, ticket_id: int,
                     text: str) -> int:
    """The asker writes on their ticket: an answer to an operator, or a detail added while
    it waits; the operators hear of it. The new message's id."""
    desk = desk_of(uow)
    ticket = await _ticket(desk, ticket_id, account_id)
    if await _role(desk, ticket, account_id) != ASKER:
        raise NotAllowed(_("Only the person who asked writes here; reply as an operator instead."))
    transition = asker_writes(ticket.status)
    text = checked(text)
    await _take(desk, ticket, transition, account_id, ASKER)
    message_id = await desk.post(ticket.id, account_id, ASKER, text)
    desk.emit(TicketMessagePosted(ticket.id, message_id, ASKER))
    return message_id


async def rate(uow: UnitOfWork | Desk, account_id: int | None, ticket_id: int,
               stars: int) -> TicketCard:
    """The asker rates the answer of a closed ticket, 1 to 5 stars (once)."""
    desk = desk_of(uow)
    check_stars(stars)
    ticket = await _ticket(desk, ticket_id, account_id)
    check_unrated(ticket.rating)
    return await _take(desk, ticket, "rate", account_id, await _role(desk, ticket, account_id),
                       {"rating": stars, "rated_at": desk.now()}, unrated=True)


async def tickets_of(uow: UnitOfWork | Desk, account_id: int | None, limit: int = 20
                     ) -> list[TicketCard]:
    """A person's own tickets, newest first: their support history."""
    if account_id is None:
        return []
    return await desk_of(uow).mine(account_id, limit)


# --- the operators' side ----------------------------------------------------------------------


async def tickets_for_operator(uow: UnitOfWork | Desk, operator_id: int | None,
                               status: str | None = None, limit: int = 100
                               ) -> list[TicketCard]:
    """The operators' queue: tickets in `status`, or every ticket not closed; those waiting for
    an operator first, each group by its first-answer deadline (the oldest first)."""
    desk = desk_of(uow)
    await require_operator(desk, operator_id)
    if status is not None and status not in TICKET_PROCESS.states:
        raise DomainError(_("There is no ticket status {status}.", status=repr(status[:30])))
    return await desk.queue((status,) if status else NOT_CLOSED, limit)


async def operator_reply(uow: UnitOfWork | Desk, operator_id: int | None, ticket_id: int,
                         text: str) -> int:
    """An operator answers; the asker hears it on the channel they asked from. The first
    answer stops the SLA clock. The new message's id."""
    desk = desk_of(uow)
    ticket = await _ticket(desk, ticket_id, operator_id)
    if await _role(desk, ticket, operator_id) != OPERATOR:
        raise NotAllowed(_("You can't answer your own ticket as an operator."))
    assert operator_id is not None  # the system has no role of operator
    text = checked(text)
    first = {"first_answered_at": desk.now()} if ticket.first_answered_at is None else {}
    await _take(desk, ticket, "operator-reply", operator_id, OPERATOR, first)
    message_id = await desk.post(ticket.id, operator_id, OPERATOR, text)
    await desk.audit(operator_id, "ticket-answered", f"ticket:{ticket.id}")
    desk.emit(TicketMessagePosted(ticket.id, message_id, OPERATOR))
    return message_id


# --- either side ------------------------------------------------------------------------------


async def close(uow: UnitOfWork | Desk, actor_id: int | None, ticket_id: int) -> TicketCard:
    """The asker or an operator closes the ticket; the asker is then asked to rate it."""
    desk = desk_of(uow)
    ticket = await _ticket(desk, ticket_id, actor_id)
    now, role = desk.now(), await _role(desk, ticket, actor_id)
    if role == OPERATOR and actor_id is not None:
        await desk.audit(actor_id, "ticket-closed", f"ticket:{ticket.id}")
    return await _take(desk, ticket, "close", actor_id, role,
                       {"closed_at": now, "closed_by": actor_id})


async def reopen(uow: UnitOfWork | Desk, actor_id: int | None, ticket_id: int) -> TicketCard:
    """The asker or an operator reopens a closed ticket; it waits for an operator again."""
    desk = desk_of(uow)
    ticket = await _ticket(desk, ticket_id, actor_id)
    role = await _role(desk, ticket, actor_id)
    if role == OPERATOR and actor_id is not None:
        await desk.audit(actor_id, "ticket-reopened", f"ticket:{ticket.id}")
    return await _take(desk, ticket, "reopen", actor_id, role,
                       {"closed_at": None, "closed_by": None})


async def ticket_view(uow: UnitOfWork | Desk, actor_id: int | None, ticket_id: int
                      ) -> TicketView:
    """A ticket with its thread, its context and what the reader may do next — for the asker
    and operators; NotFound for anyone else."""
    desk = desk_of(uow)
    ticket = await _ticket(desk, ticket_id, actor_id)
    role = await _role(desk, ticket, actor_id)
    assert role is not None  # `_ticket` refuses anyone without one
    messages = await desk.thread(ticket.id)
    names = await desk.names({ticket.account_id, *(m.author_id for m in messages if m.author_id)})
    return view(ticket, role, messages, names)


# --- helpers ----------------------------------------------------------------------------------


async def _ticket(desk: Desk, ticket_id: int, actor_id: int | None) -> TicketCard:
    """The ticket, for its asker, operators and the system only."""
    ticket = await desk.get(ticket_id)
    if ticket is None or await _role(desk, ticket, actor_id) is None:
        raise NotFound(_("That ticket doesn't exist."))
    return ticket


async def _role(desk: Desk, ticket: TicketCard, actor_id: int | None) -> str | None:
    """asker, operator, system (no actor) — or None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == ticket.account_id:
        return ASKER
    return OPERATOR if await desk.can_handle_support(actor_id) else None


async def _take(desk: Desk, ticket: TicketCard, transition: str, actor_id: int | None,
                role: str | None, changes: dict[str, Any] | None = None,
                unrated: bool = False) -> TicketCard:
    """Take `transition` by the declaration, only if the ticket is still where it was read
    (two operators closing at once close it once; the desk swaps the states' timers)."""
    TICKET_PROCESS.check(transition, ticket.status, role)
    source = ticket.status
    target = TICKET_PROCESS.target_from(transition, source)
    moved = await desk.move(ticket.id, source, target, changes or {}, unrated=unrated)
    if moved is None:
        raise Conflict(_("That ticket changed a moment ago; look at it again."))
    desk.emit(TicketMoved(ticket.id, transition, source, target, actor_id))
    return moved


async def escalate(uow: UnitOfWork | Desk, ticket_id: int) -> bool:
    """The system's step when the first-answer deadline passes: marks the ticket escalated
    (every admin is told by the notice); False when it was answered or closed meanwhile."""
    desk = desk_of(uow)
    ticket = await desk.get(ticket_id, fresh=True)
    if ticket is None or ticket.status not in TICKET_PROCESS.transition("escalate").sources:
        return False
    await _take(desk, ticket, "escalate", None, SYSTEM, {"escalated_at": desk.now()})
    return True
