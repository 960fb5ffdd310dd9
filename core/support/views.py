"""The read side of a ticket: the ticket itself (`TicketCard`), and its thread with authors'
names, its context and what the reader may do next (`TicketView`), as frozen read models any
channel or the web console can render. Core keeps the rows; nothing here holds one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.i18n import N_, _
from core.process.tickets import ASKER, OPERATOR_LABELS, STATUS_LABELS, TICKET_PROCESS
from core.support.context import TicketContext
from core.support.tables import SupportTicket

SUPPORT_NAME = N_("Agora support")  # how operators sign to the asker


@dataclass(frozen=True)
class TicketCard:
    """One ticket as the flows and the console read it: who asked what, from where, where it
    stands and its deadlines (aware datetimes, UTC)."""

    id: int
    account_id: int  # the asker
    status: str  # a state of core.process.tickets.TICKET_PROCESS
    question: str
    channel: str  # where it was asked; answers go there
    context: TicketContext
    created_at: datetime
    first_answer_due_at: datetime
    first_answered_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None
    rating: int | None  # 1 to 5, the asker's, after closing


def ticket_card(ticket: SupportTicket) -> TicketCard:
    """The read model of a ticket's row."""
    return TicketCard(
        id=ticket.id, account_id=ticket.account_id, status=ticket.status,
        question=ticket.question, channel=ticket.channel,
        context=TicketContext.from_json(ticket.context), created_at=ticket.created_at,
        first_answer_due_at=ticket.first_answer_due_at,
        first_answered_at=ticket.first_answered_at, escalated_at=ticket.escalated_at,
        closed_at=ticket.closed_at, rating=ticket.rating)


@dataclass(frozen=True)
class MessageRecord:
    """One message of a ticket's thread as stored: who wrote it, in which role, and when."""

    id: int
    ticket_id: int
    author_id: int | None  # None once the author's account is gone
    author_role: str  # asker | operator
    text: str
    created_at: datetime


@dataclass(frozen=True)
class MessageView:
    author_role: str  # asker | operator
    author: str  # a name as this reader sees it
    text: str
    at: datetime


@dataclass(frozen=True)
class TicketView:
    ticket: TicketCard
    role: str  # the reader's: asker | operator | system
    asker: str  # the asker's display name
    context: TicketContext
    messages: list[MessageView]
    next_steps: list[str]  # transitions the reader may take now, by name ("close", "reopen"…)

    @property
    def status_label(self) -> str:
        labels = STATUS_LABELS if self.role == ASKER else OPERATOR_LABELS
        label = labels.get(self.ticket.status)
        return _(label) if label else self.ticket.status


def view(card: TicketCard, role: str, messages: list[MessageRecord],
         names: dict[int, str]) -> TicketView:
    """The ticket as `role` reads it: its thread with the authors named as that reader sees
    them (`names`: the display names of the asker and the messages' authors), and the steps
    the reader may take now (a rating, once given, is not offered again)."""
    said = [MessageView(m.author_role, _author(m, role, names), m.text, m.created_at)
            for m in messages]
    steps = [t.name for t in TICKET_PROCESS.next_actions(card.status, role)]
    if card.rating is not None and "rate" in steps:
        steps.remove("rate")
    asker = names[card.account_id] if card.account_id in names else _("someone")
    return TicketView(card, role, asker, card.context, said, steps)


def _author(message: MessageRecord, reader_role: str, names: dict[int, str]) -> str:
    if message.author_role == ASKER:
        if reader_role == ASKER:
            return _("You")
        return names[message.author_id or 0] if (message.author_id or 0) in names else _("the user")
    if reader_role == ASKER:
        return _(SUPPORT_NAME)
    name = names[message.author_id or 0] if (message.author_id or 0) in names else _("an operator")
    return _("{name} (operator)", name=name)
