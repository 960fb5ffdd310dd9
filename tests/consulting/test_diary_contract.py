"""The bookings' diary behaves alike in memory and in the database: one set of tests
(`DiaryContract`) runs against the tests' `MemoryDiary` (no database) and the `SqlDiary` (on
SQLite and PostgreSQL), so the bookings' use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from core.accounts.tables import Account
from core.consulting.bookings.diary import Diary, Held
from core.consulting.bookings.sql_diary import SqlDiary
from core.consulting.calendars.tables import CalendarBusy
from core.consulting.packages.tables import PackagePurchase, Retainer, SessionPackage
from core.consulting.tables import Booking, ConsultantProfile
from core.errors import NotFound
from core.events import Event
from core.process.bookings import BOOKING_PROCESS
from core.process.tables import ProcessTimer
from tests.consulting.booking_fakes import EVERY_DAY, MemoryDiary
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both diaries' clocks stand here
MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PROFILE = {"rate_kind": "session", "session_minutes": 60, "price_minor": 8000, "currency": "EUR",
           "timezone": "Europe/Riga", "weekly_hours": EVERY_DAY, "live": True}


def new(consultant: int, seeker: int, starts_at: datetime | None, *, minutes: int = 60,
        status: str = "requested") -> Booking:
    return Booking(consultant_id=consultant, seeker_id=seeker, kind="scheduled", status=status,
                   starts_at=starts_at, minutes=minutes, rate_kind="session", price_minor=8000,
                   max_minor=8000, currency="EUR", proposed_by=None, proposal_round=0,
                   fee_minor=0, sequence=0, created_at=NOW, updated_at=NOW, topic=None)


class DiaryContract:
    """What every diary does; a subclass gives `diaries`: a diary and how people come to be."""

    async def test_a_booking_added_is_got_back_with_its_id_and_profiles_are_found_or_not(
            self, diaries):
        ann, bob = await diaries.consultant("Ann"), await diaries.person("Bob")
        added = await diaries.diary.add(new(ann, bob, MONDAY_10))
        assert added.id > 0
        found = await diaries.diary.booking(added.id)
        assert found is not None and (found.consultant_id, found.seeker_id, found.status,
                                      found.starts_at, found.minutes) == (
            ann, bob, "requested", MONDAY_10, 60)
        assert (found.meeting_url, found.package_purchase_id, found.confirmed_at) == (
            None, None, None)
        assert await diaries.diary.booking(added.id + 1000) is None
        profile = await diaries.diary.profile(ann, lock=True)
        assert (profile.account_id, profile.live, profile.price_minor) == (ann, True, 8000)
        assert (await diaries.diary.profile(ann)).session_minutes == 60
        with pytest.raises(NotFound, match="no profile"):
            await diaries.diary.profile(bob)

    async def test_held_times_are_a_consultants_or_a_seekers_bookings_holding_a_slot(
            self, diaries):
        ann, cora = await diaries.consultant("Ann"), await diaries.consultant("Cora")
        bob, eve = await diaries.person("Bob"), await diaries.person("Eve")
        diary = diaries.diary
        first = await diary.add(new(ann, bob, MONDAY_10))
        await diary.add(new(ann, eve, None))  # times only proposed: holds nothing
        gone = await diary.add(new(ann, eve, MONDAY_10 + timedelta(hours=2)))
        assert await diary.move(gone, "requested", {"status": "declined"})
        other = await diary.add(new(cora, eve, MONDAY_10 + timedelta(hours=3)))
        day_before = await diary.add(new(ann, eve, MONDAY_10 - timedelta(hours=23)))
        start, end = MONDAY_10, MONDAY_10 + timedelta(hours=4)
        assert sorted(await diary.held(start, end, consultants=[ann]), key=_id) == [
            Held(first.id, ann, bob, MONDAY_10, 60),
            Held(day_before.id, ann, eve, MONDAY_10 - timedelta(hours=23), 60)]
        assert [h.booking_id for h in sorted(await diary.held(
            start, end, consultants=[ann, cora]), key=_id)] == [first.id, other.id, day_before.id]
        assert [h.booking_id for h in await diary.held(start, end, seeker=bob)] == [first.id]
        assert await diary.held(start + timedelta(hours=25), end + timedelta(days=2),
                                consultants=[ann]) == []
        assert await diary.held(start, MONDAY_10, seeker=bob) == []  # starts before the end
        assert await diary.held(start, end) == []

    async def test_proposals_come_by_round_earliest_first(self, diaries):
        ann, bob = await diaries.consultant("Ann"), await diaries.person("Bob")
        booking = await diaries.diary.add(new(ann, bob, None))
        later, sooner = MONDAY_10 + timedelta(days=1), MONDAY_10
        await diaries.diary.propose(booking.id, 1, [later, sooner], "seeker")
        await diaries.diary.propose(booking.id, 2, [MONDAY_10 + timedelta(days=3)], "consultant")
        one = await diaries.diary.proposals(booking.id, 1)
        assert [(p.booking_id, p.round, p.starts_at, p.proposed_by) for p in one] == [
            (booking.id, 1, sooner, "seeker"), (booking.id, 1, later, "seeker")]
        [two] = await diaries.diary.proposals(booking.id, 2)
        assert two.proposed_by == "consultant"
        assert await diaries.diary.proposal(one[1].id) == one[1]
        assert await diaries.diary.proposal(two.id + 1000) is None
        assert await diaries.diary.proposals(booking.id, 3) == []

    async def test_a_move_is_guarded_by_the_status_and_joins_count_once(self, diaries):
        ann, bob = await diaries.consultant("Ann"), await diaries.person("Bob")
        booking = await diaries.diary.add(new(ann, bob, MONDAY_10))
        assert not await diaries.diary.move(booking, "confirmed", {"status": "cancelled"})
        assert booking.status == "requested"
        assert await diaries.diary.move(booking, "requested", {
            "status": "confirmed", "confirmed_at": NOW, "meeting_url": "https://m.example/x"})
        assert (booking.status, booking.confirmed_at, booking.meeting_url) == (
            "confirmed", NOW, "https://m.example/x")
        again = await diaries.diary.booking(booking.id)
        assert again is not None and again.status == "confirmed"
        await diaries.diary.mark_joined(booking, "seeker", NOW)
        await diaries.diary.mark_joined(booking, "seeker", NOW + timedelta(minutes=5))
        await diaries.diary.mark_joined(booking, "consultant", NOW + timedelta(minutes=1))
        assert (booking.seeker_joined_at, booking.consultant_joined_at) == (
            NOW, NOW + timedelta(minutes=1))

    async def test_timers_run_by_state_until_stopped(self, diaries):
        ann, bob = await diaries.consultant("Ann"), await diaries.person("Bob")
        booking = await diaries.diary.add(new(ann, bob, MONDAY_10))
        due = {"expire-request": NOW + timedelta(hours=24)}
        await diaries.diary.schedule_timers(booking.id, "requested", due)
        assert await diaries.running(booking.id) == due
        await diaries.diary.stop_timers(booking.id, "requested")
        assert await diaries.running(booking.id) == {}
        await diaries.diary.schedule_timers(booking.id, "confirmed", {})
        assert await diaries.running(booking.id) == {}

    async def test_own_calendars_busy_times_overlapping_a_window(self, diaries):
        ann, cora = await diaries.consultant("Ann"), await diaries.consultant("Cora")
        span = (MONDAY_10, MONDAY_10 + timedelta(hours=1))
        await diaries.busy(ann, *span)
        await diaries.busy(cora, MONDAY_10 + timedelta(days=1), MONDAY_10 + timedelta(days=1, hours=1))
        assert await diaries.diary.calendar_busy([ann, cora], MONDAY_10 + timedelta(minutes=30),
                                                 MONDAY_10 + timedelta(hours=5)) == {ann: [span]}
        assert await diaries.diary.calendar_busy([ann], span[1], span[1] + timedelta(hours=1)) == {}
        assert await diaries.diary.calendar_busy([], MONDAY_10, span[1]) == {}

    async def test_a_persons_bookings_newest_first_names_zones_admins_and_the_rank(self, diaries):
        ann, bob = await diaries.consultant("Ann"), await diaries.person("Bob", zone="Asia/Tokyo")
        root, eve = await diaries.person("Root", admin=True), await diaries.person("Eve")
        a = await diaries.diary.add(new(ann, bob, MONDAY_10))
        await diaries.diary.add(new(ann, eve, None))
        b = await diaries.diary.add(new(ann, bob, None))
        assert [x.id for x in await diaries.diary.bookings_of(bob, 10)] == [b.id, a.id]
        assert [x.id for x in await diaries.diary.bookings_of(bob, 1)] == [b.id]
        assert len(await diaries.diary.bookings_of(ann, 10)) == 3
        assert await diaries.diary.bookings_of(root, 10) == []
        assert await diaries.diary.names([ann, bob, 999_999]) == {ann: "Ann", bob: "Bob"}
        await diaries.without_email(root)
        assert await diaries.diary.emails([ann, root, 999_999]) == {ann: "ann@example.com"}
        assert (await diaries.diary.zone_of(bob), await diaries.diary.zone_of(eve),
                await diaries.diary.zone_of(999_999)) == ("Asia/Tokyo", "UTC", "UTC")
        assert [await diaries.diary.is_admin(x) for x in (root, ann, 999_999)] == [
            True, False, False]
        await diaries.diary.count_completed(ann)
        await diaries.diary.count_completed(ann)
        assert await diaries.completed(ann) == 2
        diaries.diary.emit(Event())
        assert diaries.diary.now() == NOW
        assert diaries.diary.policy().join_window == timedelta(minutes=2)

    async def test_the_packages_held_are_the_running_retainers_and_paid_packages_of_both_sides(
            self, diaries):
        ann, bea = await diaries.consultant("Ann"), await diaries.consultant("Bea")
        bob, eve = await diaries.person("Bob"), await diaries.person("Eve")
        active = await diaries.retainer(bob, ann, "active")
        await diaries.retainer(bob, bea, "cancelled")
        late = await diaries.retainer(eve, ann, "past_due")
        paid = await diaries.purchase(bob, ann, "active", used=2, reserved=1)
        await diaries.purchase(bob, bea, "awaiting_payment")
        await diaries.purchase(eve, bea, "expired")
        running, balances = await diaries.diary.packages_held(bob)
        assert [r.id for r in running] == [active]
        assert [(b.purchase_id, b.consultant_id, b.left, b.booked, b.used) for b in balances] == [
            (paid, ann, 2, 1, 2)]
        running, balances = await diaries.diary.packages_held(ann)
        assert ([r.id for r in running], [b.purchase_id for b in balances]) == (
            [active, late], [paid])
        assert await diaries.diary.packages_held(bea) == ([], [])

    async def test_who_offers_session_packages_now(self, diaries):
        ann, bea = await diaries.consultant("Ann"), await diaries.consultant("Bea")
        cara = await diaries.consultant("Cara")
        await diaries.package(ann, active=True)
        await diaries.package(bea, active=False)  # withdrawn
        assert [await diaries.diary.offers_packages(c) for c in (ann, bea, cara)] == [
            True, False, False]

    async def test_who_is_online_now_the_most_experienced_first(self, diaries):
        ann, bea = await diaries.consultant("Ann"), await diaries.consultant("Bea")
        cara, dora = await diaries.consultant("Cara"), await diaries.consultant("Dora")
        eli = await diaries.consultant("Eli")
        for who, online, done, live in ((ann, 5, 9, True), (bea, 5, 1, True),
                                        (cara, 5, 4, True), (dora, -1, 7, True),
                                        (eli, 5, 8, False)):
            profile = await diaries.diary.profile(who)
            profile.online_until = NOW + timedelta(minutes=online)  # Dora lapsed a minute ago
            profile.sessions_completed, profile.live = done, live  # Eli is out of the directory
        assert [p.account_id for p in await diaries.diary.online_now(ann)] == [cara, bea]
        assert [p.account_id for p in await diaries.diary.online_now(bea)] == [ann, cara]


def retainer_row(seeker: int, consultant: int, status: str) -> Retainer:
    return Retainer(seeker_id=seeker, consultant_id=consultant, sessions=4, minutes=60,
                    price_minor=28800, currency="EUR", refund_rule="none", status=status,
                    months=1, consent_at=NOW, renews_at=NOW + timedelta(days=30),
                    cancelled_at=None, cancelled_by=None, created_at=NOW)


def purchase_row(seeker: int, consultant: int, status: str, *, used: int = 0,
                 reserved: int = 0) -> PackagePurchase:
    return PackagePurchase(seeker_id=seeker, consultant_id=consultant, sessions=5, minutes=60,
                           price_minor=35000, currency="EUR", valid_days=90, refund_rule="full",
                           status=status, reserved=reserved, used=used, paid_at=NOW,
                           expires_at=NOW + timedelta(days=90), settled_at=None,
                           reminded_at=None, retainer_id=None, month=None, starts_at=None,
                           created_at=NOW)


def _id(held: Held) -> int:
    return held.booking_id


@dataclass
class MemoryDiaries:
    diary: MemoryDiary = field(default_factory=MemoryDiary)

    async def person(self, name: str, *, zone: str | None = None, admin: bool = False) -> int:
        account_id = self.diary.person(len(self.diary.people) + 1, name, zone=zone, admin=admin)
        self.diary.addresses[account_id] = f"{name.lower()}@example.com"
        return account_id

    async def consultant(self, name: str) -> int:
        account_id = self.diary.consultant(len(self.diary.people) + 1, name, **PROFILE).account_id
        self.diary.addresses[account_id] = f"{name.lower()}@example.com"
        return account_id

    async def without_email(self, account_id: int) -> None:
        del self.diary.addresses[account_id]

    async def busy(self, consultant_id: int, start: datetime, end: datetime) -> None:
        self.diary.calendars.setdefault(consultant_id, []).append((start, end))

    async def running(self, booking_id: int) -> dict[str, datetime]:
        return self.diary.running(booking_id)

    async def completed(self, consultant_id: int) -> int:
        return self.diary.profiles[consultant_id].sessions_completed

    async def package(self, consultant_id: int, *, active: bool) -> None:
        if active:
            self.diary.packaged.add(consultant_id)

    async def retainer(self, seeker: int, consultant: int, status: str) -> int:
        made = retainer_row(seeker, consultant, status)
        made.id = len(self.diary.retainers) + 1
        self.diary.retainers.append(made)
        return made.id

    async def purchase(self, seeker: int, consultant: int, status: str, **counts: int) -> int:
        made = purchase_row(seeker, consultant, status, **counts)
        made.id = len(self.diary.purchases) + 1
        self.diary.purchases.append(made)
        return made.id


class TestMemoryDiary(DiaryContract):
    @pytest.fixture
    def diaries(self):
        return MemoryDiaries()


@dataclass
class SqlDiaries:
    """A SqlDiary in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    diary: Diary

    async def person(self, name: str, *, zone: str | None = None, admin: bool = False) -> int:
        return await person_in(self.uow, name, operator="admin" if admin else None,
                               timezone=zone or "UTC")

    async def consultant(self, name: str) -> int:
        account_id = await self.person(name, zone="Europe/Riga")
        now = self.uow.clock.now()
        self.uow.add(ConsultantProfile(account_id=account_id, created_at=now, updated_at=now,
                                       **PROFILE))
        await self.uow.session.flush()
        return account_id

    async def without_email(self, account_id: int) -> None:
        await self.uow.session.execute(update(Account).where(Account.id == account_id)
                                       .values(email=None))

    async def busy(self, consultant_id: int, start: datetime, end: datetime) -> None:
        self.uow.add(CalendarBusy(account_id=consultant_id, starts_at=start, ends_at=end))
        await self.uow.session.flush()

    async def running(self, booking_id: int) -> dict[str, datetime]:
        await self.uow.write_staged()
        rows = await self.uow.session.execute(select(ProcessTimer.fires, ProcessTimer.due_at)
                                              .where(ProcessTimer.process == BOOKING_PROCESS.name,
                                                     ProcessTimer.subject_id == booking_id,
                                                     ProcessTimer.done_at.is_(None)))
        return dict(rows.all())

    async def completed(self, consultant_id: int) -> int:
        return (await self.uow.session.execute(select(ConsultantProfile.sessions_completed).where(
            ConsultantProfile.account_id == consultant_id))).scalar_one()

    async def package(self, consultant_id: int, *, active: bool) -> int:
        offer = SessionPackage(consultant_id=consultant_id, sessions=5, minutes=60,
                               price_minor=35000, currency="EUR", valid_days=90,
                               refund_rule="full", active=active, created_at=NOW)
        self.uow.add(offer)
        await self.uow.session.flush()
        return offer.id

    async def retainer(self, seeker: int, consultant: int, status: str) -> int:
        made = retainer_row(seeker, consultant, status)
        made.package_id = await self.package(consultant, active=True)
        self.uow.add(made)
        await self.uow.session.flush()
        return made.id

    async def purchase(self, seeker: int, consultant: int, status: str, **counts: int) -> int:
        made = purchase_row(seeker, consultant, status, **counts)
        made.package_id = await self.package(consultant, active=True)
        self.uow.add(made)
        await self.uow.session.flush()
        return made.id


class TestSqlDiary(DiaryContract):
    @pytest.fixture
    async def diaries(self, app):
        async with app.uow() as uow:
            yield SqlDiaries(uow, SqlDiary(uow))
