"""The support desk's storage, behind the tickets' use cases: a repository protocol (`Desk`) and
its SQL implementation on the unit of work (`SqlDesk`), as the learning context's `Shelf` is
(`core.learning.shelf`). The use cases in `core.support.service` ask only this; the tests'
`MemoryDesk` (`tests/tickets/fakes.py`) runs them without a database, and
`tests/tickets/test_desk_contract.py` holds the two alike — the guarded move that refuses a
ticket changed meanwhile, and the first-answer timer a move out of "open" stops, among them.

A desk lives inside one unit of work: what it writes is committed, or rolled back, with the
rest of the use case (`async with uow:` … `await uow.commit()` stays the caller's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.events import Event
from core.operators import audit, roles
from core.process import timers
from core.process.tickets import ASKER, NOT_CLOSED, TICKET_PROCESS
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork
from core.support.context import TicketContext
from core.support.tables import SupportMessage, SupportTicket
from core.support.views import MessageRecord, TicketCard, ticket_card

_QUEUE_ORDER = case({"open": 0, "waiting_for_operator": 1, "answered": 2}, value=SupportTicket.status,
                    else_=3)


@dataclass(frozen=True)
class NewTicket:
    """A ticket to open, checked; the desk gives it its id, its first message (the question)
    and its first-answer timer, due at `first_answer_due_at`."""

    account_id: int
    question: str
    channel: str
    context: TicketContext
    first_answer_due_at: datetime
    created_at: datetime


class Desk(Protocol):
    """What the tickets' use cases ask of storage, of who may answer, and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def sla(self) -> timedelta:
        """How long an operator's first answer may take (`Policy.support_sla`)."""
        ...

    async def can_handle_support(self, account_id: int | None) -> bool:
        """Whether the account (None: nobody known) may read and answer other people's tickets."""
        ...

    async def operator_ids(self) -> list[int]:
        """Who may answer, each once: told of new tickets (and of an asker's message on a
        ticket no operator has answered yet)."""
        ...

    async def waiting(self, account_id: int) -> int:
        """How many of the account's tickets are not closed."""
        ...

    async def open(self, new: NewTicket) -> TicketCard:
        """Store a new ticket, open, with the question as its first message (the asker's) and
        the first-answer timer running; it has its id from now on."""
        ...

    async def get(self, ticket_id: int, *, fresh: bool = False) -> TicketCard | None:
        """The ticket; `fresh`: as stored now, not as this transaction read it before (a
        timer's step, while people act on the ticket in other transactions)."""
        ...

    async def move(self, ticket_id: int, source: str, target: str, changes: dict[str, Any],
                   *, unrated: bool = False) -> TicketCard | None:
        """Set the status `source` → `target` and these columns (and `updated_at`), only if
        the ticket is still in `source` (and, `unrated`, still has no rating): None when it
        changed meanwhile. Leaving a state stops its timers; entering one starts its own."""
        ...

    async def post(self, ticket_id: int, author_id: int | None, role: str, text: str) -> int:
        """A message on the ticket's thread, written now; its id."""
        ...

    async def mine(self, account_id: int, limit: int) -> list[TicketCard]:
        """The account's tickets, the newest (the highest id) first."""
        ...

    async def queue(self, statuses: Iterable[str], limit: int) -> list[TicketCard]:
        """Tickets in these statuses: open first, then waiting for an operator, then answered,
        then the rest; within each, the earliest first-answer deadline first, then by id."""
        ...

    async def thread(self, ticket_id: int) -> list[MessageRecord]:
        """The ticket's messages, in the order they were written."""
        ...

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The display names of those accounts that exist."""
        ...

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        """An entry in the operators' audit log, in the same transaction."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...


