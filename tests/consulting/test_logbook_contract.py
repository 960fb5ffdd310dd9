"""The sessions' logbook behaves alike in memory and in the database: one set of tests
(`LogbookContract`) runs against the tests' `MemoryLogbook` (no database) and the `SqlLogbook`
(on SQLite and PostgreSQL), so the sessions' use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts import service as accounts
from core.consulting.sessions import from_booking
from core.consulting.sessions.lifecycle import SESSION_PROCESS
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.sql_logbook import SqlLogbook
from core.consulting.sessions.tables import (
    ConsultReputation,
    ConsultSession,
    SessionExtension,
    SessionMessage,
    SessionReview,
)
from core.money.model import Money
from core.operators.tables import OperatorRole
from core.process.tables import ProcessTimer
from tests.consulting.session_fakes import MemoryLogbook, book


def _message(session_id: int, sender: int, text: str, at: datetime) -> SessionMessage:
    return SessionMessage(session_id=session_id, sender_id=sender, kind="text", text=text,
                          file_path=None, file_name=None, mime_type=None, created_at=at)


def _extension(session_id: int, number: int, at: datetime) -> SessionExtension:
    return SessionExtension(session_id=session_id, number=number, minutes=15,
                            amount_minor=6000 + number, reference=f"s{session_id}:x:{number}",
                            authorised_at=None, created_at=at)


def _review(session: ConsultSession, stars: int, at: datetime) -> SessionReview:
    return SessionReview(session_id=session.id, consultant_id=session.consultant_id,
                         seeker_id=session.seeker_id, stars=stars, comment=None, quote_ok=False,
                         reply=None, replied_at=None, created_at=at)


class LogbookContract:
    """What every logbook does; a subclass gives `logbooks`: a logbook, how people and
    sessions come to be, what is stored beyond the protocol's reads, and the free minutes'
    rule (`rule`: the policy's `AGORA_FREE_MINUTES_RULE`)."""

    async def test_a_session_is_found_or_not_and_admins_are_known(self, logbooks):
        ann, jan, root = await logbooks.people("Ann", "Jan", "Root")
        made = await logbooks.session(ann, jan)
        found = await logbooks.logbook.session(made.id, fresh=True)
        assert found is not None and (found.seeker_id, found.consultant_id, found.status,
                                      found.booked_minutes) == (ann, jan, "waiting", 30)
        assert await logbooks.logbook.session(made.id + 1000) is None
        of_booking = await logbooks.logbook.of_booking(1)  # the booking's session
        assert of_booking is not None and of_booking.id == made.id
        assert await logbooks.logbook.of_booking(1000) is None
        assert [await logbooks.logbook.is_admin(p) for p in (ann, root)] == [False, True]

    async def test_a_move_is_guarded_by_the_status_and_a_join_counts_once(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_, session = logbooks.logbook, await logbooks.session(ann, jan)
        at = book_.now()
        assert await book_.mark_joined(session, "consultant", at) == (None, at)
        assert await book_.mark_joined(session, "consultant", at + timedelta(minutes=1)) is None
        assert await book_.mark_joined(session, "seeker", at) == (at, at)
        assert (session.seeker_joined_at, session.consultant_joined_at) == (at, at)
        assert await book_.move(session, "waiting", {"status": "live_free", "started_at": at})
        assert (session.status, session.started_at) == ("live_free", at)
        assert not await book_.move(session, "waiting", {"status": "called_off"})
        await book_.reload(session)
        assert session.status == "live_free"
        again = await book_.session(session.id, fresh=True)
        assert again is not None and again.status == "live_free"

    async def test_timers_run_by_state_until_stopped(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        session = await logbooks.session(ann, jan)
        book_, now = logbooks.logbook, logbooks.logbook.now()
        assert await logbooks.running(session.id) == {"no-show": now + timedelta(minutes=10)}
        await book_.stop_timers(session.id, "waiting")
        await book_.restart_timers(session.id, "live_free",
                                   {"go-paid": now + timedelta(minutes=10)})
        assert await logbooks.running(session.id) == {"go-paid": now + timedelta(minutes=10)}
        await book_.restart_timers(session.id, "live_paid", {})  # the process's own delay
        assert await logbooks.running(session.id) == {"go-paid": now + timedelta(minutes=10),
                                                      "time-up": now}
        await book_.stop_timers(session.id, "live_free")
        await book_.stop_timers(session.id, "live_paid")
        assert await logbooks.running(session.id) == {}

    async def test_a_pairs_free_minutes_are_used_once_a_session_started_free(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_ = logbooks.logbook
        first = await logbooks.session(ann, jan)
        second = await logbooks.session(ann, jan, booking_id=2)
        assert await book_.free_minutes(ann, jan, first.id) == 10
        assert await book_.move(first, "waiting", {"status": "live_free", "free_used": True,
                                                   "started_at": book_.now()})
        assert await book_.free_minutes(ann, jan, second.id) == 0
        assert await book_.free_minutes(ann, jan, first.id) == 10  # itself does not count
        assert await book_.free_minutes(jan, ann, second.id) == 10
        assert await book_.free_minutes(None, jan) == 10  # someone new to Jan: a visitor
        assert (await book_.booking_room(second)).startswith("https://")

    async def test_a_rule_with_days_counts_only_the_free_sessions_started_within_them(
            self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_ = logbooks.logbook
        logbooks.rule("once per pair per 30 days")
        first = await logbooks.session(ann, jan)
        assert await book_.move(first, "waiting", {
            "status": "ended_free", "free_used": True,
            "started_at": book_.now() - timedelta(days=30, minutes=1)})
        assert await book_.free_minutes(ann, jan) == 10  # its days are over
        second = await logbooks.session(ann, jan, booking_id=2)
        assert await book_.move(second, "waiting", {
            "status": "ended_free", "free_used": True,
            "started_at": book_.now() - timedelta(days=29)})
        assert await book_.free_minutes(ann, jan) == 0
        assert await book_.free_minutes(ann, jan, second.id) == 10
        logbooks.rule("every session")
        assert await book_.free_minutes(ann, jan) == 10
        logbooks.rule("never")
        assert await book_.free_minutes(jan, ann) == 0

    async def test_messages_and_extensions_come_in_order(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_, session = logbooks.logbook, await logbooks.session(ann, jan)
        other = await logbooks.session(ann, jan, booking_id=2)
        first = await book_.add_message(_message(session.id, ann, "Hello", book_.now()))
        await book_.add_message(_message(other.id, ann, "Elsewhere", book_.now()))
        second = await book_.add_message(_message(session.id, jan, "Hi", book_.now()))
        assert 0 < first.id < second.id
        assert [m.text for m in await book_.messages(session.id)] == ["Hello", "Hi"]
        assert (await book_.message(second.id)).text == "Hi"  # relayed to the other party
        assert await book_.message(second.id + 1000) is None
        await book_.add_extension(_extension(session.id, 2, book_.now()))
        one = await book_.add_extension(_extension(session.id, 1, book_.now()))
        assert one.id > 0
        assert [e.number for e in await book_.extensions(session.id)] == [1, 2]
        assert await book_.extensions(other.id) == []

    async def test_a_session_has_one_review_the_consultant_replies_once(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_, session = logbooks.logbook, await logbooks.session(ann, jan)
        assert await book_.review_of(session.id) is None
        review = _review(session, 4, book_.now())
        assert await book_.add_review(review) and review.id > 0
        assert not await book_.add_review(_review(session, 2, book_.now()))
        assert await book_.review_of(session.id) == review.id
        found = await book_.review(review.id)
        assert found is not None and found.stars == 4
        assert await book_.review(review.id + 1000) is None
        assert await book_.reply_once(review, "Thanks", book_.now())
        assert (review.reply, review.replied_at) == ("Thanks", book_.now())
        assert not await book_.reply_once(review, "Again", book_.now())
        assert review.reply == "Thanks"

    async def test_reviews_newest_first_and_the_standing_against_every_consultants_mean(
            self, logbooks):
        ann, jan, olga = await logbooks.people("Ann", "Jan", "Olga")
        book_ = logbooks.logbook
        assert await book_.standing(jan) == (0, 0, 0, None)
        reviewed = []
        for booking_id, consultant, stars in ((1, jan, 5), (2, jan, 4), (3, olga, 3)):
            session = await logbooks.session(ann, consultant, booking_id=booking_id)
            assert await book_.move(session, "waiting", {"status": "ended_paid"})
            assert await book_.add_review(_review(session, stars, book_.now()))
            reviewed.append(session)
        await logbooks.session(ann, jan, booking_id=4)  # waiting: not held
        total, count, held, mean = await book_.standing(jan)
        assert (total, count, held) == (9, 2, 2) and mean == Decimal(4)
        assert [r.stars for r in await book_.reviews_of(jan, 20, 0)] == [4, 5]
        assert [r.stars for r in await book_.reviews_of(jan, 1, 1)] == [5]
        await book_.keep_standing(jan, 408, 2, 2)
        await book_.keep_standing(jan, 410, 3, 3)
        assert await logbooks.kept(jan) == (410, 3, 3)

    async def test_a_recap_is_granted_once_free_by_default_and_names_are_known(self, logbooks):
        ann, jan, __ = await logbooks.people("Ann", "Jan", "Root")
        book_, session = logbooks.logbook, await logbooks.session(ann, jan)
        assert book_.recap_price("EUR") == Money(0, "EUR")
        assert await book_.grant_recap(session.id, book_.now())
        assert not await book_.grant_recap(session.id, book_.now() + timedelta(minutes=1))
        granted = await book_.session(session.id, fresh=True)
        assert granted is not None and granted.recap_granted_at == book_.now()
        assert await book_.names([ann, jan, jan + 1000]) == {ann: "Ann", jan: "Jan"}


@dataclass
class MemoryLogbooks:
    logbook: MemoryLogbook = field(default_factory=MemoryLogbook)
    known: int = 0

    async def people(self, *names: str) -> tuple[int, ...]:
        ids = tuple(range(self.known + 1, self.known + 1 + len(names)))
        self.known += len(names)
        self.logbook.admins.update(i for i, n in zip(ids, names, strict=True) if n == "Root")
        self.logbook.people.update(zip(ids, names, strict=True))
        return ids

    async def session(self, seeker: int, consultant: int, booking_id: int = 1) -> ConsultSession:
        return self.logbook.sessions[book(self.logbook, seeker, consultant,
                                          booking_id=booking_id)]

    async def running(self, session_id: int) -> dict[str, datetime]:
        return self.logbook.running(session_id)

    def rule(self, text: str) -> None:
        self.logbook.free_rule = text

    async def kept(self, consultant_id: int) -> tuple[int, int, int]:
        return self.logbook.standings[consultant_id]


class TestMemoryLogbook(LogbookContract):
    @pytest.fixture
    def logbooks(self):
        return MemoryLogbooks()


@dataclass
class SqlLogbooks:
    """A SqlLogbook in one open unit of work; people and sessions made in it, rolled back."""

    uow: Any
    logbook: Logbook

    async def people(self, *names: str) -> tuple[int, ...]:
        ids = []
        for name in names:
            key = name.lower()
            account = await accounts.register(self.uow, accounts.ChannelIdentity(
                "terminal", key, key), accounts.Registration(
                display_name=name, email=f"{key}@example.com", roles=["buyer"]))
            if name == "Root":
                self.uow.add(OperatorRole(account_id=account.id, role="admin",
                                          granted_at=self.uow.clock.now()))
            ids.append(account.id)
        await self.uow.session.flush()
        return tuple(ids)

    async def session(self, seeker: int, consultant: int, booking_id: int = 1) -> ConsultSession:
        session = await from_booking.create_for_booking(
            self.uow, booking_id, consultant, seeker, Money.parse("60.00", "EUR"), "session30",
            30, self.uow.clock.now())
        await self.uow.session.flush()
        return session

    async def running(self, session_id: int) -> dict[str, datetime]:
        await self.uow.write_staged()
        rows = await self.uow.session.execute(select(ProcessTimer.fires, ProcessTimer.due_at)
                                              .where(ProcessTimer.process == SESSION_PROCESS.name,
                                                     ProcessTimer.subject_id == session_id,
                                                     ProcessTimer.done_at.is_(None)))
        return dict(rows.all())

    def rule(self, text: str) -> None:
        self.uow.policy = replace(self.uow.policy, free_minutes_rule=text)

    async def kept(self, consultant_id: int) -> tuple[int, int, int]:
        row = await self.uow.get(ConsultReputation, consultant_id)
        return row.rating_x100, row.reviews, row.sessions


class TestSqlLogbook(LogbookContract):
    @pytest.fixture
    async def logbooks(self, app):
        async with app.uow() as uow:
            yield SqlLogbooks(uow, SqlLogbook(uow))
