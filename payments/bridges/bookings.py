"""A booking's money, through the payments port, in the same home as the other bridges:
the session escrow `booking:<id>` is opened for the maximum when the booking is confirmed, and
when a booking ends without a session its authorisation is voided — or the policy's fee
captured from it. A session more than five days away (card holds expire) asks the seeker to
save a card at confirmation, nothing charged; 24 h before, the escrow is opened and authorised
on that card off-session. Without a saved card, or when it is declined, the seeker is asked to
authorise then, and the `release-unpaid` timer frees the time if still unpaid 2 h before.

Provider calls never run inside a transaction, so these steps follow the booking's commit
(an after-commit handler), each idempotent: the escrow is opened once per reference, void and
capture are guarded transitions. `catch_up` (a periodic job) takes any step a crash left."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from core.consulting.bookings.due import UNPAID
from core.consulting.bookings.moves import authorised_at_booking, reference
from core.consulting.events import (
    AuthorisationOpened,
    AuthorisedOnSavedCard,
    BookingMoved,
    CardRequested,
)
from core.consulting.tables import Booking
from core.errors import DomainError
from core.events import Event
from core.money.model import Money
from core.payments_port import (
    Actor,
    EscrowState,
    EscrowView,
    PaymentsPort,
    SavedMethodState,
    SavedMethodView,
)
from core.process.bookings import AUTHORISE_BEFORE, BookingState
from core.storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
SYSTEM = Actor("system:bookings", "the booking's process")
ON_SAVED_CARD = Actor("system:bookings", "authorised 24 h before on the card saved at booking")
# A session ahead: authorise it.
WAITING = (BookingState.CONFIRMED, BookingState.RESCHEDULE_PROPOSED, BookingState.STARTING)
SETTLES = (BookingState.CANCELLED, BookingState.DECLINED, BookingState.EXPIRED, BookingState.RELEASED,
           BookingState.NO_SHOW_CONSULTANT, BookingState.NO_SHOW_SEEKER)
# A saved card to authorise with (or a claim a crash left).
READY = (SavedMethodState.SAVED, SavedMethodState.AUTHORISING)
CATCH_UP_DAYS = 7  # how far back ended bookings are checked for a stranded authorisation


def step_for(booking: Booking, escrow: EscrowView | None, now: datetime,
             saved: SavedMethodView | None = None) -> str | None:
    """What the money must do for this booking now: save (a card, for later), open,
    authorise (on the saved card), void, capture — or nothing. A booking drawn from a
    session package has nothing on a card: its package pays (payments.bridges.packages)."""
    if booking.package_purchase_id is not None:
        return None
    if booking.status in WAITING and booking.starts_at is not None:
        due = booking.kind == "instant" or authorised_at_booking(booking) \
            or now >= booking.starts_at - AUTHORISE_BEFORE
        if escrow is None:
            return "open" if due else ("save" if saved is None else None)
        ready = saved is not None and saved.state in READY
        return "authorise" if due and escrow.state in UNPAID and ready else None
    if booking.status in SETTLES and escrow is not None and escrow.state == EscrowState.AUTHORISED:
        return "capture" if booking.fee_minor > 0 else "void"
    return None


class BookingMoney:
    """The money follow-up of booking moves (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsPort, uow_factory: UowFactory) -> None:
        self.payments = payments
        self.uow = uow_factory

    async def after_moves(self, events: Sequence[BookingMoved]) -> None:
        """After commit: each moved booking's money step, if it needs one."""
        for booking_id in dict.fromkeys(e.booking_id for e in events):
            try:
                await self.follow(booking_id)
            except DomainError as exc:  # moved meanwhile, or a rule: catch_up sees it again
                log.warning("booking %s: money step not taken: %s", booking_id, exc)

    async def follow(self, booking_id: int) -> str | None:
        """Take the booking's money step now; returns which one (None: nothing to do)."""
        async with self.uow() as uow:
            booking = await uow.get(Booking, booking_id)
            if booking is None:
                return None
            escrow = await self.payments.by_reference(reference(booking_id), uow)
            saved = await self.payments.saved_method(reference(booking_id), uow)
            step = step_for(booking, escrow, uow.clock.now(), saved)
            seeker, consultant = booking.seeker_id, booking.consultant_id
            most, fee = Money(booking.max_minor, booking.currency), booking.fee_minor
            if await _waive(uow, booking, escrow):
                await uow.commit()
        if step == "save":
            asked = await self.payments.save_method(reference(booking_id), seeker, SYSTEM)
            await self._tell(CardRequested(booking_id, asked.id))
        elif step == "open":
            view = await self.payments.open("session", "consulting", reference(booking_id),
                                            seeker, consultant, most, SYSTEM)
            if saved is not None and saved.state in READY:
                await self._authorise(booking_id, view.id)
            else:
                await self._tell(AuthorisationOpened(booking_id, view.id))
        elif step == "authorise" and escrow is not None:
            await self._authorise(booking_id, escrow.id)
        elif step == "void" and escrow is not None:
            await self.payments.void(escrow.id, SYSTEM)
        elif step == "capture" and escrow is not None:
            charge = Money(min(fee, escrow.amount.amount), escrow.amount.currency)
            await self.payments.capture(escrow.id, charge, Actor(SYSTEM.who, "the policy's fee"))
        return step

    async def _authorise(self, booking_id: int, escrow_id: int) -> None:
        """On the card saved at booking, off-session; declined, the seeker is asked instead."""
        outcome = await self.payments.authorise_saved(escrow_id, ON_SAVED_CARD)
        if outcome.declined is not None:
            await self._tell(AuthorisationOpened(booking_id, escrow_id, outcome.declined))
        elif outcome.escrow.state == EscrowState.AUTHORISED:
            await self._tell(AuthorisedOnSavedCard(booking_id, escrow_id))

    async def _tell(self, event: Event) -> None:
        async with self.uow() as uow:  # the notices go through the outbox
            uow.emit(event)
            await uow.commit()

    async def catch_up(self) -> int:
        """Take the money steps a crash or a race left undone (a periodic job); returns how
        many were taken."""
        async with self.uow() as uow:
            now = uow.clock.now()
            since = now - timedelta(days=CATCH_UP_DAYS)
            ids = list((await uow.session.execute(select(Booking.id).where(or_(
                Booking.status.in_(WAITING) & (Booking.starts_at <= now + AUTHORISE_BEFORE * 6),
                Booking.status.in_(SETTLES) & (Booking.updated_at >= since)))
                .order_by(Booking.id))).scalars())
        taken = 0
        for booking_id in ids:
            try:
                taken += await self.follow(booking_id) is not None
            except DomainError as exc:
                log.warning("booking %s: money catch-up not taken: %s", booking_id, exc)
        return taken


async def _waive(uow: UnitOfWork, booking: Booking, escrow: EscrowView | None) -> bool:
    """A fee can only come out of an authorisation: a booking that ended with none has its fee
    waived, so an authorisation that still arrives later is voided, never charged."""
    if booking.status not in SETTLES or booking.fee_minor == 0:
        return False
    if escrow is not None and escrow.state not in UNPAID:
        return False
    await uow.session.execute(update(Booking).where(
        Booking.id == booking.id, Booking.status.in_(SETTLES)).values(fee_minor=0)
        .execution_options(synchronize_session=False))
    return True
