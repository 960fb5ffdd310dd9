"""Where a seller's price sits: competing live listings of the same product near each of the
seller's own, read here and compared by `core.market.rules.standing`."""

from __future__ import annotations

from core.market.history import MarketHistory
from core.market.rules import NEAR_KM as NEAR_KM  # the market flow's radius, asked here
from core.market.rules import Standing, standing
from core.market.sql_history import history_of
from core.storage.uow import UnitOfWork


async def standings(uow: UnitOfWork | MarketHistory, seller_id: int, product_type: str,
                    radius_km: int = NEAR_KM) -> list[Standing]:
    """For each of the seller's live listings of the product: the competition near it."""
    rows = await history_of(uow).live(product_type)
    others = [r for r in rows if r.seller_id != seller_id]
    return [standing(own, others, radius_km) for own in rows if own.seller_id == seller_id]
