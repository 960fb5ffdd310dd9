"""Support tickets as use cases, each taking the acting account's id and checking what that
account may do: the chat flows and the web operator console call these same functions. They
hand back read models (`TicketCard`, `TicketView`), never the rows, which stay in core.

Who is an operator is decided in one place, `can_handle_support` (for now: an administrator
named in settings or holding the admin role); a finer set of roles plugs in there. A stranger
asking for a ticket that is not theirs learns nothing: it does not exist for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.operators import audit, roles
from core.process import timers
from core.process.model import SYSTEM
from core.process.tickets import ASKER, NOT_CLOSED, OPERATOR, TICKET_PROCESS
from core.storage.uow import UnitOfWork
from core.support.context import TicketContext
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
from core.support.tables import SupportMessage, SupportTicket
from core.support.views import TicketCard, TicketView, ticket_card, view

_QUEUE_ORDER = case({"open": 0, "waiting_for_operator": 1, "answered": 2}, value=SupportTicket.status,
                    else_=3)


# --- who may handle tickets ------------------------------------------------------------------


async def can_handle_support(uow: UnitOfWork, account_id: int | None) -> bool:
    """Whether this account may read and answer other people's tickets: an operator with the
    support role, or an admin (core.operators.roles decides for every operator action)."""
    return await roles.can_handle_support(uow, account_id)


async def operator_ids(uow: UnitOfWork) -> list[int]:
    """The accounts told of new tickets and breached deadlines: exactly those who may answer."""
    return await roles.holders(uow, "handle_support")


async def require_operator(uow: UnitOfWork, account_id: int | None) -> None:
    if not await can_handle_support(uow, account_id):
        raise NotAllowed(_("That is for Agora's support operators."))


# --- the asker's side -------------------------------------------------------------------------


async def open_ticket(uow: UnitOfWork, account_id: int | None, question: str,
                      context: TicketContext | dict[str, Any] | None = None,
                      channel: str = "") -> TicketCard:
    """Open a ticket with the person's question and where they asked it from; operators are
    told, and an operator's first answer is due within the SLA (`Policy.support_sla`)."""
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    text = check_question(question)
    waiting = (await uow.session.execute(select(func.count()).select_from(SupportTicket).where(
        SupportTicket.account_id == account_id,
        SupportTicket.status.in_(NOT_CLOSED)))).scalar_one()
    check_may_open(waiting)
    if not isinstance(context, TicketContext):
        context = TicketContext.from_json(context)
    now = uow.clock.now()
    ticket = SupportTicket(account_id=account_id, status=TICKET_PROCESS.initial, question=text,
                           channel=(channel or "")[:16], context=context.as_json(),
                           first_answer_due_at=first_answer_due(now, uow.policy.support_sla),
                           created_at=now, updated_at=now)
    await uow.insert(ticket)
    uow.add(SupportMessage(ticket_id=ticket.id, author_id=account_id, author_role=ASKER,
                           text=text, created_at=now))
    timers.start(uow, TICKET_PROCESS, ticket.id, ticket.status,
                 due={"escalate": ticket.first_answer_due_at})
    uow.emit(TicketOpened(ticket.id))
    return ticket_card(ticket)


async def user_reply(uow: UnitOfWork, account_id: int | None, ticket_id: int,
                     text: str) -> int:
    """The asker writes on their ticket: an answer to an operator, or a detail added while
    it waits; the operators hear of it. The new message's id."""
    ticket = await _ticket(uow, ticket_id, account_id)
    if await _role(uow, ticket, account_id) != ASKER:
        raise NotAllowed(_("Only the person who asked writes here; reply as an operator instead."))
    transition = asker_writes(ticket.status)
    text = checked(text)
    await _take(uow, ticket, transition, account_id, ASKER)
    message = _message(uow, ticket, account_id, ASKER, text)
    await uow.session.flush()
    uow.emit(TicketMessagePosted(ticket.id, message.id, ASKER))
    return message.id


async def rate(uow: UnitOfWork, account_id: int | None, ticket_id: int, stars: int) -> TicketCard:
    """The asker rates the answer of a closed ticket, 1 to 5 stars (once)."""
    check_stars(stars)
    ticket = await _ticket(uow, ticket_id, account_id)
    check_unrated(ticket.rating)
    now = uow.clock.now()
    return ticket_card(await _take(uow, ticket, "rate", account_id,
                                   await _role(uow, ticket, account_id),
                                   {"rating": stars, "rated_at": now},
                                   extra_guard=SupportTicket.rating.is_(None)))


async def tickets_of(uow: UnitOfWork, account_id: int | None, limit: int = 20
                     ) -> list[TicketCard]:
    """A person's own tickets, newest first: their support history."""
    if account_id is None:
        return []
    return [ticket_card(t) for t in (await uow.session.execute(select(SupportTicket).where(
        SupportTicket.account_id == account_id).order_by(SupportTicket.id.desc()).limit(limit)
    )).scalars()]


# --- the operators' side ----------------------------------------------------------------------


async def tickets_for_operator(uow: UnitOfWork, operator_id: int | None,
                               status: str | None = None, limit: int = 100
                               ) -> list[TicketCard]:
    """The operators' queue: tickets in `status`, or every ticket not closed; those waiting for
    an operator first, each group by its first-answer deadline (the oldest first)."""
    await require_operator(uow, operator_id)
    if status is not None and status not in TICKET_PROCESS.states:
        raise DomainError(_("There is no ticket status {status}.", status=repr(status[:30])))
    wanted = (status,) if status else NOT_CLOSED
    return [ticket_card(t) for t in (await uow.session.execute(select(SupportTicket).where(
        SupportTicket.status.in_(wanted)).order_by(
        _QUEUE_ORDER, SupportTicket.first_answer_due_at, SupportTicket.id).limit(limit)
    )).scalars()]


