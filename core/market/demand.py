"""Demand for a product each month in a region (core.market.analytics): searches for it (by
its filter or its words), saved searches and offers made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from core.accounts.tables import Account
from core.catalog.tables import Listing, SavedSearch, SearchLog
from core.catalog.taxonomy import product
from core.deals.tables import Offer
from core.market.series import _by_month, _region
from core.storage.uow import UnitOfWork


def _mentions(column: Any, product_type: str) -> Any:
    """A search for this product: its filter, or one of its words in the text."""
    words = {w for w in product(product_type).keywords.split() if len(w) > 3} | {product_type}
    text = func.lower(column)
    return or_(*(text.like(f"%{w}%") for w in sorted(words)))


async def _searches(uow: UnitOfWork, product_type: str, country: str | None,
                    starts: list[datetime]) -> list[int]:
    stamps = (await uow.session.execute(select(SearchLog.created_at).where(
        SearchLog.created_at >= starts[0], *_region(SearchLog.country, country),
        or_(SearchLog.product_type == product_type,
            and_(SearchLog.product_type.is_(None), _mentions(SearchLog.text, product_type))))
    )).scalars().all()
    return _by_month(starts, list(stamps))


async def _saved(uow: UnitOfWork, product_type: str, country: str | None,
                 starts: list[datetime]) -> tuple[list[int], int]:
    """Saved searches for the product (by its filter or its words) made each month, by
    people in the region, and how many are still active."""
    rows = (await uow.session.execute(select(SavedSearch.query, SavedSearch.created_at,
                                             SavedSearch.active)
                                      .join(Account, Account.id == SavedSearch.account_id)
                                      .where(*_region(Account.country, country)))).all()
    words = {w for w in product(product_type).keywords.split() if len(w) > 3} | {product_type}
    mine = [r for r in rows if r.query.get("product_type") == product_type or (
        not r.query.get("product_type")
        and any(w in str(r.query.get("text", "")).lower() for w in words))]
    return _by_month(starts, [r.created_at for r in mine]), sum(1 for r in mine if r.active)


async def _offers(uow: UnitOfWork, product_type: str, country: str | None,
                  starts: list[datetime]) -> list[int]:
    stamps = (await uow.session.execute(select(Offer.created_at)
                                        .join(Listing, Listing.id == Offer.listing_id).where(
        Offer.previous_id.is_(None), Offer.created_at >= starts[0],
        Listing.product_type == product_type, *_region(Listing.country, country)))).scalars().all()
    return _by_month(starts, list(stamps))
