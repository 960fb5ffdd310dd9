"""The support desk behaves alike in memory and in the database: one set of tests
(`DeskContract`) runs against the tests' `MemoryDesk` (no database) and the `SqlDesk` (on SQLite
and PostgreSQL), so the tickets' use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.operators.tables import AuditEntry
from core.process.tables import ProcessTimer
from core.process.tickets import NOT_CLOSED, TICKET_PROCESS
from core.support.context import TicketContext
from core.support.desk import Desk, NewTicket, SqlDesk
from tests.support.accounts import person_in
from tests.tickets.fakes import MemoryDesk

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both desks' clocks stand here
WHERE = TicketContext(flow="listing", where="a new listing", step="details",
                      object_kind="listing", object_id=42)


def new(asker: int, question: str = "My payout has not arrived", *, due_in: int = 240,
        minutes_ago: int = 0) -> NewTicket:
    opened = NOW - timedelta(minutes=minutes_ago)
    return NewTicket(account_id=asker, question=question, channel="telegram", context=WHERE,
                     first_answer_due_at=opened + timedelta(minutes=due_in), created_at=opened)


class DeskContract:
    """What every desk does; a subclass gives `desks`: a desk and how people come to be."""

    async def test_a_ticket_opened_is_got_back_as_it_was_with_its_question_and_its_timer(
            self, desks):
        ann = await desks.person("Ann")
        ticket = await desks.desk.open(new(ann, due_in=60))
        assert (ticket.account_id, ticket.status, ticket.question, ticket.channel) == (
            ann, "open", "My payout has not arrived", "telegram")
        assert ticket.context == WHERE and ticket.created_at == NOW
        assert ticket.first_answer_due_at == NOW + timedelta(minutes=60)
        assert (ticket.first_answered_at, ticket.escalated_at, ticket.closed_at,
                ticket.rating) == (None, None, None, None)
        assert await desks.desk.get(ticket.id) == ticket
        assert await desks.desk.get(ticket.id, fresh=True) == ticket
        assert await desks.desk.get(ticket.id + 1000) is None
        [question] = await desks.desk.thread(ticket.id)
        assert (question.ticket_id, question.author_id, question.author_role, question.text,
                question.created_at) == (ticket.id, ann, "asker", "My payout has not arrived",
                                         NOW)
        assert await desks.running(ticket.id) == {"escalate": NOW + timedelta(minutes=60)}

    async def test_a_move_is_guarded_by_the_status_and_stops_the_timers_of_the_state_left(
            self, desks):
        ann = await desks.person("Ann")
        ticket = await desks.desk.open(new(ann))
        assert await desks.desk.move(ticket.id, "answered", "closed", {}) is None
        moved = await desks.desk.move(ticket.id, "open", "answered",
                                      {"first_answered_at": NOW})
        assert moved is not None
        assert (moved.status, moved.first_answered_at) == ("answered", NOW)
        assert await desks.desk.get(ticket.id) == moved
        assert await desks.desk.get(ticket.id, fresh=True) == moved
        assert await desks.running(ticket.id) == {}
        assert await desks.desk.move(ticket.id, "open", "answered", {}) is None
        same = await desks.desk.move(ticket.id, "answered", "answered", {"escalated_at": NOW})
        assert same is not None and same.escalated_at == NOW

    async def test_a_rating_is_given_once_when_the_move_asks_for_an_unrated_ticket(self, desks):
        ann = await desks.person("Ann")
        ticket = await desks.desk.open(new(ann))
        closed = await desks.desk.move(ticket.id, "open", "closed",
                                       {"closed_at": NOW, "closed_by": ann})
        assert closed is not None and closed.closed_at == NOW
        rated = await desks.desk.move(ticket.id, "closed", "closed",
                                      {"rating": 4, "rated_at": NOW}, unrated=True)
        assert rated is not None and rated.rating == 4
        assert await desks.desk.move(ticket.id, "closed", "closed",
                                     {"rating": 1, "rated_at": NOW}, unrated=True) is None
        assert (await desks.desk.get(ticket.id, fresh=True)).rating == 4
        reopened = await desks.desk.move(ticket.id, "closed", "waiting_for_operator",
                                         {"closed_at": None, "closed_by": None})
        assert reopened is not None and (reopened.status, reopened.closed_at) == (
            "waiting_for_operator", None)

    async def test_waiting_counts_a_persons_tickets_not_closed(self, desks):
        ann, eve = await desks.person("Ann"), await desks.person("Eve")
        assert await desks.desk.waiting(ann) == 0
        first = await desks.desk.open(new(ann))
        await desks.desk.open(new(ann, "Where are my receipts?"))
        await desks.desk.open(new(eve))
        assert await desks.desk.waiting(ann) == 2
        await desks.desk.move(first.id, "open", "closed", {"closed_at": NOW})
        assert (await desks.desk.waiting(ann), await desks.desk.waiting(eve)) == (1, 1)

    async def test_a_persons_tickets_come_newest_first_up_to_the_limit(self, desks):
        ann, eve = await desks.person("Ann"), await desks.person("Eve")
        a = await desks.desk.open(new(ann))
        await desks.desk.open(new(eve))
        b = await desks.desk.open(new(ann, "Where are my receipts?"))
        assert [t.id for t in await desks.desk.mine(ann, 10)] == [b.id, a.id]
        assert [t.id for t in await desks.desk.mine(ann, 1)] == [b.id]
        assert await desks.desk.mine(await desks.person("Bob"), 10) == []

    async def test_the_queue_orders_by_status_then_deadline_then_number(self, desks):
        ann = await desks.person("Ann")
        late = await desks.desk.open(new(ann, due_in=90))
        early = await desks.desk.open(new(ann, due_in=30))
        tie = await desks.desk.open(new(ann, due_in=30))
        answered = await desks.desk.open(new(ann, due_in=10))
        waiting = await desks.desk.open(new(ann, due_in=500))
        closed = await desks.desk.open(new(ann, due_in=1))
        await desks.desk.move(answered.id, "open", "answered", {})
        await desks.desk.move(waiting.id, "open", "waiting_for_operator", {})
        await desks.desk.move(closed.id, "open", "closed", {})
        ids = [t.id for t in await desks.desk.queue(NOT_CLOSED, 10)]
        assert ids == [early.id, tie.id, late.id, waiting.id, answered.id]
        assert [t.id for t in await desks.desk.queue(NOT_CLOSED, 2)] == [early.id, tie.id]
        assert [t.id for t in await desks.desk.queue(("closed",), 10)] == [closed.id]
        assert [t.id for t in await desks.desk.queue(TICKET_PROCESS.states, 10)] == [
            *ids, closed.id]

    async def test_a_thread_holds_its_own_messages_in_order(self, desks):
        ann, root = await desks.person("Ann"), await desks.person("Root", operator=True)
        one = await desks.desk.open(new(ann))
        two = await desks.desk.open(new(ann, "Where are my receipts?"))
        answer = await desks.desk.post(one.id, root, "operator", "It leaves tonight.")
        await desks.desk.post(two.id, ann, "asker", "Any news?")
        thanks = await desks.desk.post(one.id, ann, "asker", "Thanks")
        assert answer < thanks
        said = await desks.desk.thread(one.id)
        assert [(m.author_id, m.author_role, m.text) for m in said] == [
            (ann, "asker", "My payout has not arrived"), (root, "operator", "It leaves tonight."),
            (ann, "asker", "Thanks")]
        assert [m.id for m in said][1:] == [answer, thanks]
        assert all(m.created_at == NOW and m.ticket_id == one.id for m in said)

    async def test_names_operators_audit_and_the_clock(self, desks):
        ann, root = await desks.person("Ann Ozola"), await desks.person("Root", operator=True)
        assert await desks.desk.names([ann, root, 999_999]) == {ann: "Ann Ozola", root: "Root"}
        assert await desks.desk.names([]) == {}
        assert [await desks.desk.can_handle_support(a) for a in (root, ann, 999_999, None)] == [
            True, False, False, False]
        assert await desks.desk.operator_ids() == [root]
        await desks.desk.audit(root, "ticket-answered", "ticket:1")
        await desks.desk.audit(root, "ticket-closed", "ticket:1")
        assert await desks.audit_log() == [(root, "ticket-answered", "ticket:1"),
                                           (root, "ticket-closed", "ticket:1")]
        assert desks.desk.now() == NOW
        assert desks.desk.sla() == timedelta(hours=4)


@dataclass
class MemoryDesks:
    desk: MemoryDesk = field(default_factory=MemoryDesk)

    async def person(self, name: str, *, operator: bool = False) -> int:
        return self.desk.person(len(self.desk.people) + 1, name, operator=operator)

    async def running(self, ticket_id: int) -> dict[str, datetime]:
        return self.desk.running(ticket_id)

    async def audit_log(self) -> list[tuple[int, str, str]]:
        return [(a.actor_id, a.action, a.subject) for a in self.desk.audited]


class TestMemoryDesk(DeskContract):
    @pytest.fixture
    def desks(self):
        return MemoryDesks()


@dataclass
class SqlDesks:
    """A SqlDesk in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    desk: Desk

    async def person(self, name: str, *, operator: bool = False) -> int:
        return await person_in(self.uow, name, operator="support" if operator else None)

    async def running(self, ticket_id: int) -> dict[str, datetime]:
        await self.uow.write_staged()
        rows = await self.uow.session.execute(select(ProcessTimer.fires, ProcessTimer.due_at)
                                              .where(ProcessTimer.process == TICKET_PROCESS.name,
                                                     ProcessTimer.subject_id == ticket_id,
                                                     ProcessTimer.done_at.is_(None)))
        return dict(rows.all())

    async def audit_log(self) -> list[tuple[int, str, str]]:
        await self.uow.session.flush()
        rows = await self.uow.session.execute(select(
            AuditEntry.actor_id, AuditEntry.action, AuditEntry.subject).order_by(AuditEntry.id))
        return [tuple(row) for row in rows.all()]


class TestSqlDesk(DeskContract):
    @pytest.fixture
    async def desks(self, app):
        async with app.uow() as uow:
            yield SqlDesks(uow, SqlDesk(uow))
