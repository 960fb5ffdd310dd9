"""The market's history (`core.market.history.MarketHistory`) in the database, inside the
caller's unit of work: the queries the figures ran themselves before they asked a history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from core.accounts.tables import Account
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SavedSearch, SearchLog
from core.deals.requests.tables import PriceRecord
from core.deals.tables import Deal, Offer
from core.market.history import (
    DONE,
    ON_MARKET,
    SEARCHES_READ,
    AwardRow,
    Dealings,
    DealRow,
    ListingRow,
    LiveListing,
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

    async def regions(self, product_type: str, limit: int) -> list[str]:
        count = func.count()
        rows = await self._rows(select(Listing.country, count).where(
            Listing.product_type == product_type, Listing.country.is_not(None),
            Listing.status.in_(ON_MARKET)).group_by(Listing.country)
            .order_by(count.desc(), Listing.country).limit(limit))
        return [country for country, __ in rows if country is not None]

    async def dealings(self, account_id: int) -> Dealings:
        count = func.count()
        sold = await self._rows(select(Listing.product_type, count).where(
            Listing.seller_id == account_id, Listing.status != ListingState.DRAFT)
            .group_by(Listing.product_type).order_by(count.desc(), Listing.product_type))
        bought = await self._rows(select(Listing.product_type, count)
                                  .join(Deal, Deal.listing_id == Listing.id)
                                  .where(Deal.buyer_id == account_id)
                                  .group_by(Listing.product_type)
                                  .order_by(count.desc(), Listing.product_type))
        searched = await self._rows(select(SearchLog.product_type, SearchLog.text).where(
            SearchLog.account_id == account_id).order_by(SearchLog.id.desc())
            .limit(SEARCHES_READ))
        saved = (await self._uow.session.execute(select(SavedSearch.query).where(
            SavedSearch.account_id == account_id).order_by(SavedSearch.id))).scalars().all()
        return Dealings([code for code, __ in sold], [code for code, __ in bought],
                        [(code, text) for code, text in searched]
                        + [(q.get("product_type"), q.get("text", "")) for q in saved])

    async def live(self, product_type: str) -> list[LiveListing]:
        rows = await self._rows(select(
            Listing.id, Listing.seller_id, Listing.title, Listing.city, Listing.country,
            Listing.currency, Listing.latitude, Listing.longitude, Listing.price_mwh_minor)
            .where(Listing.status == ListingState.PUBLISHED,
                   Listing.product_type == product_type, Listing.price_mwh_minor.is_not(None),
                   Listing.expires_at.is_(None) | (Listing.expires_at > self.now()))
            .order_by(Listing.id))
        return [LiveListing(*row) for row in rows]

    async def top_queries(self, country: str | None, since: datetime, limit: int
                          ) -> list[tuple[str, int]]:
        text, count = func.lower(SearchLog.text), func.count()
        rows = await self._rows(select(text, count).where(
            SearchLog.created_at >= since, *_region(SearchLog.country, country),
            SearchLog.text != "").group_by(text).order_by(count.desc(), text).limit(limit))
        return [(found, n) for found, n in rows]

    async def top_products(self, country: str | None, since: datetime, limit: int
                           ) -> list[tuple[str, int]]:
        count = func.count()
        rows = await self._rows(select(SearchLog.product_type, count).where(
            SearchLog.created_at >= since, *_region(SearchLog.country, country),
            SearchLog.product_type.is_not(None)).group_by(SearchLog.product_type)
            .order_by(count.desc(), SearchLog.product_type).limit(limit))
        return [(code, n) for code, n in rows if code is not None]

    async def asking(self, product_type: str) -> list[tuple[str, int]]:
        rows = await self._rows(select(Listing.currency, Listing.price_mwh_minor).where(
            Listing.status == ListingState.PUBLISHED, Listing.product_type == product_type,
            Listing.price_mwh_minor.is_not(None)))
        return [(currency, value) for currency, value in rows if value is not None]

    async def _rows(self, query: Any) -> list[Any]:
        return list((await self._uow.session.execute(query)).all())


def history_of(uow: UnitOfWork | MarketHistory) -> MarketHistory:
    """The market's history in this unit of work: the database's, or the history given (a
    test's in-memory one)."""
    return store_of(uow, MarketHistory, SqlMarketHistory)
