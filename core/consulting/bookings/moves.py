"""Moving a booking along its declared process: who may see it, who may take a step from
where, the guarded `UPDATE … WHERE status = :source`, and the timers of the state left and the
state entered — due from now, or from the session's own start and end."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.consulting.bookings import rules
from core.consulting.events import MEANING, ProfileChanged
from core.consulting.tables import Booking, BookingProposal, ConsultantProfile
from core.errors import Conflict, NotFound
from core.i18n import _
from core.operators.roles import is_admin
from core.process import timers
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, SEEKER
from core.process.model import ADMIN, SYSTEM
from core.storage.uow import UnitOfWork


async def role_of(uow: UnitOfWork, booking: Booking, actor_id: int | None) -> str | None:
    """consultant, seeker, admin, system (no actor) — or None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == booking.consultant_id:
        return CONSULTANT
    if actor_id == booking.seeker_id:
        return SEEKER
    return ADMIN if await is_admin(uow, actor_id) else None


async def get(uow: UnitOfWork, booking_id: int, actor_id: int | None) -> Booking:
    """The booking, for its parties, admins and the system; NotFound for anyone else."""
    booking = await uow.get(Booking, booking_id)
    if booking is None or await role_of(uow, booking, actor_id) is None:
        raise NotFound(_("That booking doesn't exist."))
    return booking


async def take(uow: UnitOfWork, booking_id: int, transition: str, actor_id: int | None,
               changes: dict[str, Any] | None = None) -> Booking:
    """Take `transition` as `actor_id` (None: the system), writing `changes` with the status."""
    booking = await get(uow, booking_id, actor_id)
    BOOKING_PROCESS.check(transition, booking.status, await role_of(uow, booking, actor_id))
    source, was_at = booking.status, booking.starts_at
    target = BOOKING_PROCESS.target_from(transition, source)
    values = {"status": target, "updated_at": uow.clock.now(),
              **await _room(uow, booking, target), **(changes or {})}
    moved = await uow.session.execute(update(Booking).where(
        Booking.id == booking.id, Booking.status == source).values(**values)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That booking moved on a moment ago; look at it again."))
    for name, value in values.items():
        set_committed_value(booking, name, value)  # what the row now holds
    if target != source or booking.starts_at != was_at:  # a move keeps the state, not its times
        await timers.stop(uow, BOOKING_PROCESS, booking.id, source)
        await start_timers(uow, booking, target)
    if target == "completed":  # completed sessions raise the consultant's rank
        await uow.session.execute(update(ConsultantProfile).where(
            ConsultantProfile.account_id == booking.consultant_id)
            .values(sessions_completed=ConsultantProfile.sessions_completed + 1,
                    updated_at=uow.clock.now()))
        uow.emit(ProfileChanged(booking.consultant_id, True))
    uow.emit(MEANING[transition](booking.id, transition, source, target, actor_id))
    return booking


async def _room(uow: UnitOfWork, booking: Booking, target: str) -> dict[str, str]:
    """Where the parties meet, given once as a booking is confirmed (the accepted request, the
    accepted proposal, “talk now”) and kept through reschedules."""
    if target != "confirmed" or booking.meeting_url:
        return {}
    profile = await uow.get(ConsultantProfile, booking.consultant_id)
    own = profile.meeting_url if profile is not None else None
    token = secrets.token_urlsafe(16)  # 128 random bits: a room nobody can guess
    return {"meeting_url": rules.meeting_link(own, uow.policy.booking.meeting_base, token)}


async def start_timers(uow: UnitOfWork, booking: Booking, state: str) -> None:
    """The timers of `state` for this booking, due when the declaration says."""
    first = await first_time(uow, booking)
    due = dues(booking, state, uow.clock.now(), uow.policy.booking.join_window, first)
    await timers.schedule(uow, BOOKING_PROCESS, booking.id, state, due)


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


async def first_time(uow: UnitOfWork, booking: Booking) -> datetime | None:
    """The earliest time on the table: the held start, or the current round's proposals."""
    proposed = (await uow.session.execute(select(func.min(BookingProposal.starts_at)).where(
        BookingProposal.booking_id == booking.id,
        BookingProposal.round == booking.proposal_round))).scalar_one_or_none()
    times = [t for t in (booking.starts_at, proposed) if t is not None]
    return min(times) if times else None


def reference(booking_id: int) -> str:
    """How the money layer names a booking's session escrow."""
    return f"booking:{booking_id}"


def booking_of(reference_text: str) -> int | None:
    """The booking id an escrow's reference names, if it names one."""
    head, __, number = reference_text.partition(":")
    return int(number) if head == "booking" and number.isdigit() else None
