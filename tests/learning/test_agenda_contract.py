"""The gatherings' agenda behaves alike in memory and in the database: one set of tests
(`AgendaContract`) runs against the tests' `MemoryAgenda` (no database) and the `SqlAgenda`
(on SQLite and PostgreSQL) — a start taken once, an answer changed in place, the orders of
the lists — so the use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.learning.agenda import Agenda, NewGathering, SqlAgenda
from core.learning.events import GatheringStarted
from core.operators.tables import AuditEntry
from core.process.gatherings import GATHERING_PROCESS
from core.process.tables import ProcessTimer
from tests.learning.fakes import MemoryAgenda
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both agendas' clocks stand here


def new(publisher: int, days: float, title: str = "Biogas basics", **changes: Any) -> NewGathering:
    values: dict[str, Any] = {
        "kind": "webinar", "title": title, "description": "", "minutes": 60, "place": None,
        "join_url": "https://meet.example.org/biogas", "publisher_id": publisher,
        "created_at": NOW, "starts_at": NOW + timedelta(days=days), **changes}
    return NewGathering(**values)


class AgendaContract:
    """What every agenda does; a subclass gives `agendas`: an agenda and how people come to be."""

    async def test_a_gathering_put_is_got_back_scheduled_with_its_start_timer(self, agendas):
        root = await agendas.person("Root", admin=True)
        put = await agendas.agenda.put(new(root, 3, place="Riga", kind="meetup", join_url=None,
                                           description="Pellets and coffee"))
        assert await agendas.agenda.get(put.id) == put
        assert (put.status, put.sequence, put.recording_url, put.place, put.publisher_id) == (
            "scheduled", 0, None, "Riga", root)
        assert put.starts_at == NOW + timedelta(days=3)
        assert await agendas.start_timer(put.id) == NOW + timedelta(days=3)
        assert await agendas.agenda.get(put.id + 1000) is None

    async def test_the_lists_come_in_their_orders_and_lengths(self, agendas):
        root = await agendas.person("Root", admin=True)
        past = await agendas.agenda.put(new(root, -20, "Past"))
        later = await agendas.agenda.put(new(root, 9, "Later"))
        soon = await agendas.agenda.put(new(root, 2, "Soon"))
        recorded = await agendas.agenda.set_recording(past.id, "https://video.example.org/1")
        assert await agendas.agenda.starting_from(NOW, 10) == [soon, later]
        assert await agendas.agenda.starting_from(NOW, 1) == [soon]
        assert await agendas.agenda.recorded_since(NOW - timedelta(days=30), 10) == [recorded]
        assert await agendas.agenda.recorded_since(NOW - timedelta(days=10), 10) == []
        assert [g.title for g in await agendas.agenda.latest(10)] == ["Later", "Soon", "Past"]
        assert await agendas.agenda.get(past.id) == recorded

    async def test_an_answer_is_changed_in_place_and_counted_once(self, agendas):
        root = await agendas.person("Root", admin=True)
        ann, bob = await agendas.person("Ann"), await agendas.person("Bob")
        one = await agendas.agenda.put(new(root, 3))
        two = await agendas.agenda.put(new(root, 4, "Pellet markets"))
        await agendas.agenda.answer(one.id, ann, "maybe")
        await agendas.agenda.answer(one.id, ann, "going")  # changed her mind
        await agendas.agenda.answer(one.id, bob, "going")
        await agendas.agenda.answer(two.id, bob, "not")
        assert await agendas.agenda.counts([one.id, two.id]) == {(one.id, "going"): 2,
                                                                 (two.id, "not"): 1}
        assert await agendas.agenda.counts([]) == {}
        assert await agendas.agenda.answers_of([one.id, two.id], bob) == {one.id: "going",
                                                                         two.id: "not"}
        assert await agendas.agenda.answers_of([two.id], ann) == {}
        assert await agendas.agenda.attendees(one.id, ("going",)) == sorted([ann, bob])
        assert await agendas.agenda.attendees(two.id, ("going", "maybe")) == []

    async def test_a_gathering_starts_once(self, agendas):
        root = await agendas.person("Root", admin=True)
        put = await agendas.agenda.put(new(root, 1))
        assert await agendas.agenda.start(put.id) is True
        assert await agendas.agenda.start(put.id) is False
        assert (await agendas.agenda.get(put.id)).status == "started"
        assert await agendas.agenda.start(put.id + 1000) is False

    async def test_admins_the_clock_the_audit_and_the_events(self, agendas):
        root = await agendas.person("Root", admin=True)
        eve = await agendas.person("Eve")
        assert [await agendas.agenda.is_admin(a) for a in (root, eve, 999_999)] == [
            True, False, False]
        assert agendas.agenda.now() == NOW
        await agendas.agenda.audit(root, "gathering-published", "gathering:1", kind="webinar")
        assert await agendas.audit_log() == [(root, "gathering-published", "gathering:1")]
        agendas.agenda.emit(GatheringStarted(1))
        assert GatheringStarted(1) in agendas.events()


@dataclass
class MemoryAgendas:
    agenda: MemoryAgenda = field(default_factory=MemoryAgenda)
    people: int = 0

    async def person(self, name: str, *, admin: bool = False) -> int:
        self.people += 1
        if admin:
            self.agenda.admins.add(self.people)
        return self.people

    async def start_timer(self, gathering_id: int) -> datetime | None:
        return self.agenda.timers.get(gathering_id)

    async def audit_log(self) -> list[tuple[int, str, str]]:
        return [(a.actor_id, a.action, a.subject) for a in self.agenda.audited]

    def events(self) -> list[Any]:
        return self.agenda.events


class TestMemoryAgenda(AgendaContract):
    @pytest.fixture
    def agendas(self):
        return MemoryAgendas()


@dataclass
class SqlAgendas:
    """A SqlAgenda in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    agenda: Agenda

    async def person(self, name: str, *, admin: bool = False) -> int:
        return await person_in(self.uow, name, operator="admin" if admin else None)

    async def start_timer(self, gathering_id: int) -> datetime | None:
        await self.uow.session.flush()
        return (await self.uow.session.execute(select(ProcessTimer.due_at).where(
            ProcessTimer.process == GATHERING_PROCESS.name,
            ProcessTimer.subject_id == gathering_id, ProcessTimer.fires == "start"))).scalar()

    async def audit_log(self) -> list[tuple[int, str, str]]:
        await self.uow.session.flush()
        rows = await self.uow.session.execute(select(
            AuditEntry.actor_id, AuditEntry.action, AuditEntry.subject).order_by(AuditEntry.id))
        return [tuple(row) for row in rows.all()]

    def events(self) -> list[Any]:
        return self.uow.events


class TestSqlAgenda(AgendaContract):
    @pytest.fixture
    async def agendas(self, app):
        async with app.uow() as uow:
            yield SqlAgendas(uow, SqlAgenda(uow))
