"""Bookings drawing from a package (core.consulting.packages.service): a booking of the
package's length takes a session from it, reserved while the booking stands and settled when
it ends — used (its share is released to the consultant) or returned to the balance. Counts
move only by conditional updates on the purchase row (`reserved`, `used`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from core.consulting.events import BookingMoved
from core.consulting.packages import rules
from core.consulting.packages.events import PackageSessionUsed
from core.consulting.packages.rules import PackageState, UseState
from core.consulting.packages.service import ACTIVE, _price
from core.consulting.packages.tables import PackagePurchase, PackageUse
from core.consulting.sessions.lifecycle import SessionState
from core.consulting.sessions.tables import ConsultSession
from core.consulting.tables import Booking
from core.errors import DomainError
from core.i18n import _, present
from core.money.model import Money
from core.process.bookings import BOOKING_PROCESS, BookingState
from core.storage.uow import UnitOfWork


async def reserve(uow: UnitOfWork, booking: Booking) -> PackagePurchase | None:
    """A new booking draws a session from the seeker's package with this consultant, when
    they hold one of its length with a session left that it starts before the package
    expires (the one expiring first). None: the booking is paid as usual."""
    starts = booking.starts_at or uow.clock.now()
    candidates = (await uow.session.execute(select(PackagePurchase.id).where(
        PackagePurchase.seeker_id == booking.seeker_id,
        PackagePurchase.consultant_id == booking.consultant_id,
        PackagePurchase.minutes == booking.minutes, PackagePurchase.status == ACTIVE,
        PackagePurchase.expires_at > starts)
        .order_by(PackagePurchase.expires_at, PackagePurchase.id))).scalars().all()
    for purchase_id in candidates:
        taken = await uow.session.execute(update(PackagePurchase).where(
            PackagePurchase.id == purchase_id, PackagePurchase.status == ACTIVE,
            PackagePurchase.reserved + PackagePurchase.used < PackagePurchase.sessions)
            .values(reserved=PackagePurchase.reserved + 1)
            .execution_options(synchronize_session=False))
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            purchase = await uow.get(PackagePurchase, purchase_id, populate_existing=True)
            assert purchase is not None
            uow.add(PackageUse(booking_id=booking.id, purchase_id=purchase_id, state=UseState.RESERVED,
                               created_at=uow.clock.now()))
            booking.package_purchase_id = purchase_id
            booking.max_minor = rules.share(_price(purchase), purchase.sessions,
                                            purchase.used + 1).amount
            return purchase
    return None


async def check_start(uow: UnitOfWork, booking: Booking, starts_at: datetime) -> None:
    """A booking drawn from a package may only move to a time before the package expires."""
    if booking.package_purchase_id is None:
        return
    purchase = await uow.get(PackagePurchase, booking.package_purchase_id)
    if purchase is not None and purchase.expires_at is not None \
            and _aware(starts_at) >= _aware(purchase.expires_at):
        raise DomainError(_("Your package expires {when}: choose a time before then.",
                            when=present.day(purchase.expires_at)))


async def settle_booking(uow: UnitOfWork, booking_id: int) -> str | None:
    """The booking ended: its reserved session is used (the session took place in paid time,
    or a late-cancellation or no-show fee applies) or returned to the balance. In the
    booking's transaction; once only. Returns what happened (None: nothing to settle)."""
    booking = await uow.get(Booking, booking_id)
    if booking is None or booking.package_purchase_id is None:
        return None
    held = await _took_place(uow, booking)
    used = held or booking.fee_minor > 0
    now = uow.clock.now()
    moved = await uow.session.execute(update(PackageUse).where(
        PackageUse.booking_id == booking_id, PackageUse.state == UseState.RESERVED)
        .values(state=UseState.USED if used else UseState.RETURNED, settled_at=now)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return None
    purchase_id = booking.package_purchase_id
    values = ({"reserved": PackagePurchase.reserved - 1, "used": PackagePurchase.used + 1}
              if used else {"reserved": PackagePurchase.reserved - 1})
    await uow.session.execute(update(PackagePurchase).where(PackagePurchase.id == purchase_id)
                              .values(**values).execution_options(synchronize_session=False))
    purchase = await uow.get(PackagePurchase, purchase_id, populate_existing=True)
    assert purchase is not None
    if not used:
        return UseState.RETURNED
    portion = rules.share(_price(purchase), purchase.sessions, purchase.used)
    back = Money(0, portion.currency) if held else \
        rules.fee_split(portion, Money(booking.fee_minor, booking.currency))[1]
    await uow.session.execute(update(PackageUse).where(PackageUse.booking_id == booking_id)
                              .values(amount_minor=portion.amount, refund_minor=back.amount)
                              .execution_options(synchronize_session=False))
    if purchase.used == purchase.sessions:
        await uow.session.execute(update(PackagePurchase).where(
            PackagePurchase.id == purchase_id, PackagePurchase.status == ACTIVE)
            .values(status=PackageState.USED_UP, settled_at=now)
            .execution_options(synchronize_session=False))
    uow.emit(PackageSessionUsed(purchase_id, booking_id))
    return UseState.USED


async def on_booking_moved(uow: UnitOfWork, event: BookingMoved) -> None:
    """In the booking's transaction: a booking that ended settles its package session."""
    if event.target in BOOKING_PROCESS.final:
        await settle_booking(uow, event.booking_id)


async def _took_place(uow: UnitOfWork, booking: Booking) -> bool:
    """Whether the booking's session took place past its free minutes."""
    if booking.status != BookingState.COMPLETED:
        return False
    status = (await uow.session.execute(select(ConsultSession.status).where(
        ConsultSession.booking_id == booking.id))).scalar_one_or_none()
    return status == SessionState.ENDED_PAID


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
