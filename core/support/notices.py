"""Notices of tickets, written to the outbox in the emitting transaction (handlers registered in
config.event_wiring): operators hear of new tickets, answers and breached deadlines; the asker
hears an operator's answer on the channel they asked from, with buttons to answer or close."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, Intent
from core.deals.timer_notices import age, when_for
from core.notifications.outbox import notify, recipients
from core.operators.roles import admin_ids
from core.process.tickets import OPERATOR
from core.storage.uow import UnitOfWork
from core.support.context import TicketContext
from core.support.events import TicketMessagePosted, TicketMoved, TicketOpened
from core.support.rules import STARS
from core.support.service import operator_ids
from core.support.tables import SupportMessage, SupportTicket

QUOTE = 300  # characters of a question or message quoted in a notice


def _quote(text: str) -> str:
    return f"“{text[:QUOTE]}{'…' if len(text) > QUOTE else ''}”"


def _operator_buttons(ticket_id: int) -> list[list[Action]]:
    return [[Action(Intent.HANDLE_TICKET, f"🎫 Open ticket #{ticket_id}", str(ticket_id)),
             Action(Intent.HANDLE_TICKET, "✍ Reply", f"reply:{ticket_id}")]]


def _asker_buttons(ticket_id: int) -> list[list[Action]]:
    return [[Action(Intent.MY_TICKET, "✍ Answer", f"reply:{ticket_id}"),
             Action(Intent.MY_TICKET, "✅ Close the ticket", f"close:{ticket_id}")]]


async def on_opened(uow: UnitOfWork, event: TicketOpened) -> None:
    """Every operator hears of a new ticket: who, what, from where, and when it is due."""
    ticket = await uow.session.get(SupportTicket, event.ticket_id)
    if ticket is None:
        return
    asker = await uow.session.get(Account, ticket.account_id)
    where = TicketContext.from_json(ticket.context).summary()
    operators = set(await operator_ids(uow)) - {ticket.account_id}
    await recipients(uow, operators)
    for operator in sorted(operators):
        due = await when_for(uow, operator, ticket.first_answer_due_at)
        text = (f"🎫 New support ticket #{ticket.id} from {asker.display_name if asker else 'someone'}"
                f" ({ticket.channel}): {_quote(ticket.question)}"
                + (f"\nContext: {where}" if where else "") + f"\nFirst answer due by {due}.")
        await notify(uow, operator, text, buttons=_operator_buttons(ticket.id))


async def on_message(uow: UnitOfWork, event: TicketMessagePosted) -> None:
    """An operator's answer goes to the asker (on the channel they asked from); the asker's
    message goes to the operators who have answered the ticket (every operator if none has)."""
    ticket = await uow.session.get(SupportTicket, event.ticket_id)
    message = await uow.session.get(SupportMessage, event.message_id)
    if ticket is None or message is None:
        return
    if event.author_role == OPERATOR:
        await notify(uow, ticket.account_id,
                     f"💬 Agora support answered your ticket #{ticket.id}:\n\n{message.text}",
                     channel=ticket.channel or None, buttons=_asker_buttons(ticket.id))
        return
    for operator in await _answering(uow, ticket):
        await notify(uow, operator, f"💬 The user wrote on ticket #{ticket.id}: "
                                    f"{_quote(message.text)}", buttons=_operator_buttons(ticket.id))


async def on_moved(uow: UnitOfWork, event: TicketMoved) -> None:
    """Escalation tells every admin; an operator's close asks the asker to rate; a reopen
    tells the other side."""
    ticket = await uow.session.get(SupportTicket, event.ticket_id)
    if ticket is None:
        return
    if event.transition == "escalate":
        await _escalated(uow, ticket)
    elif event.transition == "close" and event.actor_id != ticket.account_id:
        stars = [Action(Intent.MY_TICKET, "★" * n, f"rate:{ticket.id}:{n}") for n in STARS]
        await notify(uow, ticket.account_id,
                     f"✅ Agora support closed your ticket #{ticket.id}. How good was the answer? "
                     "(If it is not solved, open the ticket and reopen it.)",
                     channel=ticket.channel or None,
                     buttons=[stars, [Action(Intent.MY_TICKET, "🎫 Open the ticket", str(ticket.id))]])
    elif event.transition == "reopen" and event.actor_id == ticket.account_id:
        for operator in await _answering(uow, ticket):
            await notify(uow, operator, f"↩ The user reopened ticket #{ticket.id}.",
                         buttons=_operator_buttons(ticket.id))
    elif event.transition == "reopen":
        await notify(uow, ticket.account_id, f"↩ Agora support reopened your ticket #{ticket.id}.",
                     channel=ticket.channel or None, buttons=_asker_buttons(ticket.id))


async def _escalated(uow: UnitOfWork, ticket: SupportTicket) -> None:
    """Every admin hears of a ticket past its first-answer deadline (once: the timer fires once)."""
    waited = age(uow.clock.now() - ticket.created_at)
    text = (f"⏰ Support ticket #{ticket.id} has had no answer for {waited}: the first-answer "
            f"deadline has passed. {_quote(ticket.question)}")
    for admin in await admin_ids(uow):
        if admin != ticket.account_id:
            await notify(uow, admin, text, buttons=_operator_buttons(ticket.id), urgent=True)


async def _answering(uow: UnitOfWork, ticket: SupportTicket) -> list[int]:
    """The operators who have written on this ticket; every operator when none has."""
    wrote = list((await uow.session.execute(select(SupportMessage.author_id).where(
        SupportMessage.ticket_id == ticket.id, SupportMessage.author_role == OPERATOR)
        .distinct())).scalars())
    found = [a for a in wrote if a is not None] or await operator_ids(uow)
    return sorted(set(found) - {ticket.account_id})

