"""A booking and its live session, joined into one journey by in-transaction event handlers
(declared in core.consulting.wiring), so each thing is decided once and the other follows:

- The booking decides when a session exists: its start (`open-session`, `SessionDue`; an
  accepted “talk now” at once) creates the session row from the booking's terms, and calls
  both parties to join. The authorisation already confirmed reaches the session through the
  money bridge's `SessionCreated` handler (payments.bridges.sessions), which reads the escrow.
- The session decides what happens in it: its start takes the booking's `start-session`, its
  end (free or paid) `complete-session`, and its no-show timer the booking's no-show — the
  consultant's (nothing charged) or the seeker's (the consultant then charges the policy's
  fee or waives it), and an admin's call-off the booking's `call-off`. The booking's money
  (payments.bridges.bookings) then voids the authorisation or captures the fee, once; the session's
  money bridge leaves no-shows alone.
- The booking decides cancellations: one cancelled while its session waits calls it off.
- A party's join is stamped on the booking too; a session review counts in the directory."""

from __future__ import annotations

import logging

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows
from core.consulting.bookings import changes, moves
from core.consulting.events import BookingCancelled, BookingConfirmed, SeekerNoShow, SessionDue
from core.consulting.intents import ConsultingIntent
from core.consulting.packages import service as packages
from core.consulting.profiles import service as profiles
from core.consulting.sessions.events import SessionJoined, SessionMoved, SessionReviewed
from core.consulting.sessions.from_booking import create_for_booking, of_booking
from core.consulting.sessions.lifecycle import SessionState
from core.consulting.sessions.lifecycle import take as take_session
from core.consulting.sessions.notice_parts import call_line
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.consulting.tables import Booking
from core.errors import Conflict, DomainError
from core.i18n import N_, _
from core.money.events import PaymentAuthorised
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.bookings import BOOKING_PROCESS, CONSULTANT, SEEKER, BookingState
from core.process.model import SYSTEM
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def rate_unit(booking: Booking) -> str:
    """The session's rate unit from the booking's rate kind and length (session30/60, minute)."""
    return "minute" if booking.rate_kind == "minute" else f"session{booking.minutes}"


async def open_instant(uow: UnitOfWork, event: BookingConfirmed) -> None:
    """An accepted “talk now” starts now: its session opens in the same transaction rather
    than at the timer job's next run."""
    booking = await uow.get(Booking, event.booking_id)
    if booking is None or booking.kind != "instant" or booking.status != BookingState.CONFIRMED \
            or booking.starts_at is None or booking.starts_at > uow.clock.now():
        return
    await moves.take(uow, booking.id, "open-session", None)


async def on_session_due(uow: UnitOfWork, event: SessionDue) -> None:
    """The booking's start came: its session exists (once per booking) and both are called."""
    booking = await uow.get(Booking, event.booking_id)
    if booking is None or booking.status != BookingState.STARTING or booking.starts_at is None:
        return
    prepaid = booking.package_purchase_id is not None
    session = await create_for_booking(
        uow, booking.id, booking.consultant_id, booking.seeker_id,
        Money(booking.max_minor if prepaid else booking.price_minor, booking.currency),
        f"session{booking.minutes}" if prepaid else rate_unit(booking), booking.minutes,
        booking.starts_at, booking.meeting_url,
        prepaid_as=packages.use_reference(booking.package_purchase_id, booking.id)
        if booking.package_purchase_id is not None else None)
    await call_to_join(uow, session, first_authorise=booking.kind == "instant" and not prepaid)


def _join(session: ConsultSession) -> ActionRows:
    return [[Action(ConsultingIntent.JOIN_SESSION, N_("▶ Join"), str(session.id))]]


async def _name(uow: UnitOfWork, account_id: int) -> str:
    account = await uow.get(Account, account_id)
    return account.display_name if account else _("the other party")


async def call_to_join(uow: UnitOfWork, session: ConsultSession,
                       first_authorise: bool = False) -> None:
    """The one “your session starts now” each party gets, with Join (the session's id) and
    where they meet. A “talk now” is authorised only after it is accepted (`first_authorise`):
    its seeker authorises first, and Join comes with the authorisation (on_authorised)."""
    await recipients(uow, {session.seeker_id, session.consultant_id})
    for me, other in ((session.seeker_id, session.consultant_id),
                      (session.consultant_id, session.seeker_id)):
        async with addressed_to(uow, me):
            name = await _name(uow, other)
            if me == session.seeker_id and first_authorise:
                await notify(uow, me, _("🔔 Your session #{id} with {name} starts now. Authorise "
                                        "the payment first; Join comes once it is authorised.",
                                        id=session.id, name=name), urgent=True)
                continue
            await notify(uow, me, _("🔔 Your session #{id} with {name} starts now.",
                                    id=session.id, name=name) + call_line(session),
                         buttons=_join(session), urgent=True)