class SqlDesk(SqlStore):
    """The desk in the database, inside `uow`'s transaction."""

    def sla(self) -> timedelta:
        return self._uow.policy.support_sla

    async def can_handle_support(self, account_id: int | None) -> bool:
        return await roles.can_handle_support(self._uow, account_id)

    async def operator_ids(self) -> list[int]:
        return await roles.holders(self._uow, "handle_support")

    async def waiting(self, account_id: int) -> int:
        return (await self._uow.session.execute(select(func.count()).select_from(
            SupportTicket).where(SupportTicket.account_id == account_id,
                                 SupportTicket.status.in_(NOT_CLOSED)))).scalar_one()

    async def open(self, new: NewTicket) -> TicketCard:
        ticket = SupportTicket(account_id=new.account_id, status=TICKET_PROCESS.initial,
                               question=new.question, channel=new.channel,
                               context=new.context.as_json(),
                               first_answer_due_at=new.first_answer_due_at,
                               created_at=new.created_at, updated_at=new.created_at)
        await self._uow.insert(ticket)
        self._uow.add(SupportMessage(ticket_id=ticket.id, author_id=new.account_id,
                                     author_role=ASKER, text=new.question,
                                     created_at=new.created_at))
        timers.start(self._uow, TICKET_PROCESS, ticket.id, ticket.status,
                     due={"escalate": ticket.first_answer_due_at})
        return ticket_card(ticket)

    async def get(self, ticket_id: int, *, fresh: bool = False) -> TicketCard | None:
        row = await self._uow.get(SupportTicket, ticket_id, populate_existing=fresh)
        return ticket_card(row) if row is not None else None

    async def move(self, ticket_id: int, source: str, target: str, changes: dict[str, Any],
                   *, unrated: bool = False) -> TicketCard | None:
        # A guarded `UPDATE … WHERE status = :source`: two operators closing at once close it
        # once. The row this transaction holds is told the new values without reading again.
        values = {"status": target, "updated_at": self.now(), **changes}
        query = update(SupportTicket).where(SupportTicket.id == ticket_id,
                                            SupportTicket.status == source)
        if unrated:
            query = query.where(SupportTicket.rating.is_(None))
        moved = await self._uow.session.execute(query.values(**values)
                                                .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = await self._uow.get(SupportTicket, ticket_id)
        assert row is not None  # the use case read it in this transaction
        for name, value in values.items():
            set_committed_value(row, name, value)
        if target != source:
            await timers.stop(self._uow, TICKET_PROCESS, ticket_id, source)
            timers.start(self._uow, TICKET_PROCESS, ticket_id, target)
        return ticket_card(row)

    async def post(self, ticket_id: int, author_id: int | None, role: str, text: str) -> int:
        message = SupportMessage(ticket_id=ticket_id, author_id=author_id, author_role=role,
                                 text=text, created_at=self.now())
        self._uow.add(message)
        await self._uow.session.flush()
        return message.id

    async def mine(self, account_id: int, limit: int) -> list[TicketCard]:
        return await self._cards(select(SupportTicket).where(
            SupportTicket.account_id == account_id).order_by(SupportTicket.id.desc())
            .limit(limit))

    async def queue(self, statuses: Iterable[str], limit: int) -> list[TicketCard]:
        return await self._cards(select(SupportTicket).where(
            SupportTicket.status.in_(tuple(statuses))).order_by(
            _QUEUE_ORDER, SupportTicket.first_answer_due_at, SupportTicket.id).limit(limit))

    async def _cards(self, query: Any) -> list[TicketCard]:
        return [ticket_card(t) for t in (await self._uow.session.execute(query)).scalars()]

    async def thread(self, ticket_id: int) -> list[MessageRecord]:
        rows = (await self._uow.session.execute(select(SupportMessage).where(
            SupportMessage.ticket_id == ticket_id).order_by(SupportMessage.id))).scalars()
        return [MessageRecord(m.id, m.ticket_id, m.author_id, m.author_role, m.text,
                              m.created_at) for m in rows]

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        rows = await self._uow.session.execute(select(Account.id, Account.display_name).where(
            Account.id.in_(set(account_ids))))
        return {account_id: name for account_id, name in rows.all()}

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        await audit.record(self._uow, actor_id, action, subject, **detail)

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def desk_of(uow: UnitOfWork | Desk) -> Desk:
    """The support desk in this unit of work: the database's, or the desk given (a test's
    in-memory one)."""
    return store_of(uow, Desk, SqlDesk)
