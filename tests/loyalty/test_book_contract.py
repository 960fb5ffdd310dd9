"""Loyalty's book behaves alike in memory and in the database: one set of tests (`BookContract`)
runs against the tests' `MemoryPointsBook` (no database) and the `SqlPointsBook` (on SQLite and
PostgreSQL), so the use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.loyalty.book import Movement, PointsBook, SqlPointsBook, member
from tests.loyalty.fakes import MemoryPointsBook
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both books' clocks start here
ISSUED, REDEEMED = "platform:issued", "platform:redeemed"


def issue(account_id: int, points: int) -> list[tuple[str, int]]:
    return [(ISSUED, -points), (member(account_id), points)]


class BookContract:
    """What every book does; a subclass gives `books`: a book, people, and a clock to move."""

    async def test_a_journal_is_recorded_once_per_key_with_the_legs_that_move_points(self, books):
        ann, bob = await books.person("Ann"), await books.person("Bob")
        first = await books.book.record("deal:1:ann", "deal", ann, "completed deal",
                                        [*issue(ann, 100), (member(bob), 0)])
        assert first is not None
        assert await books.book.record("deal:1:ann", "deal", ann, "again", issue(ann, 5)) is None
        second = await books.book.record("rating:1:ann", "rating", ann, "rating given",
                                         issue(ann, 10))
        assert second is not None and second > first
        assert await books.book.balance(member(ann)) == 110
        assert await books.book.balance(ISSUED) == -110
        assert await books.book.balance(member(bob)) == 0
        assert await books.book.history(bob, 10) == []
        assert await books.book.unbalanced_journals() == []

    async def test_a_journal_that_does_not_balance_is_found(self, books):
        ann = await books.person("Ann")
        await books.book.record("fine", "deal", ann, "x", issue(ann, 5))
        odd = await books.book.record("odd", "deal", ann, "x", [(ISSUED, -5), (member(ann), 4)])
        assert await books.book.unbalanced_journals() == [odd]

    async def test_earned_counts_the_points_in_since_a_moment_and_history_the_newest_first(
            self, books):
        ann = await books.person("Ann")
        await books.book.record("old", "deal", ann, "completed deal", issue(ann, 2500))
        await books.later(days=366)
        await books.book.record("spent", "redeem", ann, "redeemed",
                                [(member(ann), -2000), (REDEEMED, 2000)])
        await books.book.record("new", "session", ann, "completed session", issue(ann, 600))
        since = NOW + timedelta(days=1)
        assert await books.book.earned_since(ann, since) == 600
        assert await books.book.earned_since(ann, NOW) == 3100
        assert await books.book.earned_since(ann, NOW + timedelta(days=367)) == 0
        later = NOW + timedelta(days=366)
        assert await books.book.history(ann, 10) == [
            Movement(later, 600, "session", "completed session"),
            Movement(later, -2000, "redeem", "redeemed"),
            Movement(NOW, 2500, "deal", "completed deal")]
        assert [m.points for m in await books.book.history(ann, 2)] == [600, -2000]

    async def test_a_journal_is_of_a_kind_about_its_account(self, books):
        ann, bob = await books.person("Ann"), await books.person("Bob")
        await books.book.record("deal:1", "deal", ann, "x", [*issue(ann, 10), *issue(bob, 10)])
        assert await books.book.has_kind(ann, ("deal", "session"))
        assert not await books.book.has_kind(ann, ("session",))
        assert not await books.book.has_kind(bob, ("deal", "session"))

    async def test_a_member_is_made_once_and_found_by_code(self, books):
        ann, bob, eve = (await books.person("Ann"), await books.person("Bob"),
                         await books.person("Eve"))
        made = await books.book.enrol(ann, "ANNCODE1")
        assert (made.account_id, made.code, made.referred_by) == (ann, "ANNCODE1", None)
        assert await books.book.enrol(ann, "OTHER234", lock=True) == made
        assert await books.book.member_by_code("ANNCODE1") == ann
        assert await books.book.member_by_code("NOSUCH99") is None
        await books.book.enrol(bob, "BOBCODE1")
        assert await books.book.referrers((bob, eve)) == {bob: None}
        assert await books.book.refer(bob, ann)
        assert not await books.book.refer(bob, eve)
        assert not await books.book.refer(eve, ann)  # not a member yet
        assert await books.book.referrers((ann, bob)) == {ann: None, bob: ann}
        assert (await books.book.enrol(bob, "X")).referred_by == ann

    async def test_what_remains_of_a_redemption_is_taken_once_oldest_first(self, books):
        ann, bob = await books.person("Ann"), await books.person("Bob")
        first = await books.book.redeemed(ann, 800, "EUR", 800)
        second = await books.book.redeemed(ann, 500, "EUR", 500)
        await books.book.redeemed(ann, 500, "USD", 500)
        await books.book.redeemed(bob, 600, "EUR", 600)
        assert first != second
        assert await books.book.pending(ann) == 1800
        assert await books.book.open_redemptions(ann, "EUR") == [(first, 800), (second, 500)]
        assert await books.book.use(first, 800, 0, "deal:1")
        assert not await books.book.use(first, 800, 300, "deal:2")  # used meanwhile
        assert await books.book.use(second, 500, 200, "deal:1")
        assert await books.book.open_redemptions(ann, "EUR") == [(second, 200)]
        assert await books.book.pending(ann) == 700
        assert await books.book.open_redemptions(await books.person("Eve"), "EUR") == []

    async def test_the_clock_is_the_units(self, books):
        assert books.book.now() == NOW
        await books.later(minutes=5)
        assert books.book.now() == NOW + timedelta(minutes=5)


@dataclass
class MemoryBooks:
    book: MemoryPointsBook = field(default_factory=MemoryPointsBook)
    people: list[str] = field(default_factory=list)

    async def person(self, name: str) -> int:
        self.people.append(name)
        return len(self.people)

    async def later(self, **delta: int) -> None:
        self.book.at += timedelta(**delta)


class TestMemoryPointsBook(BookContract):
    @pytest.fixture
    def books(self):
        return MemoryBooks()


@dataclass
class SqlBooks:
    """A SqlPointsBook in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    book: PointsBook

    async def person(self, name: str) -> int:
        return await person_in(self.uow, name)

    async def later(self, **delta: int) -> None:
        self.uow.clock.advance(**delta)


class TestSqlPointsBook(BookContract):
    @pytest.fixture
    async def books(self, app):
        async with app.uow() as uow:
            yield SqlBooks(uow, SqlPointsBook(uow))
