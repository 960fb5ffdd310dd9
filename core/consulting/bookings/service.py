"""Booking a consultant: “talk now”, a free slot, or up to three proposed times; the
consultant accepts, declines or proposes others, and the seeker accepts one of those, proposes
again or withdraws. Every use case takes the acting account; a time becomes busy only with the
consultant's profile row locked (core.consulting.bookings.slots), so no slot is ever booked twice.
Cancelling, rescheduling, joining and no-shows are in core.consulting.bookings.changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.consulting.bookings import slots
from core.consulting.bookings.diary import Diary, Proposal
from core.consulting.bookings.moves import get, role_of, start_timers, take
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.calendars.service import CalendarSync
from core.consulting.events import BookingRequested
from core.consulting.profiles import service as profiles
from core.consulting.sessions.from_booking import free_minutes_of
from core.consulting.tables import Booking, ConsultantProfile
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, MAX_PROPOSALS, SEEKER, BookingState
from core.storage.uow import UnitOfWork

__all__ = ["Requested", "accept", "ask_now", "ask_slot", "ask_times", "decline", "get",
           "proposals", "propose_times", "request_now", "request_slot", "request_times",
           "role_of", "withdraw"]


async def request_now(uow: UnitOfWork | Diary, seeker_id: int, consultant_id: int,
                      minutes: int | None = None, topic: str | None = None) -> Booking:
    """“Talk now”: the online consultant has the policy's join window to accept (with what
    to discuss, if given)."""
    diary = diary_of(uow)
    profile = await _bookable(diary, seeker_id, consultant_id)
    if not profiles.is_online(profile, diary.now()):
        raise Conflict(_("That consultant is not online now. Propose a time instead."))
    length = _length(profile, minutes)
    now = diary.now()
    held = await slots.busy(diary, consultant_id, now - slots.MARGIN, now + slots.MARGIN)
    slots.check_now(profiles.schedule_of(profile), held, now, length)
    return await _create(diary, seeker_id, profile, "instant", length, now, [], topic)


async def request_slot(uow: UnitOfWork | Diary, seeker_id: int, consultant_id: int,
                       starts_at: datetime, minutes: int | None = None,
                       topic: str | None = None) -> Booking:
    """Ask for one free slot (with what to discuss, if given); it is held for the seeker
    until the consultant answers."""
    diary = diary_of(uow)
    profile = await _bookable(diary, seeker_id, consultant_id)
    length = _length(profile, minutes)
    await slots.check_free(diary, profile, starts_at, length, seeker_id=seeker_id)
    return await _create(diary, seeker_id, profile, "scheduled", length, starts_at, [], topic)


async def request_times(uow: UnitOfWork | Diary, seeker_id: int, consultant_id: int,
                        times: list[datetime], minutes: int | None = None) -> Booking:
    """Propose up to three times; none is held until the consultant accepts one."""
    diary = diary_of(uow)
    profile = await _bookable(diary, seeker_id, consultant_id, lock=False)
    length = _length(profile, minutes)
    chosen = await checked_times(diary, profile, times, length, seeker_id, None)
    return await _create(diary, seeker_id, profile, "scheduled", length, None, chosen)


@dataclass(frozen=True)
class Requested:
    """A booking just asked for, as the seeker's confirmation reads it: which one, and the
    free minutes its session will start with. What the chat's `ask_*` return (the row stays
    in core; pages and core call `request_*`)."""

    booking_id: int
    free_minutes: int
    prepaid: bool = False  # drawn from a session package: no card is asked for


async def ask_now(uow: UnitOfWork, seeker_id: int, consultant_id: int,
                  topic: str | None = None) -> Requested:
    """`request_now`, as the chat reads it."""
    return await _requested(uow, await request_now(uow, seeker_id, consultant_id, topic=topic))


async def ask_slot(uow: UnitOfWork, seeker_id: int, consultant_id: int, starts_at: datetime,
                   minutes: int | None = None, topic: str | None = None) -> Requested:
    """`request_slot`, as the chat reads it."""
    return await _requested(uow, await request_slot(uow, seeker_id, consultant_id, starts_at,
                                                    minutes, topic))


async def ask_times(uow: UnitOfWork, seeker_id: int, consultant_id: int,
                    times: list[datetime], minutes: int | None = None) -> Requested:
    """`request_times`, as the chat reads it."""
    return await _requested(uow, await request_times(uow, seeker_id, consultant_id, times,
                                                     minutes))


async def _requested(uow: UnitOfWork, booking: Booking) -> Requested:
    return Requested(booking.id, await free_minutes_of(uow, booking),
                     booking.package_purchase_id is not None)


async def accept(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                 proposal_id: int | None = None, calendars: CalendarSync | None = None
                 ) -> Booking:
    """The consultant accepts a request (the held slot, “now”, or one of the seeker's times),
    or the seeker accepts one of the consultant's times. With `calendars`, the consultant's
    own calendar is read again first if it was not read in the last minute."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    transition = "accept-proposal" if booking.status == BookingState.PROPOSED else "accept-request"
    BOOKING_PROCESS.check(transition, booking.status, role)  # before any lock is taken
    if calendars is not None:  # may ask to read it first
        await diary.ensure_calendar_fresh(calendars, booking.consultant_id)
    now = diary.now()
    if booking.kind == "instant" and role == CONSULTANT:
        if now > booking.created_at + diary.policy().join_window:
            raise Conflict(_("That request has expired: the seeker was told you were away."))
        starts_at = now
    elif booking.starts_at is not None and proposal_id is None:
        starts_at = booking.starts_at  # the slot the seeker picked, held since
    else:
        starts_at = await proposed_time(diary, booking, proposal_id, by_other_than=role)
    await diary.check_package_start(booking, starts_at)  # a package's session, before it ends
    if starts_at != booking.starts_at or booking.kind == "instant":
        profile = await slots.lock(diary, booking.consultant_id)
        await slots.check_free(diary, profile, starts_at, booking.minutes,
                               seeker_id=booking.seeker_id, exclude=booking.id, in_hours=False)
    else:  # the slot was held since the request; the consultant's calendar may have changed
        await slots.check_own_calendar(diary, booking.consultant_id, starts_at, booking.minutes)
    return await take(diary, booking.id, transition, actor_id, {
        "starts_at": starts_at, "confirmed_at": now, "proposed_by": None})


async def decline(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                  reason: str | None = None) -> Booking:
    """The consultant declines a request (a reason is optional)."""
    return await take(uow, booking_id, "decline-request", actor_id, {
        "ended_by": CONSULTANT, "reason": (reason or "").strip()[:500] or None})


async def propose_times(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                        times: list[datetime]) -> Booking:
    """Answer with up to three other times: the consultant to a request, the seeker to the
    consultant's times. A held slot is let go."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    if booking.kind == "instant":
        raise DomainError(_("Answer “talk now” with accept or decline; the seeker can then "
                            "propose times."))
    transition = "counter-times" if booking.status == BookingState.PROPOSED else "propose-times"
    BOOKING_PROCESS.check(transition, booking.status, role)
    profile = await diary.profile(booking.consultant_id)
    chosen = await checked_times(diary, profile, times, booking.minutes, booking.seeker_id,
                                  booking.id)
    round_ = booking.proposal_round + 1
    await diary.propose(booking.id, round_, chosen, role)  # type: ignore[arg-type]
    # The new state's answer window counts to the first of these times at the latest.
    return await take(diary, booking.id, transition, actor_id, {
        "starts_at": None, "proposed_by": role, "proposal_round": round_})


async def withdraw(uow: UnitOfWork | Diary, booking_id: int, actor_id: int) -> Booking:
    """The seeker withdraws a request not yet confirmed; it costs nothing."""
    return await take(uow, booking_id, "withdraw-request", actor_id, {"ended_by": SEEKER})


async def proposals(uow: UnitOfWork | Diary, booking_id: int, actor_id: int) -> list[Proposal]:
    """The times on the table now (this round), earliest first; parties and admins only."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    return await diary.proposals(booking.id, booking.proposal_round)


async def proposed_time(uow: UnitOfWork | Diary, booking: Booking, proposal_id: int | None,
                        by_other_than: str | None) -> datetime:
    """The start of a proposal of this round made by the other party."""
    if proposal_id is None:
        raise DomainError(_("Choose one of the proposed times."))
    chosen = await diary_of(uow).proposal(proposal_id)
    if chosen is None or chosen.booking_id != booking.id:
        raise DomainError(_("That is not one of this booking's proposed times."))
    if chosen.round != booking.proposal_round:
        raise Conflict(_("Those times were replaced by newer ones; look at the booking again."))
    if chosen.proposed_by == by_other_than:
        raise NotAllowed(_("You proposed that time: the other party chooses it."))
    return chosen.starts_at


async def _bookable(diary: Diary, seeker_id: int, consultant_id: int, *,
                    lock: bool = True) -> ConsultantProfile:
    """The consultant's live profile (locked when the booking will hold a time)."""
    if seeker_id == consultant_id:
        raise NotAllowed(_("You can't book a session with yourself."))
    profile = await diary.profile(consultant_id, lock=lock)
    if not profile.live:
        raise Conflict(_("That consultant is not taking bookings right now."))
    return profile


def _length(profile: ConsultantProfile, minutes: int | None) -> int:
    length = minutes or profile.session_minutes or 30
    profiles.price_for(profile, length)  # refuses a length the rate doesn't offer
    return length


async def checked_times(uow: UnitOfWork | Diary, profile: ConsultantProfile, times: list[datetime],
                         minutes: int, seeker_id: int, exclude: int | None) -> list[datetime]:
    """Up to three distinct future times, none clashing with what is already booked."""
    chosen = sorted({t for t in times})
    if not 1 <= len(chosen) <= MAX_PROPOSALS:
        raise DomainError(_("Propose one to {max_proposals} times.", max_proposals=MAX_PROPOSALS))
    for moment in chosen:
        if moment.tzinfo is None:
            raise DomainError(_("A proposed time needs its time zone."))
        await slots.check_free(diary_of(uow), profile, moment, minutes, seeker_id=seeker_id,
                               exclude=exclude, in_hours=False)
    return chosen


TOPIC_MAX = 500  # characters of what the seeker wants to discuss


async def _create(diary: Diary, seeker_id: int, profile: ConsultantProfile, kind: str,
                  minutes: int, starts_at: datetime | None, times: list[datetime],
                  topic: str | None = None) -> Booking:
    now = diary.now()
    price = profiles.price_for(profile, minutes)
    booking = Booking(consultant_id=profile.account_id, seeker_id=seeker_id, kind=kind,
                      status=BookingState.REQUESTED, starts_at=starts_at, minutes=minutes,
                      rate_kind=profile.rate_kind, price_minor=profile.price_minor,
                      max_minor=price.amount, currency=price.currency,
                      proposed_by=SEEKER if times else None, proposal_round=1 if times else 0,
                      fee_minor=0, sequence=0, created_at=now, updated_at=now,
                      topic=(topic or "").strip()[:TOPIC_MAX] or None)
    await diary.add(booking)
    await diary.reserve_package(booking)  # prepaid, when the seeker holds a package for it
    if times:
        await diary.propose(booking.id, 1, times, SEEKER)
    await start_timers(diary, booking, "requested")
    diary.emit(BookingRequested(booking.id, "request", "", "requested", seeker_id))
    return booking


def ends_at(booking: Booking) -> datetime | None:
    """When the booked time ends."""
    return booking.starts_at + timedelta(minutes=booking.minutes) if booking.starts_at else None
