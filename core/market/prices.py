"""The sellers' market view: what buyers search for, and what comparable listings cost."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.catalog.taxonomy import TYPES, price_per_mwh_minor
from core.deals.requests.tables import PriceRecord
from core.deals.tables import Deal
from core.market.analytics import PUBLIC_MIN_DEALS
from core.market.history import MarketHistory
from core.market.sql_history import history_of
from core.money.model import Money
from core.process.deals import DealState
from core.storage.uow import UnitOfWork

WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class PriceRange:
    """Prices per MWh of comparable published listings in one currency."""

    listings: int
    low: Money
    median: Money
    high: Money


@dataclass(frozen=True)
class MarketView:
    top_queries: list[tuple[str, int]]
    top_types: list[tuple[str, int]]
    prices: list[PriceRange]  # one per currency, the seller's own first
    country: str | None


async def market_view(uow: UnitOfWork | MarketHistory, product_type: str,
                      country: str | None, currency: str = "EUR") -> MarketView:
    """Top queries and product types searched in a region over 30 days, and the price range."""
    history = history_of(uow)
    since = history.now() - WINDOW
    queries = await history.top_queries(country, since, 5)
    types = await history.top_products(country, since, 5)
    return MarketView(queries, types, _prices(await history.asking(product_type), currency),
                      country)


def _prices(asking: list[tuple[str, int]], first: str) -> list[PriceRange]:
    """Per currency (prices are never converted: no exchange rates here), `first` first."""
    by_currency: dict[str, list[int]] = defaultdict(list)
    for currency, value in asking:
        by_currency[currency].append(value)
    ranges = [_range(currency, sorted(values)) for currency, values in by_currency.items()]
    return sorted(ranges, key=lambda r: (r.low.currency != first, -r.listings, r.low.currency))


def _range(currency: str, values: list[int]) -> PriceRange:
    def m(minor: int) -> Money:
        return Money(minor, currency)

    return PriceRange(len(values), m(values[0]), m(values[len(values) // 2]), m(values[-1]))


@dataclass(frozen=True)
class ProductPrices:
    """Prices per MWh of one product: live listings, and deals completed over the last year."""

    product_type: str
    listed: list[PriceRange]
    dealt: list[PriceRange]
    awarded: list[PriceRange] = field(default_factory=list)  # tenders' and auctions' awards


DEALS_WINDOW = timedelta(days=365)


async def prices_by_product(uow: UnitOfWork) -> list[ProductPrices]:
    """Every product with a price per MWh, in the taxonomy's order (the public market page)."""
    listed: dict[tuple[str, str], list[int]] = defaultdict(list)
    now = uow.clock.now()
    rows = await uow.session.execute(select(
        Listing.product_type, Listing.currency, Listing.price_mwh_minor, Listing.expires_at)
        .where(Listing.status == ListingState.PUBLISHED, Listing.price_mwh_minor.is_not(None)))
    for kind, currency, value, expires in rows.all():
        assert value is not None  # the query reads only priced listings
        if expires is None or expires > now:
            listed[(kind, currency)].append(value)
    dealt = await _dealt(uow, now - DEALS_WINDOW)
    awarded = await _awarded(uow, now - DEALS_WINDOW)
    found = []
    for kind in TYPES:
        ranges = [_ranges(source, kind) for source in (listed, dealt, awarded)]
        if any(ranges):
            found.append(ProductPrices(kind, *ranges))
    return found


async def _dealt(uow: UnitOfWork, since: datetime) -> dict[tuple[str, str], list[int]]:
    """Completed deals' unit prices per MWh, by the energy their listing states."""
    rows = await uow.session.execute(select(
        Listing.product_type, Deal.currency, Deal.price_minor, Listing.energy_mwh_per_unit)
        .join(Listing, Listing.id == Deal.listing_id)
        .where(Deal.status.in_((DealState.COMPLETED, DealState.CLOSED)), Deal.updated_at >= since))
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for kind, currency, price, energy in rows.all():
        value = price_per_mwh_minor(price, Decimal(energy or "0"))
        if value is not None:
            found[(kind, currency)].append(value)
    return found


async def _awarded(uow: UnitOfWork, since: datetime) -> dict[tuple[str, str], list[int]]:
    """Tenders' and auctions' awarded prices per MWh (anonymised price records); a product's
    are shown only from PUBLIC_MIN_DEALS on, so no one award can be read back."""
    rows = await uow.session.execute(select(
        PriceRecord.product_type, PriceRecord.currency, PriceRecord.price_mwh_minor).where(
        PriceRecord.recorded_at >= since, PriceRecord.price_mwh_minor.is_not(None)))
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for kind, currency, value in rows.all():
        assert value is not None  # the query reads only priced records
        found[(kind, currency)].append(value)
    return {key: values for key, values in found.items() if len(values) >= PUBLIC_MIN_DEALS}


def _ranges(values: dict[tuple[str, str], list[int]], kind: str) -> list[PriceRange]:
    ranges = [_range(currency, sorted(v)) for (k, currency), v in values.items() if k == kind]
    return sorted(ranges, key=lambda r: (r.low.currency != "EUR", -r.listings, r.low.currency))
