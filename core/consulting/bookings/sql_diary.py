"""The bookings' diary in the database (`core.consulting.bookings.diary.Diary`), inside the
caller's unit of work: what it writes is committed, or rolled back, with the rest of the use
case (`async with uow:` … `await uow.commit()` stays the caller's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.consulting.bookings.diary import Diary, Held, Proposal, Span
from core.consulting.calendars import service as calendars
from core.consulting.packages import balances as package_balances
from core.consulting.packages import drawing as package_drawing
from core.consulting.packages import retainers
from core.consulting.packages import service as packages
from core.consulting.packages.balances import Balance
from core.consulting.packages.tables import Retainer
from core.consulting.profiles import service as profiles
from core.consulting.tables import Booking, BookingProposal, ConsultantProfile
from core.events import Event
from core.operators.roles import is_admin
from core.policy import BookingPolicy
from core.process import timers
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, HOLDS_SLOT
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlDiary(SqlStore):
    """The diary in the database, inside `uow`'s transaction."""

    def policy(self) -> BookingPolicy:
        return self._uow.policy.booking

    async def is_admin(self, account_id: int) -> bool:
        return await is_admin(self._uow, account_id)

    async def booking(self, booking_id: int) -> Booking | None:
        return await self._uow.get(Booking, booking_id)

    async def profile(self, consultant_id: int, *, lock: bool = False) -> ConsultantProfile:
        return await profiles.get(self._uow, consultant_id, lock=lock)

    async def held(self, start: datetime, end: datetime, *,
                   consultants: Iterable[int] = (), seeker: int | None = None) -> list[Held]:
        wanted = list(consultants)
        if not wanted and seeker is None:
            return []
        whose = Booking.seeker_id == seeker if seeker is not None else \
            Booking.consultant_id.in_(wanted)
        rows = (await self._uow.session.execute(select(
            Booking.id, Booking.consultant_id, Booking.seeker_id, Booking.starts_at,
            Booking.minutes).where(whose, Booking.status.in_(HOLDS_SLOT),
                                   Booking.starts_at.is_not(None), Booking.starts_at < end,
                                   Booking.starts_at > start - timedelta(hours=24)))).all()
        return [Held(i, consultant, seeker_id, at, minutes)
                for i, consultant, seeker_id, at, minutes in rows if at is not None]

    async def calendar_busy(self, consultants: Iterable[int], start: datetime,
                            end: datetime) -> dict[int, list[Span]]:
        found = await calendars.busy_between(self._uow, list(consultants), start, end)
        return {account_id: list(spans) for account_id, spans in found.items()}

    async def ensure_calendar_fresh(self, sync: calendars.CalendarSync,
                                    consultant_id: int) -> None:
        await sync.ensure_fresh(self._uow, consultant_id)

    async def add(self, booking: Booking) -> Booking:
        await self._uow.insert(booking)
        return booking

    async def reserve_package(self, booking: Booking) -> None:
        await package_drawing.reserve(self._uow, booking)

    async def check_package_start(self, booking: Booking, starts_at: datetime) -> None:
        await package_drawing.check_start(self._uow, booking, starts_at)

    async def propose(self, booking_id: int, round_: int, times: Iterable[datetime],
                      role: str) -> None:
        now = self.now()
        for moment in times:
            self._uow.add(BookingProposal(booking_id=booking_id, round=round_, starts_at=moment,
                                          proposed_by=role, created_at=now))
        await self._uow.session.flush()

    async def proposals(self, booking_id: int, round_: int) -> list[Proposal]:
        rows = (await self._uow.session.execute(select(BookingProposal).where(
            BookingProposal.booking_id == booking_id, BookingProposal.round == round_)
            .order_by(BookingProposal.starts_at))).scalars()
        return [_proposal(row) for row in rows]

    async def proposal(self, proposal_id: int) -> Proposal | None:
        row = await self._uow.get(BookingProposal, proposal_id)
        return _proposal(row) if row is not None else None

    async def move(self, booking: Booking, source: str, values: dict[str, Any]) -> bool:
        # A guarded `UPDATE … WHERE status = :source`: two steps at once move it once.
        moved = await self._uow.session.execute(update(Booking).where(
            Booking.id == booking.id, Booking.status == source).values(**values)
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for name, value in values.items():
            set_committed_value(booking, name, value)  # what the row now holds
        return True

    async def mark_joined(self, booking: Booking, role: str, at: datetime) -> None:
        column = Booking.consultant_joined_at if role == CONSULTANT else Booking.seeker_joined_at
        await self._uow.session.execute(update(Booking).where(
            Booking.id == booking.id, column.is_(None)).values({column: at})
            .execution_options(synchronize_session=False))
        await self._uow.session.refresh(booking)

    async def stop_timers(self, booking_id: int, state: str) -> None:
        await timers.stop(self._uow, BOOKING_PROCESS, booking_id, state)

    async def schedule_timers(self, booking_id: int, state: str,
                              due: dict[str, datetime]) -> None:
        await timers.schedule(self._uow, BOOKING_PROCESS, booking_id, state, due)

    async def count_completed(self, consultant_id: int) -> None:
        await self._uow.session.execute(update(ConsultantProfile).where(
            ConsultantProfile.account_id == consultant_id)
            .values(sessions_completed=ConsultantProfile.sessions_completed + 1,
                    updated_at=self.now()))

    async def zone_of(self, account_id: int) -> str:
        me = await self._uow.get(Account, account_id)
        return me.timezone if me is not None and me.timezone else "UTC"

    async def bookings_of(self, account_id: int, limit: int) -> list[Booking]:
        return list((await self._uow.session.execute(select(Booking).where(
            or_(Booking.seeker_id == account_id, Booking.consultant_id == account_id))
            .order_by(Booking.id.desc()).limit(limit))).scalars().all())

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        rows = await self._uow.session.execute(select(Account.id, Account.display_name).where(
            Account.id.in_(set(account_ids))))
        return {account_id: name for account_id, name in rows.all()}

    async def emails(self, account_ids: Iterable[int]) -> dict[int, str]:
        rows = await self._uow.session.execute(select(Account.id, Account.email).where(
            Account.id.in_(set(account_ids)), Account.email.is_not(None)))
        return {account_id: email for account_id, email in rows.all() if email}

    async def offers_packages(self, consultant_id: int) -> bool:
        return bool(await packages.offers_of(self._uow, consultant_id))

    async def packages_held(self, account_id: int) -> tuple[list[Retainer], list[Balance]]:
        return (await retainers.of_account(self._uow, account_id),
                await package_balances.balances(self._uow, account_id))

    async def online_now(self, other_than: int) -> list[ConsultantProfile]:
        return list((await self._uow.session.execute(select(ConsultantProfile).where(
            ConsultantProfile.live.is_(True), ConsultantProfile.online_until > self.now(),
            ConsultantProfile.account_id != other_than)
            .order_by(ConsultantProfile.sessions_completed.desc()))).scalars().all())

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def _proposal(row: BookingProposal) -> Proposal:
    return Proposal(row.id, row.booking_id, row.round, row.starts_at, row.proposed_by)


def diary_of(uow: UnitOfWork | Diary) -> Diary:
    """The bookings' diary in this unit of work: the database's, or the diary given (a test's
    in-memory one)."""
    return store_of(uow, Diary, SqlDiary)
