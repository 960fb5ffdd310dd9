"""A package's end (core.consulting.packages.service): packages past their time expire, and
what its payment owes — refunds to the seeker, parts paid to the consultant — from the
sessions used and the refund rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from core.consulting.packages import rules
from core.consulting.packages.events import PackageExpired
from core.consulting.packages.rules import PackageState, UseState
from core.consulting.packages.service import ACTIVE, _price, kept_reference, use_reference
from core.consulting.packages.tables import PackagePurchase, PackageUse
from core.money.model import Money
from core.storage.uow import UnitOfWork


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
