"""Consulting's event handlers: sessions' and bookings' notices, the consultant's calendar, a
booking and its session as one journey, and packages drawn by bookings. The money of sessions,
bookings, promotions and packages is moved by payments (payments.wiring)."""

from __future__ import annotations

from core.consulting import booking_notices, events
from core.consulting.bookings import calendar_out
from core.consulting.bookings.notices import parties, payment
from core.consulting.packages import drawing as package_drawing
from core.consulting.sessions import exchange_notices, link, notices, reviews
from core.consulting.sessions.events import (
    CallLinkSet,
    RecapGranted,
    ReviewReplied,
    SessionJoined,
    SessionMessagePosted,
    SessionMoved,
    SessionReviewed,
)
from core.consulting.sessions.lifecycle import COUNT, SESSION_PROCESS
from core.events import EventBus
from core.money.events import MethodSaved, PaymentAuthorised
from core.process.effects import During
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Notices first, then the journey (a session's notices are written before the session
    moves its booking)."""
    _sessions(bus)
    _bookings(bus)
    _journey(bus)
    # A package's session drawn by its booking (core.consulting.packages).
    bus.during_commit(events.BookingMoved, package_drawing.on_booking_moved)


def _sessions(bus: EventBus) -> None:
    """A session's parties hear of joins, moves, messages, its call link, recap and review."""
    bus.during_commit(SessionJoined, notices.on_joined)
    bus.during_commit(SessionMoved, notices.SESSIONS.on_moved)  # as declared
    bus.during_commit(SessionMoved, During(SESSION_PROCESS, COUNT, reviews.on_took_place))
    bus.during_commit(SessionMessagePosted, exchange_notices.on_message)
    bus.during_commit(CallLinkSet, exchange_notices.on_call_link)
    bus.during_commit(RecapGranted, exchange_notices.on_recap_granted)
    bus.during_commit(SessionReviewed, exchange_notices.on_reviewed)
    bus.during_commit(ReviewReplied, exchange_notices.on_replied)


def _bookings(bus: EventBus) -> None:
    """Bookings' notices in the transaction (a request is told before its move's declared
    notices); the consultant's own calendar shows each agreed time (calendar_out)."""
    bus.during_commit(events.BookingRequested, parties.on_requested)
    bus.during_commit(events.BookingMoved, booking_notices.BOOKINGS.on_moved)  # as declared
    bus.during_commit(events.AuthorisationOpened, payment.on_authorisation_opened)
    bus.during_commit(events.CardRequested, payment.on_card_requested)
    bus.during_commit(MethodSaved, payment.on_method_saved)
    bus.during_commit(events.AuthorisedOnSavedCard, payment.on_authorised_on_saved_card)
    bus.during_commit(events.BookingMoved, calendar_out.on_moved)
    bus.during_commit(events.CalendarReady, calendar_out.on_ready)


def _journey(bus: EventBus) -> None:
    """A booking and its session as one journey (core.consulting.sessions.link): the booking
    opens the session and cancels it; the session's start, end and no-show move the booking."""
    bus.during_commit(events.BookingConfirmed, link.open_instant)
    bus.during_commit(events.SessionDue, link.on_session_due)
    bus.during_commit(events.BookingCancelled, link.on_booking_ended)
    bus.during_commit(events.SeekerNoShow, link.on_booking_ended)
    # The session's effects on its booking, as the session's process declares them.
    for effect, handler in (("booking-in-session", link.on_started),
                            ("booking-completed", link.on_took_place),
                            ("booking-no-show", link.on_no_show),
                            ("booking-called-off", link.on_called_off)):
        bus.during_commit(SessionMoved, During(SESSION_PROCESS, effect, handler))
    bus.during_commit(SessionJoined, link.on_joined)
    bus.during_commit(PaymentAuthorised, link.on_authorised)
    bus.during_commit(SessionReviewed, link.on_reviewed)
