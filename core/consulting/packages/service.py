"""Session packages, one function per use case. A consultant offers packages; a seeker buys
one (one payment, held by Agora); each booking of the package's length with that consultant
then draws a session from it, reserved while the booking stands and settled when it ends:
used (its share is released to the consultant) or returned to the balance. At expiry the
sessions never used are refunded or kept by the package's refund rule.

Counts move only by conditional updates on the purchase row (`reserved`, `used`), so two
bookings made at once never take the same last session, on SQLite as on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from core.consulting.events import BookingMoved
from core.consulting.packages import retainers, rules
from core.consulting.packages.events import PackageBought, PackageExpired, PackageSessionUsed
from core.consulting.packages.rules import PackageState, UseState
from core.consulting.packages.tables import PackagePurchase, PackageUse, SessionPackage
from core.consulting.profiles import service as profiles
from core.consulting.sessions.lifecycle import SessionState
from core.consulting.sessions.tables import ConsultSession
from core.consulting.tables import Booking
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _, present
from core.money.model import Money
from core.process.bookings import BOOKING_PROCESS, BookingState
from core.storage.uow import UnitOfWork

MAX_OFFERS = 5  # packages a consultant offers at once
PACKAGE_LENGTHS = (30, 60)  # a package's sessions are whole session blocks
ACTIVE = PackageState.ACTIVE


def reference(purchase_id: int) -> str:
    """How the money layer names a package's payment."""
    return f"package:{purchase_id}"


def purchase_of(reference_: str) -> int | None:
    """The purchase a payment reference (`package:<id>`) is for, or None."""
    head, __, number = reference_.partition(":")
    return int(number) if head == "package" and number.isdigit() else None


def use_reference(purchase_id: int, booking_id: int) -> str:
    """The money layer's name for the share of one used session."""
    return f"package:{purchase_id}:use:{booking_id}"


def kept_reference(purchase_id: int) -> str:
    """The money layer's name for the unused value the consultant keeps at expiry."""
    return f"package:{purchase_id}:kept"


# -- the consultant's offers ----------------------------------------------------------------

async def offer(uow: UnitOfWork, consultant_id: int, sessions: int, minutes: int,
                discount_percent: int, valid_days: int, refund_rule: str,
                monthly: bool = False) -> SessionPackage:
    """A new package of the consultant's, priced from their own rate less the discount;
    `monthly`: a retainer, `sessions` every month (core.consulting.packages.retainers)."""
    profile = await profiles.get(uow, consultant_id)
    if minutes not in PACKAGE_LENGTHS:
        raise DomainError(_("A package's sessions last 30 or 60 minutes."))
    rules.check_terms(sessions, minutes, rules.VALID_DAYS[0] if monthly else valid_days,
                      refund_rule)
    single = profiles.price_for(profile, minutes)
    if len(await offers_of(uow, consultant_id)) >= MAX_OFFERS:
        raise Conflict(_("You offer {count} packages already: withdraw one first.",
                         count=MAX_OFFERS))
    package = SessionPackage(consultant_id=consultant_id, sessions=sessions, minutes=minutes,
                             price_minor=rules.package_price(single, sessions,
                                                             discount_percent).amount,
                             currency=single.currency, valid_days=0 if monthly else valid_days,
                             refund_rule=refund_rule, active=True, monthly=monthly,
                             created_at=uow.clock.now())
    await uow.insert(package)
    return package