async def operator_reply(uow: UnitOfWork, operator_id: int | None, ticket_id: int,
                         text: str) -> int:
    """An operator answers; the asker hears it on the channel they asked from. The first
    answer stops the SLA clock. The new message's id."""
    ticket = await _ticket(uow, ticket_id, operator_id)
    if await _role(uow, ticket, operator_id) != OPERATOR:
        raise NotAllowed(_("You can't answer your own ticket as an operator."))
    text = checked(text)
    first = {"first_answered_at": uow.clock.now()} if ticket.first_answered_at is None else {}
    await _take(uow, ticket, "operator-reply", operator_id, OPERATOR, first)
    message = _message(uow, ticket, operator_id, OPERATOR, text)
    await uow.session.flush()
    await audit.record(uow, operator_id, "ticket-answered", f"ticket:{ticket.id}")
    uow.emit(TicketMessagePosted(ticket.id, message.id, OPERATOR))
    return message.id


# --- either side ------------------------------------------------------------------------------


async def close(uow: UnitOfWork, actor_id: int | None, ticket_id: int) -> TicketCard:
    """The asker or an operator closes the ticket; the asker is then asked to rate it."""
    ticket = await _ticket(uow, ticket_id, actor_id)
    now, role = uow.clock.now(), await _role(uow, ticket, actor_id)
    if role == OPERATOR:
        await audit.record(uow, actor_id, "ticket-closed", f"ticket:{ticket.id}")
    return ticket_card(await _take(uow, ticket, "close", actor_id, role,
                                   {"closed_at": now, "closed_by": actor_id}))


async def reopen(uow: UnitOfWork, actor_id: int | None, ticket_id: int) -> TicketCard:
    """The asker or an operator reopens a closed ticket; it waits for an operator again."""
    ticket = await _ticket(uow, ticket_id, actor_id)
    role = await _role(uow, ticket, actor_id)
    if role == OPERATOR:
        await audit.record(uow, actor_id, "ticket-reopened", f"ticket:{ticket.id}")
    return ticket_card(await _take(uow, ticket, "reopen", actor_id, role,
                                   {"closed_at": None, "closed_by": None}))


async def ticket_view(uow: UnitOfWork, actor_id: int | None, ticket_id: int) -> TicketView:
    """A ticket with its thread, its context and what the reader may do next — for the asker
    and operators; NotFound for anyone else."""
    ticket = await _ticket(uow, ticket_id, actor_id)
    role = await _role(uow, ticket, actor_id)
    assert role is not None  # `_ticket` refuses anyone without one
    return await view(uow, ticket, role)


# --- helpers ----------------------------------------------------------------------------------


async def _ticket(uow: UnitOfWork, ticket_id: int, actor_id: int | None) -> SupportTicket:
    """The ticket, for its asker, operators and the system only."""
    ticket = await uow.get(SupportTicket, ticket_id)
    if ticket is None or await _role(uow, ticket, actor_id) is None:
        raise NotFound(_("That ticket doesn't exist."))
    return ticket


async def _role(uow: UnitOfWork, ticket: SupportTicket, actor_id: int | None) -> str | None:
    """asker, operator, system (no actor) — or None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == ticket.account_id:
        return ASKER
    return OPERATOR if await can_handle_support(uow, actor_id) else None


async def _take(uow: UnitOfWork, ticket: SupportTicket, transition: str, actor_id: int | None,
                role: str | None, changes: dict[str, Any] | None = None,
                extra_guard: Any = None) -> SupportTicket:
    """Take `transition` by the declaration, with a guarded `UPDATE … WHERE status = :source`
    (two operators closing at once close it once) and the timers of the states swapped."""
    TICKET_PROCESS.check(transition, ticket.status, role)
    source = ticket.status
    target = TICKET_PROCESS.target_from(transition, source)
    values = {"status": target, "updated_at": uow.clock.now(), **(changes or {})}
    query = update(SupportTicket).where(SupportTicket.id == ticket.id,
                                        SupportTicket.status == source)
    if extra_guard is not None:
        query = query.where(extra_guard)
    moved = await uow.session.execute(query.values(**values)
                                      .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That ticket changed a moment ago; look at it again."))
    for name, value in values.items():
        set_committed_value(ticket, name, value)
    if target != source:
        await timers.stop(uow, TICKET_PROCESS, ticket.id, source)
        timers.start(uow, TICKET_PROCESS, ticket.id, target)
    uow.emit(TicketMoved(ticket.id, transition, source, target, actor_id))
    return ticket


def _message(uow: UnitOfWork, ticket: SupportTicket, author_id: int | None, role: str,
             text: str) -> SupportMessage:
    message = SupportMessage(ticket_id=ticket.id, author_id=author_id, author_role=role,
                             text=text, created_at=uow.clock.now())
    uow.add(message)
    return message


async def escalate(uow: UnitOfWork, ticket_id: int) -> bool:
    """The system's step when the first-answer deadline passes: marks the ticket escalated
    (every admin is told by the notice); False when it was answered or closed meanwhile."""
    ticket = await uow.get(SupportTicket, ticket_id, populate_existing=True)
    if ticket is None or ticket.status not in TICKET_PROCESS.transition("escalate").sources:
        return False
    await _take(uow, ticket, "escalate", None, SYSTEM, {"escalated_at": uow.clock.now()})
    return True
