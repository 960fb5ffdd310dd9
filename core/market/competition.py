"""Where a seller's price sits: competing live listings of the same product near each of the
seller's own, read here and compared by `core.market.rules.standing`."""

from __future__ import annotations

from sqlalchemy import Select, select

from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.market.rules import NEAR_KM as NEAR_KM  # the market flow's radius, asked here
from core.market.rules import Standing, standing
from core.storage.uow import UnitOfWork


def _live(uow: UnitOfWork, product_type: str) -> Select[Listing]:
    now = uow.clock.now()
    return select(Listing).where(
        Listing.status == ListingState.PUBLISHED, Listing.product_type == product_type,
        Listing.price_mwh_minor.is_not(None),
        (Listing.expires_at.is_(None)) | (Listing.expires_at > now))


async def standings(uow: UnitOfWork, seller_id: int, product_type: str,
                    radius_km: int = NEAR_KM) -> list[Standing]:
    """For each of the seller's live listings of the product: the competition near it."""
    rows = list((await uow.session.execute(_live(uow, product_type))).scalars())
    others = [r for r in rows if r.seller_id != seller_id]
    return [standing(own, others, radius_km) for own in rows if own.seller_id == seller_id]
