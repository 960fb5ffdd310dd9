"""Notices of tickets, written to the outbox in the emitting transaction (handlers declared in
core.support.wiring): operators hear of new tickets, answers and breached deadlines; the asker
hears an operator's answer on the channel they asked from, with buttons to answer or close. What
follows a ticket's transition is declared in core.process.tickets and sent by TICKETS."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.deals.notices.timers import age, when_for
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.notices import Moved, NoticeBook, Said
from core.process.tickets import ASKER, OPERATOR, TICKET_PROCESS
from core.storage.uow import UnitOfWork
from core.support.desk import Desk, desk_of
from core.support.events import TicketMessagePosted, TicketMoved, TicketOpened
from core.support.intents import SupportIntent
from core.support.rules import STARS
from core.support.views import MessageRecord, TicketCard

QUOTE = 300  # characters of a question or message quoted in a notice


def _quote(text: str) -> str:
    return f"“{text[:QUOTE]}{'…' if len(text) > QUOTE else ''}”"


def _operator_buttons(ticket_id: int) -> list[list[Action]]:
    return [[Action(SupportIntent.HANDLE_TICKET, _("🎫 Open ticket #{id}", id=ticket_id), str(ticket_id)),
             Action(SupportIntent.HANDLE_TICKET, N_("✍ Reply"), f"reply:{ticket_id}")]]


def _asker_buttons(ticket_id: int) -> list[list[Action]]:
    return [[Action(SupportIntent.MY_TICKET, N_("✍ Answer"), f"reply:{ticket_id}"),
             Action(SupportIntent.MY_TICKET, N_("✅ Close the ticket"), f"close:{ticket_id}")]]


async def on_opened(uow: UnitOfWork, event: TicketOpened) -> None:
    """Every operator hears of a new ticket: who, what, from where, and when it is due."""
    desk = desk_of(uow)
    ticket = await desk.get(event.ticket_id)
    if ticket is None:
        return
    asker = (await desk.names([ticket.account_id])).get(ticket.account_id)
    operators = set(await desk.operator_ids()) - {ticket.account_id}
    await recipients(uow, operators)
    for operator in sorted(operators):
        async with addressed_to(uow, operator):
            due = await when_for(uow, operator, ticket.first_answer_due_at)
            where = ticket.context.summary()
            text = (_("🎫 New support ticket #{id} from {name} ({channel}): {question}", id=ticket.id,
                      name=asker or _("someone"), channel=ticket.channel,
                      question=_quote(ticket.question))
                    + ("\n" + _("Context: {where}", where=where) if where else "")
                    + "\n" + _("First answer due by {due}.", due=due))
            await notify(uow, operator, text, buttons=_operator_buttons(ticket.id))


async def on_message(uow: UnitOfWork, event: TicketMessagePosted) -> None:
    """An operator's answer goes to the asker (on the channel they asked from); the asker's
    message goes to the operators who have answered the ticket (every operator if none has)."""
    desk = desk_of(uow)
    ticket = await desk.get(event.ticket_id)
    thread = await desk.thread(event.ticket_id) if ticket is not None else []
    message = next((m for m in thread if m.id == event.message_id), None)
    if ticket is None or message is None:
        return
    if event.author_role == OPERATOR:
        async with addressed_to(uow, ticket.account_id):
            await notify(uow, ticket.account_id,
                         _("💬 Agora support answered your ticket #{id}:\n\n{text}", id=ticket.id,
                           text=message.text),
                         channel=ticket.channel or None, buttons=_asker_buttons(ticket.id))
        return
    for operator in await _answering(desk, ticket, thread):
        async with addressed_to(uow, operator):
            await notify(uow, operator, _("💬 The user wrote on ticket #{id}: {text}", id=ticket.id,
                                          text=_quote(message.text)),
                         buttons=_operator_buttons(ticket.id))


async def closed_by_support(uow: UnitOfWork, moved: Moved, role: str, asker: int) -> Said | None:
    """An operator's close asks the asker to rate the answer (their own close tells nobody)."""
    ticket = moved.subject
    if _by_asker(moved):
        return None
    return Said(_("✅ Agora support closed your ticket #{id}. How good was the answer? "
                  "(If it is not solved, open the ticket and reopen it.)", id=ticket.id),
                channel=ticket.channel or None)


async def rate(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    ticket_id = moved.subject.id
    stars = [Action(SupportIntent.MY_TICKET, "★" * n, f"rate:{ticket_id}:{n}") for n in STARS]
    return [stars, [Action(SupportIntent.MY_TICKET, N_("🎫 Open the ticket"), str(ticket_id))]]


async def reopened_by_user(uow: UnitOfWork, moved: Moved, role: str, operator: int) -> str | None:
    """The asker's reopen tells the operators who answered (every operator if none has)."""
    return _("↩ The user reopened ticket #{id}.", id=moved.subject.id) if _by_asker(moved) else None


async def reopened_by_support(uow: UnitOfWork, moved: Moved, role: str, asker: int
                              ) -> Said | None:
    """An operator's reopen tells the asker, on the channel they asked from."""
    ticket = moved.subject
    if _by_asker(moved):
        return None
    return Said(_("↩ Agora support reopened your ticket #{id}.", id=ticket.id),
                channel=ticket.channel or None)


async def ticket_escalated(uow: UnitOfWork, moved: Moved, role: str, admin: int) -> Said | None:
    """Every admin (but the asker) hears of a ticket past its first-answer deadline (once: the
    timer fires once), at once whatever their quiet hours."""
    ticket = moved.subject
    if admin == ticket.account_id:
        return None
    waited = age(uow.clock.now() - ticket.created_at)
    return Said(_("⏰ Support ticket #{id} has had no answer for {waited}: the first-answer "
                  "deadline has passed. {question}", id=ticket.id, waited=waited,
                  question=_quote(ticket.question)), urgent=True)


async def operator_buttons(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return _operator_buttons(moved.subject.id)


async def asker_buttons(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return _asker_buttons(moved.subject.id)


def _by_asker(moved: Moved) -> bool:
    event = moved.event  # a ticket's moves are read from its TicketMoved
    return isinstance(event, TicketMoved) and event.actor_id == moved.subject.account_id


async def _ticket_moved(uow: UnitOfWork, event: TicketMoved) -> Moved | None:
    desk = desk_of(uow)
    ticket = await desk.get(event.ticket_id)
    if ticket is None:
        return None
    told = {n.to for n in TICKET_PROCESS.transition(event.transition).notices}
    operators = (tuple(await _answering(desk, ticket, await desk.thread(ticket.id)))
                 if OPERATOR in told else ())
    return Moved(event.transition, ticket, {ASKER: ticket.account_id, OPERATOR: operators},
                 event.source, event.target, event)


async def _answering(desk: Desk, ticket: TicketCard, thread: list[MessageRecord]) -> list[int]:
    """The operators who have written on this ticket; every operator when none has."""
    wrote = [m.author_id for m in thread if m.author_role == OPERATOR and m.author_id is not None]
    found = wrote or await desk.operator_ids()
    return sorted(set(found) - {ticket.account_id})



# The ticket's notices as declared in core.process.tickets, made sendable.
TICKETS = NoticeBook(
    TICKET_PROCESS, _ticket_moved,
    texts={"closed_by_support": closed_by_support, "reopened_by_user": reopened_by_user,
           "reopened_by_support": reopened_by_support, "ticket_escalated": ticket_escalated},
    buttons={"rate": rate, "operator_buttons": operator_buttons, "asker_buttons": asker_buttons},
)
