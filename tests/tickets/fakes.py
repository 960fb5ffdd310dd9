"""The support desk in memory (`core.support.desk.Desk`): the tickets' use cases run on it
without a database. `test_desk_contract.py` holds it to what the SQL desk does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from core.events import Event
from core.process.tickets import NOT_CLOSED, TICKET_PROCESS
from core.support.desk import NewTicket
from core.support.views import MessageRecord, TicketCard

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
QUEUE_ORDER = {"open": 0, "waiting_for_operator": 1, "answered": 2}  # the rest after


@dataclass(frozen=True)
class Audited:
    actor_id: int
    action: str
    subject: str
    detail: dict[str, Any]


@dataclass
class MemoryDesk:
    """Tickets in a dict (with the columns a card does not show: who closed, when rated),
    messages in a list, the running timers by (ticket, state), the clock standing still at `at`
    (tests move it), events and audit entries kept in lists."""

    at: datetime = START
    support_sla: timedelta = timedelta(hours=4)  # as the default Policy
    people: dict[int, str] = field(default_factory=dict)  # account id → display name
    operators: set[int] = field(default_factory=set)
    tickets: dict[int, TicketCard] = field(default_factory=dict)
    hidden: dict[int, dict[str, Any]] = field(default_factory=dict)  # closed_by, rated_at…
    messages: list[MessageRecord] = field(default_factory=list)
    timers: dict[tuple[int, str], dict[str, datetime]] = field(default_factory=dict)
    audited: list[Audited] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def person(self, account_id: int, name: str, *, operator: bool = False) -> int:
        """Someone the desk knows (what registration and AGORA_ADMINS do for the SQL one)."""
        self.people[account_id] = name
        if operator:
            self.operators.add(account_id)
        return account_id

    def running(self, ticket_id: int) -> dict[str, datetime]:
        """The ticket's running timers: what fires → when it is due."""
        return {fires: due for (t, __), by in self.timers.items() if t == ticket_id
                for fires, due in by.items()}

    def now(self) -> datetime:
        return self.at

    def sla(self) -> timedelta:
        return self.support_sla

    async def can_handle_support(self, account_id: int | None) -> bool:
        return account_id in self.operators

    async def waiting(self, account_id: int) -> int:
        return sum(1 for t in self.tickets.values()
                   if t.account_id == account_id and t.status in NOT_CLOSED)

    async def open(self, new: NewTicket) -> TicketCard:
        card = TicketCard(
            id=len(self.tickets) + 1, account_id=new.account_id, status=TICKET_PROCESS.initial,
            question=new.question, channel=new.channel, context=new.context,
            created_at=new.created_at, first_answer_due_at=new.first_answer_due_at,
            first_answered_at=None, escalated_at=None, closed_at=None, rating=None)
        self.tickets[card.id] = card
        self.hidden[card.id] = {"updated_at": new.created_at}
        await self.post(card.id, new.account_id, "asker", new.question)
        self._start(card.id, card.status, {"escalate": new.first_answer_due_at})
        return card

    async def get(self, ticket_id: int, *, fresh: bool = False) -> TicketCard | None:
        return self.tickets.get(ticket_id)

    async def move(self, ticket_id: int, source: str, target: str, changes: dict[str, Any],
                   *, unrated: bool = False) -> TicketCard | None:
        found = self.tickets.get(ticket_id)
        if found is None or found.status != source or (unrated and found.rating is not None):
            return None
        values = {"status": target, "updated_at": self.now(), **changes}
        shown = {k: v for k, v in values.items() if k in TicketCard.__dataclass_fields__}
        self.hidden[ticket_id].update({k: v for k, v in values.items() if k not in shown})
        moved = self.tickets[ticket_id] = replace(found, **shown)
        if target != source:
            self.timers.pop((ticket_id, source), None)
            self._start(ticket_id, target, {})
        return moved

    def _start(self, ticket_id: int, state: str, due: dict[str, datetime]) -> None:
        timers = {t.fires: due.get(t.fires) or self.now() + t.after
                  for t in TICKET_PROCESS.timers_in(state)}
        if timers:
            self.timers[ticket_id, state] = timers

    async def post(self, ticket_id: int, author_id: int | None, role: str, text: str) -> int:
        message = MessageRecord(len(self.messages) + 1, ticket_id, author_id, role, text,
                                self.now())
        self.messages.append(message)
        return message.id

    async def mine(self, account_id: int, limit: int) -> list[TicketCard]:
        found = [t for t in self.tickets.values() if t.account_id == account_id]
        return sorted(found, key=lambda t: t.id, reverse=True)[:limit]

    async def queue(self, statuses: Iterable[str], limit: int) -> list[TicketCard]:
        wanted = set(statuses)
        found = [t for t in self.tickets.values() if t.status in wanted]
        return sorted(found, key=lambda t: (QUEUE_ORDER.get(t.status, 3),
                                            t.first_answer_due_at, t.id))[:limit]

    async def operator_ids(self) -> list[int]:
        return sorted(self.operators)

    async def thread(self, ticket_id: int) -> list[MessageRecord]:
        return [m for m in self.messages if m.ticket_id == ticket_id]

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.people[a] for a in set(account_ids) if a in self.people}

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        self.audited.append(Audited(actor_id, action, subject, detail))

    def emit(self, event: Event) -> None:
        self.events.append(event)


ANN, ROOT, EVE = 1, 2, 3  # as `helpers.people`: Ann asks, Root operates, Eve is someone else


def staffed(**given: Any) -> MemoryDesk:
    """A desk that knows Ann, Root (an operator) and Eve."""
    desk = MemoryDesk(**given)
    desk.person(ANN, "Ann")
    desk.person(ROOT, "Root", operator=True)
    desk.person(EVE, "Eve")
    return desk
