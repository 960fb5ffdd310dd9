"""A consultant's figures are read alike in memory and in the database: one set of tests
(`TallyContract`) runs against the tests' `MemoryTally` (no database) and the `SqlTally` (on
SQLite and PostgreSQL), so the figures tested on the fake hold on the real ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from core.accounts.tables import Account
from core.consulting.profiles.figures import Held, Review
from core.consulting.profiles.tally import SqlTally
from core.consulting.sessions.sql_logbook import SqlLogbook
from core.consulting.sessions.tables import SessionReview
from core.consulting.tables import Booking
from core.money.model import CommissionRule
from tests.consulting.session_fakes import MemoryTally
from tests.consulting.test_logbook_contract import MemoryLogbooks, SqlLogbooks


class TallyContract:
    """What every tally reads; a subclass gives `tallies`: a tally over `logbooks`, and how
    bookings are asked and accounts set."""

    async def test_the_sessions_held_earliest_ended_first_and_their_reviews(self, tallies):
        logbooks = tallies.logbooks
        ann, jan, olga = await logbooks.people("Ann", "Jan", "Olga")
        book, now = logbooks.logbook, logbooks.logbook.now()
        later = await logbooks.session(ann, jan)
        earlier = await logbooks.session(ann, jan, booking_id=2)
        await logbooks.session(ann, jan, booking_id=3)  # waiting: not held
        elsewhere = await logbooks.session(ann, olga, booking_id=4)
        for session, ended, charged in ((later, 30, 6000), (earlier, 10, 0), (elsewhere, 5, 1)):
            assert await book.move(session, "waiting", {
                "status": "ended_paid" if charged else "ended_free", "started_at": now,
                "ended_at": now + timedelta(minutes=ended), "charged_minor": charged})
            assert await book.add_review(SessionReview(
                session_id=session.id, consultant_id=session.consultant_id, seeker_id=ann,
                stars=3 + ended // 10, comment=None, quote_ok=False, reply=None,
                replied_at=None, created_at=now))
        assert await tallies.tally.held(jan) == [
            Held(now, now + timedelta(minutes=10), 0, "EUR"),
            Held(now, now + timedelta(minutes=30), 6000, "EUR")]
        assert sorted(await tallies.tally.reviews(jan), key=lambda r: r.stars) == [
            Review(4, now), Review(6, now)]
        assert await tallies.tally.held(ann) == []

    async def test_requests_accounts_admins_the_commission_and_the_clock(self, tallies):
        ann, jan, root = await tallies.logbooks.people("Ann", "Jan", "Root")
        now = tallies.tally.now()
        assert now == tallies.logbooks.logbook.now()
        assert await tallies.tally.requests(jan) == (0, [])
        for minutes in (2, 30, None):
            await tallies.ask(jan, ann, now, now + timedelta(minutes=minutes) if minutes else None)
        count, times = await tallies.tally.requests(jan)
        assert (count, sorted(times)) == (3, [timedelta(minutes=2), timedelta(minutes=30)])
        assert await tallies.tally.account(jan + 1000) == (None, None)  # no such account
        await tallies.set_account(jan, "Europe/Riga", "GBP")
        assert await tallies.tally.account(jan) == ("Europe/Riga", "GBP")
        assert [await tallies.tally.is_admin(p) for p in (jan, root)] == [False, True]
        assert tallies.tally.commission() == CommissionRule(Decimal(15), Decimal(2))


class MemoryTallies:
    def __init__(self) -> None:
        self.logbooks = MemoryLogbooks()
        self.tally = MemoryTally(self.logbooks.logbook)

    async def ask(self, consultant: int, seeker: int, at: Any, confirmed: Any) -> None:
        self.tally.asked.setdefault(consultant, []).append((at, confirmed))

    async def set_account(self, account_id: int, zone: str, currency: str) -> None:
        self.tally.accounts[account_id] = (zone, currency)


class TestMemoryTally(TallyContract):
    @pytest.fixture
    def tallies(self):
        return MemoryTallies()


@dataclass
class SqlTallies:
    logbooks: SqlLogbooks
    tally: SqlTally

    async def ask(self, consultant: int, seeker: int, at: Any, confirmed: Any) -> None:
        self.logbooks.uow.add(Booking(
            consultant_id=consultant, seeker_id=seeker, kind="scheduled",
            status="confirmed" if confirmed else "declined", minutes=30, rate_kind="session",
            price_minor=6000, max_minor=6000, currency="EUR", created_at=at, updated_at=at,
            confirmed_at=confirmed))
        await self.logbooks.uow.session.flush()

    async def set_account(self, account_id: int, zone: str, currency: str) -> None:
        await self.logbooks.uow.session.execute(update(Account).where(Account.id == account_id)
                                                .values(timezone=zone, currency=currency))
        self.logbooks.uow.session.expire_all()


class TestSqlTally(TallyContract):
    @pytest.fixture
    async def tallies(self, app):
        async with app.uow() as uow:
            yield SqlTallies(SqlLogbooks(uow, SqlLogbook(uow)), SqlTally(uow))
