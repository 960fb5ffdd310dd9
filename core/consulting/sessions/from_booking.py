"""A booking's session: made when the booking is confirmed, found by its booking, meeting at the
booking's room, called off when the booking is cancelled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.consulting.sessions.access import get
from core.consulting.sessions.events import SessionCreated
from core.consulting.sessions.lifecycle import SESSION_PROCESS, deadlines, role_of, take
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.money import started_with
from core.consulting.sessions.rules import check_unit
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession
from core.consulting.tables import Booking
from core.errors import DomainError
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.model import SYSTEM
from core.storage.uow import UnitOfWork

MIN_BOOKED, MAX_BOOKED = 15, 8 * 60


def reference(booking_id: int) -> str:
    """How the money layer names a booking's authorisation."""
    return f"booking:{booking_id}"


async def create_for_booking(uow: UnitOfWork, booking_id: int, consultant_id: int,
                             seeker_id: int, rate: Money, rate_unit: str, booked_minutes: int,
                             starts_at: datetime, call_link: str | None = None,
                             prepaid_as: str | None = None) -> ConsultSession:
    """A confirmed booking's session, waiting for both to join (once per booking), meeting
    at the booking's link (`call_link`). `prepaid_as`: the money reference of the session
    package's share that pays it — its rate is that share, already paid, so nothing waits for
    an authorisation."""
    check_unit(rate_unit)
    if consultant_id == seeker_id:
        raise DomainError(_("A consultant can't book a session with themselves."))
    if rate.amount <= 0 or not MIN_BOOKED <= booked_minutes <= MAX_BOOKED:
        raise DomainError(_("A session has a price and lasts {min_booked} to {max_booked} minutes.",
                            min_booked=MIN_BOOKED, max_booked=MAX_BOOKED))
    existing = (await uow.session.execute(select(ConsultSession).where(
        ConsultSession.booking_id == booking_id))).scalar_one_or_none()
    if existing is not None:
        return existing
    now = uow.clock.now()
    session = ConsultSession(
        booking_id=booking_id, consultant_id=consultant_id, seeker_id=seeker_id,
        rate_minor=rate.amount, currency=rate.currency, rate_unit=rate_unit,
        booked_minutes=booked_minutes, extended_minutes=0,
        authorised_minor=rate.amount if prepaid_as is not None else 0,
        escrow_ref=prepaid_as or reference(booking_id),
        status=SESSION_PROCESS.initial, starts_at=starts_at,
        free_used=False, call_link=call_link, created_at=now, updated_at=now)
    await uow.insert(session)
    timers.start(uow, SESSION_PROCESS, session.id, session.status, deadlines(session))
    uow.emit(SessionCreated(session.id))
    return session


async def call_off(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None
                   ) -> ConsultSession:
    """A waiting session is called off (its booking was cancelled; by the system or an admin)."""
    book = logbook_of(uow)
    session = await get(book, session_id, actor_id)
    return await take(book, session, "call-off", await role_of(book, session, actor_id) or SYSTEM)


async def of_booking(uow: UnitOfWork | Logbook, booking_id: int, actor_id: int | None
                     ) -> ConsultSession | None:
    """The booking's session, if it has one (same rules as `get`)."""
    book = logbook_of(uow)
    found = await book.of_booking(booking_id)
    return await get(book, found.id, actor_id) if found is not None else None


async def free_minutes_of(uow: UnitOfWork | Logbook, booking: Booking) -> int:
    """The free minutes this booking's session starts with (or started with): what its card
    and its confirmation may promise. Under “once per pair” a seeker's later sessions with the
    same consultant have none (the logbook counts them: `Logbook.free_minutes`)."""
    book = logbook_of(uow)
    session = await book.of_booking(booking.id)
    started = started_with(session)
    if started is not None:
        return started
    return await book.free_minutes(booking.seeker_id, booking.consultant_id,
                                   session.id if session is not None else None)
