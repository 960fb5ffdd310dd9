"""Moving a booking along its declared process: who may see it, who may take a step from
where, the guarded move (the diary's `UPDATE … WHERE status = :source` in SQL), and the timers
of the state left and the state entered — due from now, or from the session's own start and
end. Each takes a unit of work or a `Diary` (`core.consulting.bookings.diary`)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from core.consulting.bookings import rules
from core.consulting.bookings.diary import Diary
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.events import MEANING, ProfileChanged
from core.consulting.tables import Booking
from core.errors import Conflict, NotFound
from core.i18n import _
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, SEEKER
from core.process.model import ADMIN, SYSTEM
from core.storage.uow import UnitOfWork


async def role_of(uow: UnitOfWork | Diary, booking: Booking, actor_id: int | None) -> str | None:
    """consultant, seeker, admin, system (no actor) — or None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == booking.consultant_id:
        return CONSULTANT
    if actor_id == booking.seeker_id:
        return SEEKER
    return ADMIN if await diary_of(uow).is_admin(actor_id) else None


async def get(uow: UnitOfWork | Diary, booking_id: int, actor_id: int | None) -> Booking:
    """The booking, for its parties, admins and the system; NotFound for anyone else."""
    diary = diary_of(uow)
    booking = await diary.booking(booking_id)
    if booking is None or await role_of(diary, booking, actor_id) is None:
        raise NotFound(_("That booking doesn't exist."))
    return booking


async def take(uow: UnitOfWork | Diary, booking_id: int, transition: str, actor_id: int | None,
               changes: dict[str, Any] | None = None) -> Booking:
    """Take `transition` as `actor_id` (None: the system), writing `changes` with the status."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    BOOKING_PROCESS.check(transition, booking.status, await role_of(diary, booking, actor_id))
    source, was_at = booking.status, booking.starts_at
    target = BOOKING_PROCESS.target_from(transition, source)
    values = {"status": target, "updated_at": diary.now(),
              **await _room(diary, booking, target), **(changes or {})}
    if not await diary.move(booking, source, values):
        raise Conflict(_("That booking moved on a moment ago; look at it again."))
    if target != source or booking.starts_at != was_at:  # a move keeps the state, not its times
        await diary.stop_timers(booking.id, source)
        await start_timers(diary, booking, target)
    if target == "completed":  # completed sessions raise the consultant's rank
        await diary.count_completed(booking.consultant_id)
        diary.emit(ProfileChanged(booking.consultant_id, True))
    diary.emit(MEANING[transition](booking.id, transition, source, target, actor_id))
    return booking


async def _room(diary: Diary, booking: Booking, target: str) -> dict[str, str]:
    """Where the parties meet, given once as a booking is confirmed (the accepted request, the
    accepted proposal, “talk now”) and kept through reschedules."""
    if target != "confirmed" or booking.meeting_url:
        return {}
    try:
        own = (await diary.profile(booking.consultant_id)).meeting_url
    except NotFound:
        own = None
    token = secrets.token_urlsafe(16)  # 128 random bits: a room nobody can guess
    return {"meeting_url": rules.meeting_link(own, diary.policy().meeting_base, token)}


async def start_timers(uow: UnitOfWork | Diary, booking: Booking, state: str) -> None:
    """The timers of `state` for this booking, due when the declaration says."""
    diary = diary_of(uow)
    first = await first_time(diary, booking)
    due = dues(booking, state, diary.now(), diary.policy().join_window, first)
    await diary.schedule_timers(booking.id, state, due)


def dues(booking: Booking, state: str, now: datetime, join_window: timedelta,
         first: datetime | None = None) -> dict[str, datetime]:
    """When each timer of `state` falls due for this booking; timers counted from the start
    or end that have already passed are not started (booked too close for them)."""
    found: dict[str, datetime] = {}
    for timer in BOOKING_PROCESS.timers_in(state):
        if timer.anchor == "entered" and timer.fires != "expire-request":
            found[timer.fires] = now + timer.after
            continue
        if timer.anchor == "entered":  # a request waits the join window, or until its time
            at = now + (join_window if booking.kind == "instant" else timer.after)
            found[timer.fires] = min(at, first) if first and booking.kind != "instant" else at
            continue
        if booking.starts_at is None:
            continue
        end = booking.starts_at + timedelta(minutes=booking.minutes)
        at = (booking.starts_at if timer.anchor == "start" else end) + timer.after
        if at < now or (timer.fires == "authorise-payment" and authorised_at_booking(booking)):
            continue
        found[timer.fires] = at
    return found


def authorised_at_booking(booking: Booking) -> bool:
    """The payment timing rule (rules.authorised_at_confirmation) for this booking."""
    return rules.authorised_at_confirmation(booking.starts_at, booking.confirmed_at)


def authorised_later(booking: Booking) -> bool:
    """A scheduled session confirmed more than AUTHORISE_AHEAD ahead: a card is saved at
    booking and the maximum authorised on it 24 h before."""
    return booking.kind == "scheduled" and not authorised_at_booking(booking)


async def first_time(uow: UnitOfWork | Diary, booking: Booking) -> datetime | None:
    """The earliest time on the table: the held start, or the current round's proposals."""
    proposed = [p.starts_at for p in await diary_of(uow).proposals(booking.id,
                                                                    booking.proposal_round)]
    times = [t for t in (booking.starts_at, min(proposed, default=None)) if t is not None]
    return min(times) if times else None


def reference(booking_id: int) -> str:
    """How the money layer names a booking's session escrow."""
    return f"booking:{booking_id}"


def booking_of(reference_text: str) -> int | None:
    """The booking id an escrow's reference names, if it names one."""
    head, __, number = reference_text.partition(":")
    return int(number) if head == "booking" and number.isdigit() else None
