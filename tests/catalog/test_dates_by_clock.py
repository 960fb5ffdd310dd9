"""Dates typed as “today” or “+60” follow the application clock and the user's time zone (in
chat, the catalogue in memory)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import FakeClock
from tests.catalog.helpers import list_pellets
from tests.catalog.in_memory import market, member


async def test_today_and_plus_days_are_the_sellers_date_by_the_application_clock():
    clock = FakeClock(datetime(2031, 3, 9, 23, 30, tzinfo=UTC))  # already 10 March in Tokyo
    chat, stock = market(clock=clock)
    sam = member(chat, stock, "sam", timezone="Asia/Tokyo")
    await list_pellets(sam, publish=False)  # available from “today”, valid until “+60”
    assert "Preview" in sam.texts()
    [listing] = stock.listings.values()
    assert listing.available_from.date().isoformat() == "2031-03-10"
    assert listing.valid_until.date().isoformat() == "2031-05-09"
