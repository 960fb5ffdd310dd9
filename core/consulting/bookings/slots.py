"""Holding a consultant's time: the one place a slot becomes busy. The consultant's profile row
is locked first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction already holds
the write lock from `BEGIN IMMEDIATE`), then the busy times are read and the new one checked
against them, buffers and the daily maximum included, then written — so two seekers racing for
one slot are serialised and the second one sees the first one's booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.consulting.bookings.availability import Schedule, free_slots, why_not, window
from core.consulting.calendars import service as calendars
from core.consulting.profiles import service as profiles
from core.consulting.tables import Booking, ConsultantProfile
from core.errors import Conflict, DomainError
from core.i18n import N_, _
from core.process.bookings import HOLDS_SLOT
from core.storage.uow import UnitOfWork

MARGIN = timedelta(days=2)  # busy times read around a start: its whole local day, both sides
# why_not's reasons as a “talk now” names them (“This slot…”, not “That time…”).
NOW_REASONS = {
    "That time has passed.": N_("This slot has passed."),
    "That time is too soon: it needs more notice.": N_("This slot is too soon: it needs more notice."),
    "That time is outside the consultant's hours.": N_("This slot is outside the consultant's hours."),
    "That time was just taken.": N_("This slot was just taken."),
}


async def busy(uow: UnitOfWork, consultant_id: int, start: datetime, end: datetime,
               exclude: int | None = None) -> list[tuple[datetime, datetime]]:
    """The consultant's held times overlapping [start, end) (one booking left out), and the
    busy times of their own calendar."""
    rows = (await uow.session.execute(select(Booking.id, Booking.starts_at, Booking.minutes)
            .where(Booking.consultant_id == consultant_id, Booking.status.in_(HOLDS_SLOT),
                   Booking.starts_at.is_not(None), Booking.starts_at < end,
                   Booking.starts_at > start - timedelta(hours=24)))).all()
    spans = [(i, _span(s, m)) for i, s, m in rows]
    own = (await calendars.busy_between(uow, [consultant_id], start, end)).get(consultant_id, [])
    return [span for i, span in spans if i != exclude and span[1] > start] + own


async def busy_of_many(uow: UnitOfWork, consultant_ids: list[int], start: datetime,
                       end: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each consultant's held times overlapping [start, end), and their calendars' busy
    times."""
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    if not consultant_ids:
        return found
    rows = (await uow.session.execute(select(
        Booking.consultant_id, Booking.starts_at, Booking.minutes).where(
        Booking.consultant_id.in_(consultant_ids), Booking.status.in_(HOLDS_SLOT),
        Booking.starts_at.is_not(None), Booking.starts_at < end,
        Booking.starts_at > start - timedelta(hours=24)))).all()
    for consultant_id, s, m in rows:
        found.setdefault(consultant_id, []).append(_span(s, m))
    for consultant_id, spans in (await calendars.busy_between(uow, consultant_ids, start,
                                                             end)).items():
        found.setdefault(consultant_id, []).extend(spans)
    return found


async def seeker_busy(uow: UnitOfWork, seeker_id: int, starts_at: datetime, minutes: int,
                      exclude: int | None = None) -> bool:
    """Whether the seeker already has a session at that time (with anyone)."""
    end = starts_at + timedelta(minutes=minutes)
    rows = (await uow.session.execute(select(Booking.id, Booking.starts_at, Booking.minutes)
            .where(Booking.seeker_id == seeker_id, Booking.status.in_(HOLDS_SLOT),
                   Booking.starts_at.is_not(None), Booking.starts_at < end,
                   Booking.starts_at > starts_at - timedelta(hours=24)))).all()
    return any(i != exclude and _span(s, m)[1] > starts_at for i, s, m in rows)


def _span(starts_at: datetime | None, minutes: int) -> tuple[datetime, datetime]:
    """A held time's start and end (the queries above read only bookings with a start)."""
    assert starts_at is not None
    return starts_at, starts_at + timedelta(minutes=minutes)


async def lock(uow: UnitOfWork, consultant_id: int) -> ConsultantProfile:
    """The consultant's profile, locked until this transaction ends."""
    return await profiles.get(uow, consultant_id, lock=True)


async def check_free(uow: UnitOfWork, profile: ConsultantProfile, starts_at: datetime,
                     minutes: int, *, seeker_id: int, exclude: int | None = None,
                     in_hours: bool = True) -> None:
    """Conflict (with the reason) unless this time is free for both; call with the profile
    locked, in the transaction that then writes the booking."""
    rules = profiles.schedule_of(profile)
    held = await busy(uow, profile.account_id, starts_at - MARGIN, starts_at + MARGIN, exclude)
    reason = why_not(rules, held, starts_at, minutes, uow.clock.now(), in_hours=in_hours)
    if reason is not None:
        raise Conflict(_(reason))
    if await seeker_busy(uow, seeker_id, starts_at, minutes, exclude):
        raise Conflict(_("You already have a session at that time."))


async def check_own_calendar(uow: UnitOfWork, consultant_id: int, starts_at: datetime,
                             minutes: int) -> None:
    """Conflict when the consultant's own calendar is busy during this time (read since the
    slot was asked for)."""
    end = starts_at + timedelta(minutes=minutes)
    clash = (await calendars.busy_between(uow, [consultant_id], starts_at, end)).get(consultant_id)
    if clash:
        raise Conflict(_("Your calendar has something else at that time now. Propose other "
                         "times, or decline."))


def check_now(rules: Schedule, held: list[tuple[datetime, datetime]], now: datetime,
              minutes: int) -> None:
    """A “talk now” session must fit before the next held time (hours and notice don't apply:
    being online is the consultant's say-so)."""
    reason = why_not(rules, held, now, minutes, now, in_hours=False)
    if reason is not None:
        raise Conflict(_("The consultant is busy now. {reason}", reason=_(NOW_REASONS.get(reason, reason))))


async def open_slots(uow: UnitOfWork, consultant_id: int, minutes: int, days: int,
                     seeker_zone: str, exclude: int | None = None) -> list[datetime]:
    """Free starts of a `minutes` session within `days`, in the seeker's zone (for choosing;
    `exclude`: a booking being moved, whose own time is free to it)."""
    profile = await profiles.get(uow, consultant_id)
    if minutes not in profiles.lengths(profile):
        raise DomainError(_("Book {lengths} minutes.",
                            lengths=" or ".join(str(m) for m in profiles.lengths(profile))))
    now = uow.clock.now()
    start, end = window(now, seeker_zone, days)
    held = await busy(uow, consultant_id, start, end + MARGIN, exclude)
    return free_slots(profiles.schedule_of(profile), held, start, end, minutes, now, seeker_zone)
