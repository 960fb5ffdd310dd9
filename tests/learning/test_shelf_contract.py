"""The library's shelf behaves alike in memory and in the database: one set of tests
(`ShelfContract`) runs against the tests' `MemoryShelf` (no database) and the `SqlShelf` (on
SQLite and PostgreSQL), so the use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.consulting.tables import ConsultantProfile
from core.learning.shelf import NewItem, Shelf, SqlShelf
from core.operators.tables import AuditEntry
from tests.learning.fakes import MemoryShelf
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both shelves' clocks stand here


def new(topic: str, title: str, author_id: int, minutes: int = 0, **where: Any) -> NewItem:
    return NewItem(kind=where.pop("kind", "link"), topic=topic, title=title,
                   summary=where.pop("summary", ""), author_id=author_id,
                   created_at=NOW - timedelta(minutes=minutes), **where)


class ShelfContract:
    """What every shelf does; a subclass gives `shelves`: a shelf and how people come to be."""

    async def test_an_item_put_is_got_back_as_it_was_with_its_new_id(self, shelves):
        ann = await shelves.person("Ann")
        first = await shelves.shelf.put(new("Logistics", "Rail or road", ann, minutes=5,
                                          url="https://example.org/rail"))
        second = await shelves.shelf.put(new("Logistics", "Port fees", ann, kind="pdf",
                                           file_path="library/1.pdf", file_name="fees.pdf"))
        assert second.id > first.id
        assert await shelves.shelf.get(first.id) == first
        assert await shelves.shelf.get(second.id) == second
        assert (first.title, first.url, first.created_at) == (
            "Rail or road", "https://example.org/rail", NOW - timedelta(minutes=5))
        assert (second.file_path, second.file_name, second.url) == (
            "library/1.pdf", "fees.pdf", None)
        assert await shelves.shelf.get(second.id + 1000) is None

    async def test_the_newest_come_first_by_topic_or_all_together_up_to_the_limit(self, shelves):
        ann = await shelves.person("Ann")
        a = await shelves.shelf.put(new("Logistics", "Rail or road", ann))
        b = await shelves.shelf.put(new("Pellet quality", "Fines", ann))
        c = await shelves.shelf.put(new("Logistics", "Port fees", ann))
        assert await shelves.shelf.newest("Logistics", 10) == [c, a]
        assert await shelves.shelf.newest("Logistics", 1) == [c]
        assert await shelves.shelf.newest(None, 10) == [c, b, a]
        assert await shelves.shelf.newest("Liquid biofuels", 10) == []

    async def test_counts_name_only_the_topics_holding_items(self, shelves):
        assert await shelves.shelf.counts() == {}
        ann = await shelves.person("Ann")
        for title in ("Rail or road", "Port fees"):
            await shelves.shelf.put(new("Logistics", title, ann))
        await shelves.shelf.put(new("Pellet quality", "Fines", ann))
        assert await shelves.shelf.counts() == {"Logistics": 2, "Pellet quality": 1}

    async def test_names_are_those_of_the_accounts_that_exist(self, shelves):
        ann, bob = await shelves.person("Ann Ozola"), await shelves.person("Bob Kalns")
        assert await shelves.shelf.names([ann, bob, ann]) == {ann: "Ann Ozola", bob: "Bob Kalns"}
        assert await shelves.shelf.names([bob, 999_999]) == {bob: "Bob Kalns"}
        assert await shelves.shelf.names([]) == {}

    async def test_admins_and_consultants_are_told_apart_from_everyone_else(self, shelves):
        root = await shelves.person("Root", admin=True)
        cara = await shelves.person("Cara", consultant=True)
        eve = await shelves.person("Eve")
        assert [await shelves.shelf.is_admin(a) for a in (root, cara, eve, 999_999)] == [
            True, False, False, False]
        assert [await shelves.shelf.is_consultant(a) for a in (root, cara, eve, 999_999)] == [
            False, True, False, False]

    async def test_audit_entries_are_kept_in_order_and_the_clock_is_the_units(self, shelves):
        root = await shelves.person("Root", admin=True)
        await shelves.shelf.audit(root, "resource-published", "resource:1", kind="link")
        await shelves.shelf.audit(root, "resource-published", "resource:2", kind="pdf")
        assert await shelves.audit_log() == [(root, "resource-published", "resource:1"),
                                           (root, "resource-published", "resource:2")]
        assert shelves.shelf.now() == NOW


@dataclass
class MemoryShelves:
    shelf: MemoryShelf = field(default_factory=MemoryShelf)

    async def person(self, name: str, *, admin: bool = False, consultant: bool = False) -> int:
        return self.shelf.person(len(self.shelf.people) + 1, name, admin=admin,
                                 consultant=consultant)

    async def audit_log(self) -> list[tuple[int, str, str]]:
        return [(a.actor_id, a.action, a.subject) for a in self.shelf.audited]


class TestMemoryShelf(ShelfContract):
    @pytest.fixture
    def shelves(self):
        return MemoryShelves()


@dataclass
class SqlShelves:
    """A SqlShelf in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    shelf: Shelf

    async def person(self, name: str, *, admin: bool = False, consultant: bool = False) -> int:
        account_id = await person_in(self.uow, name, operator="admin" if admin else None)
        now = self.uow.clock.now()
        if consultant:
            self.uow.add(ConsultantProfile(account_id=account_id, created_at=now,
                                           updated_at=now))
            await self.uow.session.flush()
        return account_id

    async def audit_log(self) -> list[tuple[int, str, str]]:
        await self.uow.session.flush()
        rows = await self.uow.session.execute(select(
            AuditEntry.actor_id, AuditEntry.action, AuditEntry.subject).order_by(AuditEntry.id))
        return [tuple(row) for row in rows.all()]


class TestSqlShelf(ShelfContract):
    @pytest.fixture
    async def shelves(self, app):
        async with app.uow() as uow:
            yield SqlShelves(uow, SqlShelf(uow))
