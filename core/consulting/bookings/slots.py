"""Holding a consultant's time: the one place a slot becomes busy. The consultant's profile row
is locked first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction already holds
the write lock from `BEGIN IMMEDIATE`), then the busy times are read and the new one checked
against them, buffers and the daily maximum included, then written — so two seekers racing for
one slot are serialised and the second one sees the first one's booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.consulting.bookings.availability import Schedule, free_slots, why_not, window
from core.consulting.bookings.diary import Diary, Held
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.profiles import service as profiles
from core.consulting.tables import ConsultantProfile
from core.errors import Conflict, DomainError
from core.i18n import N_, _
from core.storage.uow import UnitOfWork

MARGIN = timedelta(days=2)  # busy times read around a start: its whole local day, both sides
# why_not's reasons as a “talk now” names them (“This slot…”, not “That time…”).
NOW_REASONS = {
    "That time has passed.": N_("This slot has passed."),
    "That time is too soon: it needs more notice.": N_("This slot is too soon: it needs more notice."),
    "That time is outside the consultant's hours.": N_("This slot is outside the consultant's hours."),
    "That time was just taken.": N_("This slot was just taken."),
}


async def busy(uow: UnitOfWork | Diary, consultant_id: int, start: datetime, end: datetime,
               exclude: int | None = None) -> list[tuple[datetime, datetime]]:
    """The consultant's held times overlapping [start, end) (one booking left out), and the
    busy times of their own calendar."""
    diary = diary_of(uow)
    spans = [(h.booking_id, _span(h)) for h in await diary.held(start, end,
                                                                 consultants=[consultant_id])]
    own = (await diary.calendar_busy([consultant_id], start, end)).get(consultant_id, [])
    return [span for i, span in spans if i != exclude and span[1] > start] + own


async def busy_of_many(uow: UnitOfWork | Diary, consultant_ids: list[int], start: datetime,
                       end: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each consultant's held times overlapping [start, end), and their calendars' busy
    times."""
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    if not consultant_ids:
        return found
    diary = diary_of(uow)
    for held in await diary.held(start, end, consultants=consultant_ids):
        found.setdefault(held.consultant_id, []).append(_span(held))
    for consultant_id, spans in (await diary.calendar_busy(consultant_ids, start, end)).items():
        found.setdefault(consultant_id, []).extend(spans)
    return found


async def seeker_busy(uow: UnitOfWork | Diary, seeker_id: int, starts_at: datetime, minutes: int,
                      exclude: int | None = None) -> bool:
    """Whether the seeker already has a session at that time (with anyone)."""
    end = starts_at + timedelta(minutes=minutes)
    held = await diary_of(uow).held(starts_at, end, seeker=seeker_id)
    return any(h.booking_id != exclude and _span(h)[1] > starts_at for h in held)


def _span(held: Held) -> tuple[datetime, datetime]:
    """A held time's start and end."""
    return held.starts_at, held.starts_at + timedelta(minutes=held.minutes)


async def lock(uow: UnitOfWork | Diary, consultant_id: int) -> ConsultantProfile:
    """The consultant's profile, locked until this transaction ends."""
    return await diary_of(uow).profile(consultant_id, lock=True)


async def check_free(uow: UnitOfWork | Diary, profile: ConsultantProfile, starts_at: datetime,
                     minutes: int, *, seeker_id: int, exclude: int | None = None,
                     in_hours: bool = True) -> None:
    """Conflict (with the reason) unless this time is free for both; call with the profile
    locked, in the transaction that then writes the booking."""
    diary = diary_of(uow)
    rules = profiles.schedule_of(profile)
    held = await busy(diary, profile.account_id, starts_at - MARGIN, starts_at + MARGIN, exclude)
    reason = why_not(rules, held, starts_at, minutes, diary.now(), in_hours=in_hours)
    if reason is not None:
        raise Conflict(_(reason))
    if await seeker_busy(diary, seeker_id, starts_at, minutes, exclude):
        raise Conflict(_("You already have a session at that time."))


async def check_own_calendar(uow: UnitOfWork | Diary, consultant_id: int, starts_at: datetime,
                             minutes: int) -> None:
    """Conflict when the consultant's own calendar is busy during this time (read since the
    slot was asked for)."""
    end = starts_at + timedelta(minutes=minutes)
    clash = (await diary_of(uow).calendar_busy([consultant_id], starts_at, end)).get(
        consultant_id)
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


async def open_slots(uow: UnitOfWork | Diary, consultant_id: int, minutes: int, days: int,
                     seeker_zone: str, exclude: int | None = None) -> list[datetime]:
    """Free starts of a `minutes` session within `days`, in the seeker's zone (for choosing;
    `exclude`: a booking being moved, whose own time is free to it)."""
    diary = diary_of(uow)
    profile = await diary.profile(consultant_id)
    if minutes not in profiles.lengths(profile):
        raise DomainError(_("Book {lengths} minutes.",
                            lengths=" or ".join(str(m) for m in profiles.lengths(profile))))
    now = diary.now()
    start, end = window(now, seeker_zone, days)
    held = await busy(diary, consultant_id, start, end + MARGIN, exclude)
    return free_slots(profiles.schedule_of(profile), held, start, end, minutes, now, seeker_zone)
