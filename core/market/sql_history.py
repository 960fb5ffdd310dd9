"""The market's history (`core.market.history.MarketHistory`) in the database, inside the
caller's unit of work: the queries the figures ran themselves before they asked a history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from core.accounts.tables import Account
from core.catalog.tables import Listing, SavedSearch, SearchLog
from core.deals.requests.tables import PriceRecord
from core.deals.tables import Deal, Offer
from core.market.history import (
    DONE,
    ON_MARKET,
    AwardRow,
    DealRow,
    ListingRow,
    MarketHistory,
    SavedRow,
)
from core.market.rules import search_words
from core.market.series import _region
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


def _mentions(column: Any, product_type: str) -> Any:
    """A search's text holding one of the product's words."""
    text = func.lower(column)
    return or_(*(text.like(f"%{w}%") for w in sorted(search_words(product_type))))


class SqlMarketHistory(SqlStore):
    """The market's history in the database, inside `uow`'s transaction."""

    async def completed_deals(self, product_type: str, country: str | None, since: datetime
                              ) -> list[DealRow]:
        rows = await self._rows(select(
            Deal.currency, Deal.price_minor, Deal.quantity_milli, Deal.updated_at,
            Listing.energy_mwh_per_unit).join(Listing, Listing.id == Deal.listing_id).where(
            Deal.status.in_(DONE), Listing.product_type == product_type,
            Deal.updated_at >= since, *_region(Listing.country, country)))
        return [DealRow(*row) for row in rows]

    async def listed(self, product_type: str, country: str | None) -> list[ListingRow]:
        rows = await self._rows(select(
            Listing.currency, Listing.price_mwh_minor, Listing.quantity_milli, Listing.status,
            Listing.energy_mwh_per_unit, Listing.published_at, Listing.expires_at,
            Listing.updated_at).where(
            Listing.status.in_(ON_MARKET), Listing.published_at.is_not(None),
            Listing.product_type == product_type, *_region(Listing.country, country)))
        return [ListingRow(*row) for row in rows]

    async def awards(self, product_type: str, country: str | None, since: datetime
                     ) -> list[AwardRow]:
        rows = await self._rows(select(
            PriceRecord.currency, PriceRecord.price_mwh_minor, PriceRecord.recorded_at).where(
            PriceRecord.product_type == product_type, PriceRecord.recorded_at >= since,
            *_region(PriceRecord.country, country)))
        return [AwardRow(*row) for row in rows]

    async def searches(self, product_type: str, country: str | None, since: datetime
                       ) -> list[datetime]:
        return list((await self._uow.session.execute(select(SearchLog.created_at).where(
            SearchLog.created_at >= since, *_region(SearchLog.country, country),
            or_(SearchLog.product_type == product_type,
                and_(SearchLog.product_type.is_(None), _mentions(SearchLog.text, product_type))))
        )).scalars().all())

    async def saved_searches(self, country: str | None) -> list[SavedRow]:
        rows = await self._rows(select(SavedSearch.query, SavedSearch.created_at,
                                       SavedSearch.active)
                                .join(Account, Account.id == SavedSearch.account_id)
                                .where(*_region(Account.country, country)))
        return [SavedRow(*row) for row in rows]

    async def first_offers(self, product_type: str, country: str | None, since: datetime
                           ) -> list[datetime]:
        return list((await self._uow.session.execute(select(Offer.created_at).join(
            Listing, Listing.id == Offer.listing_id).where(
            Offer.previous_id.is_(None), Offer.created_at >= since,
            Listing.product_type == product_type, *_region(Listing.country, country)))
        ).scalars().all())

    async def _rows(self, query: Any) -> list[Any]:
        return list((await self._uow.session.execute(query)).all())


def history_of(uow: UnitOfWork | MarketHistory) -> MarketHistory:
    """The market's history in this unit of work: the database's, or the history given (a
    test's in-memory one)."""
    return store_of(uow, MarketHistory, SqlMarketHistory)
