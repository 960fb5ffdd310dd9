"""Consulting events: past-tense facts of profiles and bookings (notices, the money follow-up
and the directory's upkeep are their handlers). Every booking move is a `BookingMoved`; its
subclass says what the move means, so a handler may listen to one kind or to all."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class PromotionRequested(Event):
    """A consultant asked to be featured in a category for a package of days (to be paid)."""

    consultant_id: int
    category: str
    days: int
    price: Money
    reference: str


@dataclass(frozen=True)
class ProfileChanged(Event):
    """A consultant's profile was saved, went live or left the directory."""

    account_id: int
    live: bool


@dataclass(frozen=True)
class BookingMoved(Event):
    booking_id: int
    transition: str
    source: str
    target: str
    actor_id: int | None = None  # None: the system (a timer, the session runtime)


@dataclass(frozen=True)
class BookingRequested(BookingMoved):
    """A seeker asked for a session: “talk now”, a free slot, or up to three times."""


@dataclass(frozen=True)
class TimesProposed(BookingMoved):
    """One party proposed other times; the other chooses one."""


@dataclass(frozen=True)
class BookingConfirmed(BookingMoved):
    """A time is agreed: invites go out, the payment is authorised now or 24 h before."""


@dataclass(frozen=True)
class BookingDeclined(BookingMoved):
    pass


@dataclass(frozen=True)
class BookingExpired(BookingMoved):
    """A request was not answered in time."""


@dataclass(frozen=True)
class BookingCancelled(BookingMoved):
    """Withdrawn before it was confirmed, or cancelled after (a late one may cost a fee)."""


@dataclass(frozen=True)
class RescheduleProposed(BookingMoved):
    pass


@dataclass(frozen=True)
class BookingRescheduled(BookingMoved):
    """Both agreed a new time: the invite's SEQUENCE went up."""


@dataclass(frozen=True)
class RescheduleDeclined(BookingMoved):
    """The booked time stands."""


@dataclass(frozen=True)
class PaymentDue(BookingMoved):
    """24 h before a session booked far ahead: the authorisation is asked for now."""


@dataclass(frozen=True)
class BookingReleased(BookingMoved):
    """Still not authorised 2 h before: the slot is free again."""


@dataclass(frozen=True)
class SessionDue(BookingMoved):
    """The start time came: both may join."""


@dataclass(frozen=True)
class SessionStarted(BookingMoved):
    pass


@dataclass(frozen=True)
class SessionCompleted(BookingMoved):
    pass


@dataclass(frozen=True)
class ConsultantNoShow(BookingMoved):
    """The consultant had not joined 10 minutes after the start: nothing is charged."""


@dataclass(frozen=True)
class SeekerNoShow(BookingMoved):
    """The seeker did not come; the consultant now charges the policy's fee or waives it."""


@dataclass(frozen=True)
class NoShowFeeDecided(BookingMoved):
    """The consultant charged the no-show fee or waived it (or the system waived it)."""


@dataclass(frozen=True)
class AuthorisationOpened(Event):
    """The booking's session escrow is open: the seeker authorises the maximum there (again,
    when the card saved at booking was declined: `declined` is the provider's message)."""

    booking_id: int
    escrow_id: int
    declined: str = ""


@dataclass(frozen=True)
class CardRequested(Event):
    """A session more than five days away: the seeker saves a card now (nothing is charged);
    the maximum is authorised on it 24 h before."""

    booking_id: int
    saved_id: int


@dataclass(frozen=True)
class AuthorisedOnSavedCard(Event):
    """24 h before, the maximum was authorised on the card saved at booking: nothing more is
    needed from the seeker."""

    booking_id: int
    escrow_id: int


MEANING: dict[str, type[BookingMoved]] = {
    "accept-request": BookingConfirmed, "accept-proposal": BookingConfirmed,
    "propose-times": TimesProposed, "counter-times": TimesProposed,
    "decline-request": BookingDeclined, "expire-request": BookingExpired,
    "withdraw-request": BookingCancelled, "cancel": BookingCancelled,
    "propose-reschedule": RescheduleProposed, "accept-reschedule": BookingRescheduled,
    "move": BookingRescheduled,
    "decline-reschedule": RescheduleDeclined, "authorise-payment": PaymentDue,
    "release-unpaid": BookingReleased, "open-session": SessionDue,
    "start-session": SessionStarted, "complete-session": SessionCompleted,
    "consultant-no-show": ConsultantNoShow, "seeker-no-show": SeekerNoShow,
    "charge-no-show-fee": NoShowFeeDecided, "waive-no-show-fee": NoShowFeeDecided,
    "call-off": BookingCancelled,
}


@dataclass(frozen=True)
class CalendarReady(Event):
    """A consultant's own calendar was connected, or works again after failing: it should show
    every upcoming booking (core.consulting.bookings.calendar_out)."""

    account_id: int
