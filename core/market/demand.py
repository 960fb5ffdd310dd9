"""Demand for a product each month in a region (core.market.analytics): searches for it (by
its filter or its words), saved searches and offers made, counted from the market's history."""

from __future__ import annotations

from datetime import datetime

from core.market.history import MarketHistory
from core.market.rules import saved_for
from core.market.series import _by_month


async def _searches(history: MarketHistory, product_type: str, country: str | None,
                    starts: list[datetime]) -> list[int]:
    return _by_month(starts, await history.searches(product_type, country, starts[0]))


async def _saved(history: MarketHistory, product_type: str, country: str | None,
                 starts: list[datetime]) -> tuple[list[int], int]:
    """Saved searches for the product (by its filter or its words) made each month, by
    people in the region, and how many are still active."""
    mine = [r for r in await history.saved_searches(country) if saved_for(r.query, product_type)]
    return _by_month(starts, [r.created_at for r in mine]), sum(1 for r in mine if r.active)


async def _offers(history: MarketHistory, product_type: str, country: str | None,
                  starts: list[datetime]) -> list[int]:
    return _by_month(starts, await history.first_offers(product_type, country, starts[0]))
