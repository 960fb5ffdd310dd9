"""The market's history reads alike in memory and in the database: one set of tests
(`HistoryContract`) writes the same listings, deals, offers, searches, saved searches and
awards into the tests' `MemoryMarket` (no database) and into the tables read by the
`SqlMarketHistory` (SQLite and PostgreSQL), and asks both the same questions — which rows a
status, a product, a region and a month let through — so the figures computed on the fake
hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.accounts import service as accounts
from core.catalog.tables import Listing, SavedSearch, SearchLog
from core.catalog.taxonomy import price_per_mwh_minor
from core.deals.requests.tables import PriceRecord
from core.deals.tables import Deal, Offer, SupplyRequest
from core.market.history import MarketHistory
from core.market.series import _aware
from core.market.sql_history import SqlMarketHistory
from tests.market.fakes import PELLETS_MWH, MemoryMarket

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both histories' clocks stand here
NOV = datetime(2026, 11, 12, 9, tzinfo=UTC)
SEP = datetime(2026, 9, 3, 9, tzinfo=UTC)
SINCE = datetime(2026, 10, 1, tzinfo=UTC)


def same(rows: list[Any]) -> list[Any]:
    """Rows in one order, their times aware (SQLite gives them back naive)."""
    def aware(row: Any) -> Any:
        if isinstance(row, datetime):
            return _aware(row)
        return replace(row, **{f.name: _aware(getattr(row, f.name)) for f in fields(row)
                               if isinstance(getattr(row, f.name), datetime)})
    return sorted((aware(r) for r in rows), key=repr)


class HistoryContract:
    """What every history answers; a subclass gives `markets`: a history and how its rows are
    written."""

    async def test_completed_deals_of_the_product_in_the_region_since_a_day(self, markets):
        riga, berlin = await markets.publish(country="LV"), await markets.publish(country="DE")
        chips = await markets.publish(product_type="chips", energy="0.9", country="LV")
        await markets.deal(riga, "50", 10, NOV)
        await markets.deal(riga, "60", 5, NOV, status="closed", currency="SEK")
        await markets.deal(riga, "99", 10, NOV, status="agreed")  # not delivered
        await markets.deal(riga, "40", 10, SEP)  # before the months asked
        await markets.deal(berlin, "70", 10, NOV)
        await markets.deal(chips, "30", 10, NOV)
        history = markets.history
        latvia = same(await history.completed_deals("pellets", "LV", SINCE))
        assert [(d.currency, d.price_minor, d.quantity_milli, d.energy_mwh_per_unit)
                for d in latvia] == [("EUR", 24000, 10_000, PELLETS_MWH),
                                     ("SEK", 28800, 5_000, PELLETS_MWH)]
        assert {d.updated_at for d in latvia} == {NOV}
        everywhere = await history.completed_deals("pellets", None, SINCE)
        assert sorted(d.price_minor for d in everywhere) == [24000, 28800, 33600]
        assert len(await history.completed_deals("pellets", None, SEP)) == 4
        assert [d.price_minor for d in await history.completed_deals("chips", "LV", SINCE)] == [
            2700]

    async def test_listings_published_once_and_on_the_market(self, markets):
        await markets.publish("230", country="LV")
        await markets.publish("250", country="LV", status="sold_out", at=SEP)
        await markets.publish("240", country="LV", status="draft", published=False)
        await markets.publish("245", country="LV", status="closed", published=False)
        await markets.publish("260", country="DE", tonnes=100)
        await markets.publish("90", country="LV", product_type="chips", energy="0.9")
        latvia = same(await markets.history.listed("pellets", "LV"))
        assert [(r.currency, r.price_mwh_minor, r.quantity_milli, r.status,
                 r.energy_mwh_per_unit, r.published_at, r.expires_at) for r in latvia] == [
            ("EUR", 4792, 500_000, "published", PELLETS_MWH, NOW, datetime(2027, 1, 20,
                                                                            tzinfo=UTC)),
            ("EUR", 5208, 500_000, "sold_out", PELLETS_MWH, SEP, datetime(2027, 1, 20,
                                                                           tzinfo=UTC))]
        assert len(await markets.history.listed("pellets", None)) == 3
        assert [r.price_mwh_minor for r in await markets.history.listed("chips", None)] == [
            10000]

    async def test_awards_of_the_product_in_the_region_since_a_day(self, markets):
        await markets.award("chips", "EE", "EUR", 2500, NOV)
        await markets.award("chips", "EE", "EUR", None, NOV)  # the energy is unknown
        await markets.award("chips", "LV", "EUR", 2600, NOV)
        await markets.award("chips", "EE", "EUR", 2400, SEP)
        await markets.award("pellets", "EE", "EUR", 4800, NOV)
        estonia = same(await markets.history.awards("chips", "EE", SINCE))
        assert [(a.currency, a.price_mwh_minor, a.recorded_at) for a in estonia] == [
            ("EUR", 2500, NOV), ("EUR", None, NOV)]
        assert len(await markets.history.awards("chips", None, SINCE)) == 3
        assert len(await markets.history.awards("chips", None, SEP)) == 4

    async def test_searches_for_a_product_by_its_filter_or_its_words(self, markets):
        for text, kind, country, at in (
                ("pellets riga", None, "LV", NOV), ("ENplus A1", None, "LV", NOV),
                ("", "pellets", "LV", NOV), ("WOOD PELLETS", None, "LV", NOV),
                ("pellets", "chips", "LV", NOV),  # filtered to another product
                ("oak logs", None, "LV", NOV),  # none of the product's words
                ("chips", None, "LV", NOV), ("pellets", None, "DE", NOV),
                ("pellets", None, "LV", SEP)):
            await markets.search(text, country, kind, at)
        assert same(await markets.history.searches("pellets", "LV", SINCE)) == [NOV] * 4
        assert len(await markets.history.searches("pellets", None, SINCE)) == 5
        assert len(await markets.history.searches("pellets", "LV", SEP)) == 5
        assert len(await markets.history.searches("chips", "LV", SINCE)) == 2

    async def test_saved_searches_of_the_people_of_a_region(self, markets):
        await markets.save({"text": "pellets", "product_type": "pellets"}, "LV", True, NOV)
        await markets.save({"text": "chips"}, "LV", False, SEP)
        await markets.save({"text": "pellets"}, "DE", True, NOV)
        latvia = same(await markets.history.saved_searches("LV"))
        assert [(r.query.get("text"), r.query.get("product_type"), r.created_at, r.active)
                for r in latvia] == [("chips", None, SEP, False),
                                     ("pellets", "pellets", NOV, True)]
        assert len(await markets.history.saved_searches(None)) == 3

    async def test_first_offers_on_the_products_listings_in_the_region(self, markets):
        riga, berlin = await markets.publish(country="LV"), await markets.publish(country="DE")
        await markets.deal(riga, "50", 10, NOV)  # its first offer two days before
        await markets.counter(riga, NOV)  # an answer opens no negotiation
        await markets.deal(riga, "50", 10, SEP)
        await markets.deal(berlin, "50", 10, NOV)
        history = markets.history
        assert same(await history.first_offers("pellets", "LV", SINCE)) == [
            NOV - timedelta(days=2)]
        assert len(await history.first_offers("pellets", None, SINCE)) == 2
        assert len(await history.first_offers("pellets", "LV", SEP - timedelta(days=2))) == 2
        assert await history.first_offers("chips", None, SEP) == []
        assert history.now() == NOW


@dataclass
class MemoryMarkets:
    history: MemoryMarket = field(default_factory=MemoryMarket)
    people: dict[str, int] = field(default_factory=dict)

    async def who(self, name: str) -> int:
        """Someone by name (a seller, a buyer, a searcher)."""
        return self.people.setdefault(name, len(self.people) + 1)

    async def publish(self, price: str = "230", *, seller: str = "", **how: Any) -> int:
        return self.history.publish(
            price, seller_id=await self.who(seller) if seller else 0, **how)

    async def deal(self, listing_id: int, per_mwh: str, tonnes: int, at: datetime, *,
                   buyer: str = "buyer", **how: Any) -> None:
        self.history.deal(listing_id, per_mwh, tonnes, at, buyer_id=await self.who(buyer),
                          **how)

    async def counter(self, listing_id: int, at: datetime) -> None:
        self.history.counter(listing_id, at)

    async def search(self, text: str, country: str | None, kind: str | None,
                     at: datetime, by: str = "") -> None:
        self.history.search(text, country, kind, at, await self.who(by) if by else None)

    async def save(self, query: dict[str, Any], country: str | None, active: bool,
                   at: datetime, by: str = "") -> None:
        self.history.save(query, country, active, at, await self.who(by) if by else None)

    async def award(self, kind: str, country: str | None, currency: str,
                    per_mwh: int | None, at: datetime) -> None:
        self.history.award(kind, country, currency, per_mwh, at)


class TestMemoryHistory(HistoryContract):
    @pytest.fixture
    def markets(self):
        return MemoryMarkets()


@dataclass
class SqlMarkets:
    """A SqlMarketHistory in one open unit of work; the rows written in it, rolled back after."""

    uow: Any
    history: MarketHistory
    people: dict[str, int] = field(default_factory=dict)  # someone of each country

    async def person(self, country: str | None, who: str = "") -> int:
        """Someone living in `country` (a buyer, without one, for the deals)."""
        key = who or str(country)
        if key not in self.people:
            name = f"p{len(self.people)}"
            account = await accounts.register(self.uow, accounts.ChannelIdentity(
                "terminal", name, name), accounts.Registration(
                display_name=name, email=f"{name}@example.com", roles=["buyer", "seller"],
                country=country))
            self.people[key] = account.id
        return self.people[key]

    async def who(self, name: str) -> int:
        return await self.person(None, name)

    async def publish(self, price: str = "230", *, country: str | None = "LV",
                      product_type: str = "pellets", energy: str = PELLETS_MWH,
                      tonnes: int = 500, status: str = "published", at: datetime | None = None,
                      published: bool = True, seller: str = "", title: str = "A listing",
                      place: tuple[str, float, float] = ("Somewhere", 56.9, 24.1),
                      expires_at: datetime = datetime(2027, 1, 20, tzinfo=UTC)) -> int:
        since = at or NOW
        price_minor = int(Decimal(price) * 100)
        city, latitude, longitude = place
        row = Listing(
            seller_id=await self.person(country, seller), status=status,
            product_type=product_type, title=title, quantity_milli=tonnes * 1000, unit="t",
            price_minor=price_minor, currency="EUR", city=city, country=country,
            latitude=latitude, longitude=longitude,
            available_from=since, valid_until=datetime(2027, 1, 20, tzinfo=UTC),
            energy_mwh_per_unit=energy,
            price_mwh_minor=price_per_mwh_minor(price_minor, Decimal(energy)),
            published_at=since if published else None,
            expires_at=expires_at, created_at=since, updated_at=since)
        return int((await self.uow.insert(row)).id)

    async def deal(self, listing_id: int, per_mwh: str, tonnes: int, at: datetime, *,
                   status: str = "completed", currency: str = "EUR", buyer: str = "buyer"
                   ) -> None:
        listing = await self.uow.get(Listing, listing_id)
        price = int(Decimal(per_mwh) * 100 * Decimal(listing.energy_mwh_per_unit))
        buyer_id = await self.person(None, buyer)
        offer = await self.uow.insert(Offer(
            listing_id=listing_id, buyer_id=buyer_id, seller_id=listing.seller_id,
            made_by="buyer",
            status="accepted", quantity_milli=tonnes * 1000, price_minor=price,
            currency=currency, expires_at=at, decided_at=at - timedelta(days=1),
            created_at=at - timedelta(days=2)))
        await self.uow.insert(Deal(
            offer_id=offer.id, listing_id=listing_id, buyer_id=buyer_id,
            seller_id=listing.seller_id, status=status, quantity_milli=tonnes * 1000,
            price_minor=price, currency=currency, created_at=at - timedelta(days=1),
            updated_at=at))

    async def counter(self, listing_id: int, at: datetime) -> None:
        listing = await self.uow.get(Listing, listing_id)
        first = await self.uow.insert(Offer(
            listing_id=listing_id, buyer_id=await self.person(None, "buyer"),
            seller_id=listing.seller_id, made_by="buyer", status="countered",
            quantity_milli=1000, price_minor=1, currency="EUR", expires_at=at,
            created_at=at - timedelta(days=400)))  # long before any month asked
        await self.uow.insert(Offer(
            listing_id=listing_id, buyer_id=first.buyer_id, seller_id=listing.seller_id,
            made_by="seller", status="open", quantity_milli=1000, price_minor=2,
            currency="EUR", expires_at=at, previous_id=first.id, created_at=at))

    async def search(self, text: str, country: str | None, kind: str | None,
                     at: datetime, by: str = "") -> None:
        self.uow.add(SearchLog(account_id=await self.who(by) if by else None, text=text,
                               product_type=kind, country=country, created_at=at))
        await self.uow.session.flush()

    async def save(self, query: dict[str, Any], country: str | None, active: bool,
                   at: datetime, by: str = "") -> None:
        self.uow.add(SavedSearch(account_id=await self.person(country, by), query=query,
                                 mode="instant", active=active, created_at=at))
        await self.uow.session.flush()

    async def award(self, kind: str, country: str | None, currency: str,
                    per_mwh: int | None, at: datetime) -> None:
        request = await self.uow.insert(SupplyRequest(
            buyer_id=await self.person(country), product_type=kind, quantity_milli=1000,
            unit="t", currency=currency, incoterm="EXW", place="Somewhere", deadline=at,
            status="awarded", created_at=at, updated_at=at))
        await self.uow.insert(PriceRecord(
            request_id=request.id, product_type=kind, country=country,
            month=date(at.year, at.month, 1), currency=currency, price_minor=1000, unit="t",
            price_mwh_minor=per_mwh, volume_kwh=0, recorded_at=at))


class TestSqlHistory(HistoryContract):
    @pytest.fixture
    async def markets(self, app):
        async with app.uow() as uow:
            yield SqlMarkets(uow, SqlMarketHistory(uow))
