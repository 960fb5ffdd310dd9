"""The sellers' market view: what buyers search for, and what comparable listings cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from core.catalog.tables import Listing, SearchLog
from core.storage.uow import UnitOfWork

WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class PriceRange:
    listings: int
    low_minor: int | None
    median_minor: int | None
    high_minor: int | None


@dataclass(frozen=True)
class MarketView:
    top_queries: list[tuple[str, int]]
    top_types: list[tuple[str, int]]
    prices: PriceRange  # per MWh, EUR listings of the same type
    country: str | None


async def market_view(uow: UnitOfWork, product_type: str, country: str | None) -> MarketView:
    """Top queries and product types searched in a region over 30 days, and the price range."""
    since = uow.clock.now() - WINDOW
    where = [SearchLog.created_at >= since]
    if country:
        where.append(SearchLog.country == country)
    text = func.lower(SearchLog.text)
    queries = await uow.session.execute(
        select(text, func.count()).where(*where, SearchLog.text != "").group_by(text)
        .order_by(func.count().desc(), text).limit(5))
    types = await uow.session.execute(
        select(SearchLog.product_type, func.count()).where(*where, SearchLog.product_type.is_not(None))
        .group_by(SearchLog.product_type).order_by(func.count().desc()).limit(5))
    prices = await _prices(uow, product_type)
    return MarketView([(q, n) for q, n in queries.all()], [(t, n) for t, n in types.all()],
                      prices, country)


async def _prices(uow: UnitOfWork, product_type: str) -> PriceRange:
    stmt = select(Listing.price_mwh_minor).where(
        Listing.status == "published", Listing.product_type == product_type,
        Listing.currency == "EUR", Listing.price_mwh_minor.is_not(None))
    values = sorted(v for v in (await uow.session.execute(stmt)).scalars())
    if not values:
        return PriceRange(0, None, None, None)
    return PriceRange(len(values), values[0], values[len(values) // 2], values[-1])