async def withdraw(uow: UnitOfWork, consultant_id: int, package_id: int) -> None:
    """The consultant stops offering a package; packages already bought keep their terms."""
    moved = await uow.session.execute(update(SessionPackage).where(
        SessionPackage.id == package_id, SessionPackage.consultant_id == consultant_id)
        .values(active=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("That package doesn't exist."))


async def offers_of(uow: UnitOfWork, consultant_id: int) -> list[SessionPackage]:
    """The packages a consultant offers now."""
    return list((await uow.session.execute(select(SessionPackage).where(
        SessionPackage.consultant_id == consultant_id, SessionPackage.active.is_(True))
        .order_by(SessionPackage.sessions, SessionPackage.minutes))).scalars())


# -- buying and paying ----------------------------------------------------------------------

async def buy(uow: UnitOfWork, seeker_id: int, package_id: int) -> PackagePurchase:
    """The seeker takes a package at its terms now; it is theirs once paid (the money layer
    opens the payment after commit and asks them to pay)."""
    package = await uow.get(SessionPackage, package_id)
    if package is None or not package.active or package.monthly:
        raise NotFound(_("That package is no longer offered."))
    if package.consultant_id == seeker_id:
        raise NotAllowed(_("You can't buy your own package."))
    profile = await profiles.get(uow, package.consultant_id)
    if not profile.live:
        raise Conflict(_("That consultant is not taking bookings right now."))
    now = uow.clock.now()
    purchase = PackagePurchase(
        package_id=package.id, seeker_id=seeker_id, consultant_id=package.consultant_id,
        sessions=package.sessions, minutes=package.minutes, price_minor=package.price_minor,
        currency=package.currency, valid_days=package.valid_days,
        refund_rule=package.refund_rule, status=PackageState.AWAITING_PAYMENT, reserved=0, used=0,
        created_at=now)
    await uow.insert(purchase)
    uow.emit(PackageBought(purchase.id, seeker_id, package.consultant_id,
                           Money(package.price_minor, package.currency)))
    return purchase


async def paid(uow: UnitOfWork, payment_reference: str) -> PackagePurchase | None:
    """The package's payment arrived (in the payment's transaction): its sessions may be
    booked from now until it expires. Once only."""
    purchase_id = purchase_of(payment_reference)
    if purchase_id is None:
        return None
    now = uow.clock.now()
    purchase = await uow.get(PackagePurchase, purchase_id)
    if purchase is None:
        return None
    ends = (retainers.month_ends(purchase, now) if purchase.retainer_id is not None
            else now + timedelta(days=purchase.valid_days))
    moved = await uow.session.execute(update(PackagePurchase).where(
        PackagePurchase.id == purchase_id, PackagePurchase.status == PackageState.AWAITING_PAYMENT)
        .values(status=ACTIVE, paid_at=now, expires_at=ends)
        .execution_options(synchronize_session=False))
    await uow.session.refresh(purchase)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return None
    if purchase.retainer_id is not None:
        await retainers.month_paid(uow, purchase)
    return purchase


# -- bookings drawing from a package -------------------------------------------------------

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


async def expire_due(uow: UnitOfWork) -> list[int]:
    """Packages past their time with no booking still standing on them: the unused sessions'
    value is refunded or kept by the rule (the money layer moves it after commit)."""
    now = uow.clock.now()
    due = list((await uow.session.execute(select(PackagePurchase).where(
        PackagePurchase.status == ACTIVE, PackagePurchase.expires_at <= now,
        PackagePurchase.reserved == 0).order_by(PackagePurchase.id).limit(100))).scalars())
    expired = []
    for purchase in due:
        moved = await uow.session.execute(update(PackagePurchase).where(
            PackagePurchase.id == purchase.id, PackagePurchase.status == ACTIVE,
            PackagePurchase.reserved == 0).values(status=PackageState.EXPIRED, settled_at=now)
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            continue
        uow.emit(PackageExpired(purchase.id))
        expired.append(purchase.id)
    return expired


@dataclass(frozen=True)
class MoneyDue:
    """Where a package's payment should stand: what goes back to the seeker in all, and each
    part the consultant is paid (its reference and amount). The money layer brings the
    payment there, whatever it did before (payments.bridges.packages)."""

    refunded: Money
    parts: list[tuple[str, Money]]


async def money_due(uow: UnitOfWork, purchase_id: int) -> MoneyDue | None:
    """The refunds and parts a package's sessions used so far, and its expiry, call for."""
    purchase = await uow.get(PackagePurchase, purchase_id)
    if purchase is None:
        return None
    price = _price(purchase)
    zero = Money(0, price.currency)
    back, parts = zero, []
    for use in (await uow.session.execute(select(PackageUse).where(
            PackageUse.purchase_id == purchase_id, PackageUse.state == UseState.USED)
            .order_by(PackageUse.booking_id))).scalars():
        refund = Money(use.refund_minor, price.currency)
        kept = Money(use.amount_minor or 0, price.currency) - refund
        back += refund
        if kept.amount:
            parts.append((use_reference(purchase_id, use.booking_id), kept))
    if purchase.status == PackageState.EXPIRED:
        unused = rules.unused_value(price, purchase.sessions, purchase.used)
        refund = rules.refund_at_expiry(unused, purchase.refund_rule)
        back += refund
        if (unused - refund).amount:
            parts.append((kept_reference(purchase_id), unused - refund))
    return MoneyDue(back, parts)


# -- what people see ------------------------------------------------------------------------

@dataclass(frozen=True)
class Balance:
    """A package as its holder or its consultant reads it."""

    purchase_id: int
    seeker_id: int
    consultant_id: int
    sessions: int
    minutes: int
    left: int  # sessions neither used nor booked
    booked: int
    used: int
    price: Money
    status: str
    expires_at: datetime | None
    refund_rule: str


def balance_of(purchase: PackagePurchase) -> Balance:
    return Balance(purchase.id, purchase.seeker_id, purchase.consultant_id, purchase.sessions,
                   purchase.minutes, purchase.sessions - purchase.used - purchase.reserved,
                   purchase.reserved, purchase.used, _price(purchase), purchase.status,
                   purchase.expires_at, purchase.refund_rule)


async def balances(uow: UnitOfWork, account_id: int, *, current: bool = True) -> list[Balance]:
    """The packages an account bought or sold (`current`: paid and not yet over)."""
    query = select(PackagePurchase).where(
        (PackagePurchase.seeker_id == account_id) | (PackagePurchase.consultant_id == account_id))
    if current:
        query = query.where(PackagePurchase.status == ACTIVE)
    rows = (await uow.session.execute(query.order_by(PackagePurchase.id))).scalars()
    return [balance_of(p) for p in rows]


async def balance(uow: UnitOfWork, purchase_id: int, actor_id: int) -> Balance:
    """One package, for its buyer and its consultant."""
    purchase = await uow.get(PackagePurchase, purchase_id)
    if purchase is None or actor_id not in (purchase.seeker_id, purchase.consultant_id):
        raise NotFound(_("That package doesn't exist."))
    return balance_of(purchase)


def _price(purchase: PackagePurchase) -> Money:
    return Money(purchase.price_minor, purchase.currency)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