async def on_authorised(uow: UnitOfWork, event: PaymentAuthorised) -> None:
    """A waiting “talk now” is authorised: its seeker, called without Join, may join now."""
    session = (await uow.session.execute(select(ConsultSession).join(
        Booking, Booking.id == ConsultSession.booking_id).where(
        ConsultSession.escrow_ref == event.reference, ConsultSession.status == SessionState.WAITING,
        ConsultSession.seeker_joined_at.is_(None), Booking.kind == "instant"))
    ).scalar_one_or_none()
    if session is None:
        return
    async with addressed_to(uow, session.seeker_id):
        name = await _name(uow, session.consultant_id)
        await notify(uow, session.seeker_id, _("▶ Authorised: join your session #{id} with "
                     "{name} now.", id=session.id, name=name) + call_line(session),
                     buttons=_join(session), urgent=True)


async def _session_and_booking(uow: UnitOfWork, event: SessionMoved
                               ) -> tuple[ConsultSession, Booking] | None:
    session = await uow.get(ConsultSession, event.session_id)
    booking = await uow.get(Booking, session.booking_id) if session else None
    return (session, booking) if session is not None and booking is not None else None


async def on_started(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "booking-in-session": its start moves its booking, as the system."""
    if found := await _session_and_booking(uow, event):
        await _follow(uow, found[1], "start-session")


async def on_took_place(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "booking-completed": its end completes its booking."""
    if found := await _session_and_booking(uow, event):
        await _follow(uow, found[1], "complete-session")


async def on_no_show(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "booking-no-show": the booking records who did not come (a seeker's
    absence: the consultant then charges the fee or waives it)."""
    if found := await _session_and_booking(uow, event):
        session, booking = found
        if session.ended_by == f"no-show:{CONSULTANT}":
            await _follow(uow, booking, "consultant-no-show", {"ended_by": CONSULTANT})
        else:
            await _follow(uow, booking, "seeker-no-show", {"ended_by": SEEKER})


async def on_called_off(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "booking-called-off": an admin's call-off (a cancellation is past it)."""
    if found := await _session_and_booking(uow, event):
        await _follow(uow, found[1], "call-off")


async def _follow(uow: UnitOfWork, booking: Booking, transition: str,
                  values: dict[str, object] | None = None) -> None:
    """Take the booking's step unless it is past it already (a consultant's own no-show
    report, a cancellation a moment before)."""
    if booking.status not in BOOKING_PROCESS.transition(transition).sources:
        return
    try:
        await moves.take(uow, booking.id, transition, None, values)
    except Conflict as exc:  # moved by another transaction: that one decided
        log.warning("booking %s did not follow its session (%s): %s", booking.id, transition,
                    exc)


async def on_booking_ended(uow: UnitOfWork, event: BookingCancelled | SeekerNoShow) -> None:
    """A booking cancelled while its session waits calls the session off; a consultant who
    reported the seeker absent ends the waiting session as that no-show."""
    found = await of_booking(uow, event.booking_id, None)
    if found is None or found.status != SessionState.WAITING:
        return
    if isinstance(event, BookingCancelled):
        await take_session(logbook_of(uow), found, "call-off", SYSTEM)
    elif event.actor_id is not None:  # the system's no-show came from the session itself
        await take_session(logbook_of(uow), found, "no-show", SYSTEM,
                           ended_by=f"no-show:{SEEKER}")


async def on_joined(uow: UnitOfWork, event: SessionJoined) -> None:
    """A party's join is stamped on the booking too (its card and no-show report read it)."""
    session = await uow.get(ConsultSession, event.session_id)
    if session is None or await uow.get(Booking, session.booking_id) is None:
        return
    try:
        async with uow.nested():
            await changes.record_join(uow, session.booking_id, event.account_id)
    except DomainError as exc:
        log.warning("session %s: join not stamped on its booking: %s", session.id, exc)


async def on_reviewed(uow: UnitOfWork, event: SessionReviewed) -> None:
    """A published session review counts in the directory's rating (the profile's totals)."""
    review = await uow.get(SessionReview, event.review_id)
    if review is not None:
        await profiles.rated(uow, review.consultant_id, review.stars)
