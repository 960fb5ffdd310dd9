"""After a booking is confirmed: cancelling it (free up to the policy's notice, a late fee after
it), rescheduling it (either party proposes, the other consents), joining it, no-shows — and
the facts the session runtime needs, for the parties only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.consulting.bookings import slots
from core.consulting.bookings.diary import Diary
from core.consulting.bookings.moves import get, role_of, take
from core.consulting.bookings.rules import cancellation_fee, may_move, no_show_fee
from core.consulting.bookings.service import checked_times, proposed_time
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.calendars.service import CalendarSync
from core.consulting.tables import Booking
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.money.model import Money
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, CONSULTANT_GRACE, SEEKER, BookingState
from core.process.model import SYSTEM
from core.storage.uow import UnitOfWork

JOIN_EARLY = timedelta(minutes=15)  # how long before the start the parties may join


async def cancel(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                 reason: str | None = None) -> Booking:
    """Cancel a confirmed booking: free for the seeker up to the notice, or when the consultant
    or an admin cancels; after it the seeker owes the late fee (taken from the authorisation)."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    fee = Money(0, booking.currency)
    if booking.starts_at is not None and role is not None:
        fee = cancellation_fee(diary.policy(), max_amount(booking), booking.starts_at,
                               diary.now(), role)
    return await take(diary, booking.id, "cancel", actor_id, {
        "fee_minor": fee.amount, "ended_by": role, "proposed_by": None,
        "reason": (reason or "").strip()[:500] or None})


async def propose_reschedule(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                             times: list[datetime]) -> Booking:
    """Either party proposes up to three new times; the booked time stands until the other
    one accepts one of them."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    profile = await diary.profile(booking.consultant_id)
    chosen = await checked_times(diary, profile, times, booking.minutes, booking.seeker_id,
                                  booking.id)
    for moment in chosen:  # a session from a package takes place before it expires
        await diary.check_package_start(booking, moment)
    round_ = booking.proposal_round + 1
    await diary.propose(booking.id, round_, chosen, role or "")
    return await take(diary, booking.id, "propose-reschedule", actor_id, {
        "proposed_by": role, "proposal_round": round_})


async def answer_reschedule(uow: UnitOfWork | Diary, booking_id: int, actor_id: int,
                            proposal_id: int | None, calendars: CalendarSync | None = None
                            ) -> Booking:
    """The other party accepts one of the new times (`proposal_id`), or keeps the booked time
    (None; the proposer may also take the proposal back this way). With `calendars`, the
    consultant's own calendar is read again first if it was not read in the last minute."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    if proposal_id is None:
        return await take(diary, booking.id, "decline-reschedule", actor_id, {"proposed_by": None})
    if role == booking.proposed_by:
        raise NotAllowed(_("You proposed the new time: the other party accepts it."))
    if calendars is not None:  # may ask to read it first
        await diary.ensure_calendar_fresh(calendars, booking.consultant_id)
    starts_at = await proposed_time(diary, booking, proposal_id, by_other_than=role)
    profile = await slots.lock(diary, booking.consultant_id)
    await slots.check_free(diary, profile, starts_at, booking.minutes, seeker_id=booking.seeker_id,
                           exclude=booking.id, in_hours=False)
    return await take(diary, booking.id, "accept-reschedule", actor_id, {
        "starts_at": starts_at, "proposed_by": None, "sequence": booking.sequence + 1,
        "confirmed_at": diary.now()})


async def move(uow: UnitOfWork | Diary, booking_id: int, actor_id: int, starts_at: datetime,
               calendars: CalendarSync | None = None) -> Booking:
    """The seeker moves a confirmed session to another of the consultant's free times, in one
    step, while cancelling would still be free (the consultant is told; the invite, both
    calendars and the reminders follow). Later, a new time needs the consultant's consent."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    BOOKING_PROCESS.check("move", booking.status, await role_of(diary, booking, actor_id))
    if booking.kind == "instant" or not may_move(diary.policy(), booking.starts_at, diary.now()):
        raise Conflict(_("It is too late to move this session by yourself: propose a new time, "
                         "and the consultant chooses."))
    if starts_at == booking.starts_at:
        raise DomainError(_("That is the booked time already."))
    await diary.check_package_start(booking, starts_at)
    if calendars is not None:  # may ask to read it first
        await diary.ensure_calendar_fresh(calendars, booking.consultant_id)
    profile = await slots.lock(diary, booking.consultant_id)
    await slots.check_free(diary, profile, starts_at, booking.minutes, seeker_id=booking.seeker_id,
                           exclude=booking.id)  # one of the times the consultant offers
    return await take(diary, booking.id, "move", actor_id, {
        "starts_at": starts_at, "sequence": booking.sequence + 1,
        "confirmed_at": diary.now()})


async def move_choices(uow: UnitOfWork | Diary, booking_id: int, actor_id: int, zone: str,
                       days: int = 14) -> list[datetime]:
    """The free times the seeker may move this booking to (in their zone), soonest first."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    BOOKING_PROCESS.check("move", booking.status, await role_of(diary, booking, actor_id))
    free = await slots.open_slots(diary, booking.consultant_id, booking.minutes, days, zone,
                                  exclude=booking.id)
    return [t for t in free if t != booking.starts_at]


