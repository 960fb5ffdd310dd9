"""Pricing an indexed contract's call-off when it is made: the index's latest published week
(core.indices.reference) plus the contract's premium per tonne, or the contract's agreed price
while the index has published no week (core.deals.call_offs.indexed_price). The deal keeps
the index, the week used and the premium, so its card says how its price was made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.deals.call_offs import indexed_price
from core.indices.reference import reference
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class CallOffPrice:
    price_minor: int
    price_index: str | None
    index_week: date | None  # None: not indexed, or no week published (the agreed price)
    index_premium_minor: int | None

    def columns(self) -> dict[str, object]:
        """The deal's columns that say how its price was made."""
        return {"price_minor": self.price_minor, "price_index": self.price_index,
                "index_week": self.index_week, "index_premium_minor": self.index_premium_minor}


async def call_off_price(uow: UnitOfWork, price_index: str | None, premium_minor: int | None,
                         agreed: Money) -> CallOffPrice:
    """A call-off's price now: the agreed price, or for an indexed contract the index's latest
    published week plus the premium (the agreed price while none is published)."""
    if not price_index:
        return CallOffPrice(agreed.amount, None, None, None)
    found = await reference(uow, price_index)
    premium = Money(premium_minor or 0, agreed.currency)
    price = indexed_price(found.per_t if found else None, premium, agreed)
    used = found is not None and (found.per_t + premium).amount > 0
    return CallOffPrice(price.amount, price_index, found.week if found and used else None,
                        premium.amount)
