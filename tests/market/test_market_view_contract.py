"""What the market flow reads beyond the figures, alike in memory and in the database: the
regions a product is listed in, what a person sold, bought and searched for, the live listings
a seller's price is compared with, the top searches and the asking prices. One set of tests
(`ViewContract`) runs against the tests' `MemoryMarket` (no database) and the
`SqlMarketHistory` (SQLite and PostgreSQL), with the builders of `test_history_contract.py`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.market.sql_history import SqlMarketHistory
from tests.market.test_history_contract import NOV, NOW, SEP, SINCE, MemoryMarkets, SqlMarkets

RIGA = ("Riga", 56.9496, 24.1052)
TALLINN = ("Tallinn", 59.44, 24.75)


class ViewContract:
    """What every history answers the market flow; a subclass gives `markets`."""

    async def test_regions_by_how_many_listings_are_on_the_market_ties_by_code(self, markets):
        for country in ("LV", "LV", "PL", "EE"):
            await markets.publish(country=country)
        await markets.publish(country="EE", status="paused")  # on the market once: counted
        await markets.publish(country="DE", status="draft")
        await markets.publish(country="FI", product_type="chips")
        regions = markets.history.regions
        assert await regions("pellets", 5) == ["EE", "LV", "PL"]
        assert await regions("pellets", 1) == ["EE"]
        assert await regions("biogas", 5) == []

    async def test_what_a_person_sold_bought_and_searched_for(self, markets):
        for kind in ("chips", "pellets", "pellets"):
            await markets.publish(seller="sam", product_type=kind)
        await markets.publish(seller="sam", product_type="briquettes", status="draft")
        chips = await markets.publish(seller="rita", product_type="chips")
        pellets = await markets.publish(seller="rita")
        for listing in (pellets, chips, chips):
            await markets.deal(listing, "50", 10, NOV, buyer="bob")
        await markets.search("wood chips", "LV", None, SEP, by="bob")
        await markets.search("", "LV", "biogas", NOV, by="bob")
        await markets.search("pellets", "LV", None, NOV, by="rita")
        await markets.save({"text": "uco"}, None, True, NOV, by="bob")
        sam, bob = await markets.who("sam"), await markets.who("bob")
        mine = await markets.history.dealings(sam)
        assert (mine.sold, mine.bought, mine.searched) == (["pellets", "chips"], [], [])
        theirs = await markets.history.dealings(bob)
        assert (theirs.sold, theirs.bought) == ([], ["chips", "pellets"])
        assert theirs.searched == [("biogas", ""), (None, "wood chips"), (None, "uco")]

    async def test_live_listings_are_published_priced_and_not_expired(self, markets):
        mine = await markets.publish(seller="sam", title="Sam's pellets", place=RIGA)
        theirs = await markets.publish("260", seller="rita", title="Rita's", place=TALLINN,
                                       country="EE")
        await markets.publish(seller="rita", status="paused")
        await markets.publish(seller="rita", expires_at=NOW - timedelta(hours=1))
        await markets.publish(seller="rita", product_type="chips")
        found = {x.id: x for x in await markets.history.live("pellets")}
        assert sorted(found) == [mine, theirs]
        sam = found[mine]
        assert (sam.seller_id, sam.title, sam.city, sam.country, sam.currency) == (
            await markets.who("sam"), "Sam's pellets", "Riga", "LV", "EUR")
        assert (sam.latitude, sam.longitude, sam.price_mwh_minor) == (56.9496, 24.1052, 4792)
        assert (found[theirs].city, found[theirs].price_mwh_minor) == ("Tallinn", 5417)

    async def test_the_top_searches_of_a_region_since_a_day(self, markets):
        for text, country, kind in (("Pellets", "LV", "pellets"), ("pellets", "LV", "pellets"),
                                    ("chips", "LV", None), ("", "LV", "chips"),
                                    ("briquettes", "EE", "briquettes")):
            await markets.search(text, country, kind, NOV)
        await markets.search("old", "LV", "biogas", SEP)
        top_queries, top_products = markets.history.top_queries, markets.history.top_products
        assert await top_queries("LV", SINCE, 5) == [("pellets", 2), ("chips", 1)]
        assert await top_queries(None, SINCE, 2) == [("pellets", 2), ("briquettes", 1)]
        assert await top_products("LV", SINCE, 5) == [("pellets", 2), ("chips", 1)]
        assert await top_products(None, SEP, 5) == [
            ("pellets", 2), ("biogas", 1), ("briquettes", 1), ("chips", 1)]

    async def test_asking_prices_are_the_published_listings_of_the_product(self, markets):
        await markets.publish("230")
        await markets.publish("250", expires_at=datetime(2026, 1, 1, tzinfo=UTC))  # still asks
        await markets.publish("200", status="paused")
        await markets.publish("60", product_type="chips")
        assert sorted(await markets.history.asking("pellets")) == [("EUR", 4792), ("EUR", 5208)]


class TestMemoryView(ViewContract):
    @pytest.fixture
    def markets(self):
        return MemoryMarkets()


class TestSqlView(ViewContract):
    @pytest.fixture
    async def markets(self, app):
        async with app.uow() as uow:
            yield SqlMarkets(uow, SqlMarketHistory(uow))