async def record_join(uow: UnitOfWork | Diary, booking_id: int, actor_id: int) -> Booking:
    """A party joined the session (the session runtime calls this); the first join counts."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id)
    if role not in (CONSULTANT, SEEKER):
        raise NotAllowed(_("Only the consultant and the seeker join a session."))
    if booking.status not in (BookingState.CONFIRMED, BookingState.RESCHEDULE_PROPOSED,
                              BookingState.STARTING, BookingState.IN_SESSION):
        raise Conflict(_("That session is not open to join."))
    now = diary.now()
    if booking.starts_at is None or now < booking.starts_at - JOIN_EARLY:
        raise DomainError(_("It is too early to join: the session opens 15 minutes before."))
    await diary.mark_joined(booking, role, now)
    return booking


async def report_no_show(uow: UnitOfWork | Diary, booking_id: int, actor_id: int) -> Booking:
    """The consultant, who joined, says the seeker did not come (from 10 minutes after the
    start); the policy's no-show fee is then theirs to charge or waive (`decide_no_show_fee`)."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    if await role_of(diary, booking, actor_id) != CONSULTANT:
        raise NotAllowed(_("Only the consultant can report that the seeker did not come."))
    if booking.starts_at is None or diary.now() < booking.starts_at + CONSULTANT_GRACE:
        raise DomainError(_("Give the seeker until 10 minutes after the start."))
    if booking.consultant_joined_at is None:
        raise DomainError(_("Join the session first: a no-show is reported from inside it."))
    if booking.seeker_joined_at is not None:
        raise Conflict(_("The seeker joined this session."))
    return await take(diary, booking.id, "seeker-no-show", actor_id, {"ended_by": SEEKER})


async def decide_no_show_fee(uow: UnitOfWork | Diary, booking_id: int, actor_id: int | None,
                             charge: bool) -> Booking:
    """After a seeker's no-show: the consultant charges the policy's fee (captured from the
    authorisation) or waives it (voided); the system waives it when the choice lapses."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    if charge:
        fee = no_show_fee(diary.policy(), max_amount(booking))
        return await take(diary, booking.id, "charge-no-show-fee", actor_id,
                          {"fee_minor": fee.amount})
    return await take(diary, booking.id, "waive-no-show-fee", actor_id, {"fee_minor": 0})


@dataclass(frozen=True)
class SessionTerms:
    """What the session runtime needs of a booking."""

    booking_id: int
    consultant_id: int
    seeker_id: int
    status: str
    starts_at: datetime
    minutes: int  # the booked length
    rate_kind: str  # session | minute
    rate: Money  # per session, or per minute
    max_amount: Money  # what was authorised: never charge more
    escrow_reference: str
    meeting_url: str | None  # where the parties meet (for the parties and the system only)
    consultant_joined_at: datetime | None
    seeker_joined_at: datetime | None


async def session_terms(uow: UnitOfWork | Diary, booking_id: int,
                        actor_id: int | None) -> SessionTerms:
    """The booking's parties, start, booked length, rate and currency (parties, admins, system);
    its meeting link for the parties and the system, never an admin."""
    diary = diary_of(uow)
    booking = await get(diary, booking_id, actor_id)
    if booking.starts_at is None:
        raise Conflict(_("That booking has no agreed time yet."))
    meets = await role_of(diary, booking, actor_id) in (CONSULTANT, SEEKER, SYSTEM)
    return SessionTerms(booking.id, booking.consultant_id, booking.seeker_id, booking.status,
                        booking.starts_at, booking.minutes, booking.rate_kind,
                        Money(booking.price_minor, booking.currency), max_amount(booking),
                        f"booking:{booking.id}", booking.meeting_url if meets else None,
                        booking.consultant_joined_at, booking.seeker_joined_at)


def max_amount(booking: Booking) -> Money:
    """The most the session can cost: what is authorised for it."""
    return Money(booking.max_minor, booking.currency)
