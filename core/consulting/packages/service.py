"""Session packages, one function per use case. A consultant offers packages; a seeker buys
one (one payment, held by Agora); each booking of the package's length with that consultant
then draws a session from it, reserved while the booking stands and settled when it ends:
used (its share is released to the consultant) or returned to the balance. At expiry the
sessions never used are refunded or kept by the package's refund rule.

Counts move only by conditional updates on the purchase row (`reserved`, `used`), so two
bookings made at once never take the same last session, on SQLite as on PostgreSQL. Bookings
drawing from a package are `drawing`, its end `settlement`, what people see `balances`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.consulting.packages import retainers, rules
from core.consulting.packages.events import PackageBought
from core.consulting.packages.rules import PackageState
from core.consulting.packages.tables import PackagePurchase, SessionPackage
from core.consulting.profiles import service as profiles
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
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


def _price(purchase: PackagePurchase) -> Money:
    return Money(purchase.price_minor, purchase.currency)
