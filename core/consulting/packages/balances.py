"""What people see of a package (core.consulting.packages.service): its balance, for its
holder and its consultant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.consulting.packages.service import ACTIVE, _price
from core.consulting.packages.tables import PackagePurchase
from core.errors import NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork


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
