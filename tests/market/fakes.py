"""The market's history (`core.market.history.MarketHistory`) in memory: the market's figures
are computed on it without a database. It keeps listings, deals, offers, searches, saved
searches and awards as the catalogue and the deals would have left them, and answers the
history's questions by the same filters as the SQL one (`test_history_contract.py` holds the
two alike). Its helpers write history as `tests/market/helpers.py` does in the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.catalog.taxonomy import price_per_mwh_minor
from core.market.history import (
    DONE,
    ON_MARKET,
    SEARCHES_READ,
    AwardRow,
    Dealings,
    DealRow,
    ListingRow,
    LiveListing,
    SavedRow,
)
from core.market.rules import search_words

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
PELLETS_MWH = "4.8"  # a tonne of wood pellets, as the taxonomy states it


@dataclass(frozen=True)
class Listed:
    product_type: str
    country: str | None
    row: ListingRow
    published: bool = True  # a draft's row has no publication, whatever its status
    seller_id: int = 0
    title: str = "A listing"
    place: tuple[str, float, float] = ("Somewhere", 56.9, 24.1)  # city, latitude, longitude


@dataclass(frozen=True)
class Searched:
    text: str
    product_type: str | None
    country: str | None
    created_at: datetime
    account_id: int | None = None


@dataclass
class MemoryMarket:
    """The market's rows in lists, the clock standing still at `at`."""

    at: datetime = START
    listings: dict[int, Listed] = field(default_factory=dict)
    deals: list[tuple[int, str, DealRow]] = field(default_factory=list)  # listing, status, row
    offers: list[tuple[int, datetime, bool]] = field(default_factory=list)  # listing, at, first
    searched: list[Searched] = field(default_factory=list)
    saved: list[tuple[str | None, SavedRow]] = field(default_factory=list)  # saver's country
    records: list[tuple[str, str | None, AwardRow]] = field(default_factory=list)
    buyers: list[tuple[int, int]] = field(default_factory=list)  # buyer, listing: each deal
    savers: list[int | None] = field(default_factory=list)  # who saved each of `saved`

    # What the history is asked.

    def now(self) -> datetime:
        return self.at

    async def completed_deals(self, product_type: str, country: str | None, since: datetime
                              ) -> list[DealRow]:
        return [row for listing, status, row in self.deals
                if status in DONE and self._of(listing, product_type, country)
                and row.updated_at >= since]

    async def listed(self, product_type: str, country: str | None) -> list[ListingRow]:
        return [found.row for listing, found in self.listings.items()
                if found.published and found.row.status in ON_MARKET
                and self._of(listing, product_type, country)]

    async def awards(self, product_type: str, country: str | None, since: datetime
                     ) -> list[AwardRow]:
        return [row for kind, where, row in self.records if kind == product_type
                and _in(where, country) and row.recorded_at >= since]

    async def searches(self, product_type: str, country: str | None, since: datetime
                       ) -> list[datetime]:
        words = search_words(product_type)
        return [s.created_at for s in self.searched
                if s.created_at >= since and _in(s.country, country) and (
                    s.product_type == product_type or (s.product_type is None
                    and any(w in s.text.lower() for w in words)))]

    async def saved_searches(self, country: str | None) -> list[SavedRow]:
        return [row for where, row in self.saved if _in(where, country)]

    async def first_offers(self, product_type: str, country: str | None, since: datetime
                           ) -> list[datetime]:
        return [at for listing, at, first in self.offers
                if first and at >= since and self._of(listing, product_type, country)]

    async def regions(self, product_type: str, limit: int) -> list[str]:
        found = Counter(f.country for f in self.listings.values() if f.country is not None
                        and f.product_type == product_type and f.row.status in ON_MARKET)
        return [c for c, __ in sorted(found.items(), key=lambda x: (-x[1], x[0]))][:limit]

    async def dealings(self, account_id: int) -> Dealings:
        sold = Counter(f.product_type for f in self.listings.values()
                       if f.seller_id == account_id and f.row.status != "draft")
        bought = Counter(self.listings[listing].product_type for buyer, listing in self.buyers
                         if buyer == account_id)
        searched = [(s.product_type, s.text) for s in reversed(self.searched)
                    if s.account_id == account_id][:SEARCHES_READ]
        saved = [(row.query.get("product_type"), row.query.get("text", ""))
                 for (__, row), who in zip(self.saved, self.savers, strict=True)
                 if who == account_id]
        return Dealings(_most(sold), _most(bought), searched + saved)

    async def live(self, product_type: str) -> list[LiveListing]:
        return [LiveListing(listing, f.seller_id, f.title, f.place[0], f.country,
                            f.row.currency, f.place[1], f.place[2], f.row.price_mwh_minor)
                for listing, f in sorted(self.listings.items())
                if f.row.status == "published" and f.product_type == product_type
                and f.row.price_mwh_minor is not None
                and (f.row.expires_at is None or f.row.expires_at > self.at)]

    async def top_queries(self, country: str | None, since: datetime, limit: int
                          ) -> list[tuple[str, int]]:
        return _top([s.text.lower() for s in self._searched(country, since) if s.text], limit)

    async def top_products(self, country: str | None, since: datetime, limit: int
                           ) -> list[tuple[str, int]]:
        return _top([s.product_type for s in self._searched(country, since)
                     if s.product_type is not None], limit)

    async def asking(self, product_type: str) -> list[tuple[str, int]]:
        return [(f.row.currency, f.row.price_mwh_minor) for f in self.listings.values()
                if f.row.status == "published" and f.product_type == product_type
                and f.row.price_mwh_minor is not None]

    def _searched(self, country: str | None, since: datetime) -> list[Searched]:
        return [s for s in self.searched if s.created_at >= since and _in(s.country, country)]

    def _of(self, listing_id: int, product_type: str, country: str | None) -> bool:
        found = self.listings[listing_id]
        return found.product_type == product_type and _in(found.country, country)

    # How the tests write history.

    def publish(self, price: str = "230", *, country: str | None = "LV",
                product_type: str = "pellets", energy: str = PELLETS_MWH, tonnes: int = 500,
                currency: str = "EUR", status: str = "published", at: datetime | None = None,
                expires_at: datetime | None = datetime(2027, 1, 20, tzinfo=UTC),
                published: bool = True, seller_id: int = 0, title: str = "A listing",
                place: tuple[str, float, float] = ("Somewhere", 56.9, 24.1)) -> int:
        """A listing at `price` a unit (major units), on the market from `at` (now), or never
        published (`published=False`); `place`: its city, latitude and longitude."""
        since = at or self.at
        listing_id = len(self.listings) + 1
        per_mwh = price_per_mwh_minor(int(Decimal(price) * 100), Decimal(energy))
        self.listings[listing_id] = Listed(product_type, country, ListingRow(
            currency=currency, price_mwh_minor=per_mwh, quantity_milli=tonnes * 1000,
            status=status, energy_mwh_per_unit=energy, published_at=since,
            expires_at=expires_at, updated_at=since), published, seller_id, title, place)
        return listing_id

    def deal(self, listing_id: int, per_mwh: str, tonnes: int, at: datetime, *,
             status: str = "completed", currency: str = "EUR", buyer_id: int = 0) -> None:
        """A deal on the listing at `per_mwh` (major units) for `tonnes`, last moved at `at`,
        opened by a first offer two days before."""
        self.buyers.append((buyer_id, listing_id))
        energy = self.listings[listing_id].row.energy_mwh_per_unit
        price = int(Decimal(per_mwh) * 100 * Decimal(energy or "0"))
        self.offers.append((listing_id, at - timedelta(days=2), True))
        self.deals.append((listing_id, status, DealRow(currency, price, tonnes * 1000, at,
                                                       energy)))

    def monthly(self, listing_id: int, prices: list[str | None], buyer_id: int = 0) -> None:
        """One deal of 10 t in each past month (the last entry is the current month)."""
        for back, price in enumerate(reversed(prices)):
            if price is not None:
                year, month = self.at.year, self.at.month - back
                while month < 1:
                    year, month = year - 1, month + 12
                self.deal(listing_id, price, 10, datetime(year, month, 10, 12, tzinfo=UTC),
                          buyer_id=buyer_id)

    def counter(self, listing_id: int, at: datetime) -> None:
        """An offer answering an earlier one on the listing (it opens no negotiation); the one
        it answers was made long before any month asked."""
        self.offers.append((listing_id, at - timedelta(days=400), True))
        self.offers.append((listing_id, at, False))

    def search(self, text: str, country: str | None, product_type: str | None = None,
               at: datetime | None = None, account_id: int | None = None) -> None:
        self.searched.append(Searched(text, product_type, country, at or self.at, account_id))

    def save(self, query: dict[str, Any], country: str | None, active: bool = True,
             at: datetime | None = None, account_id: int | None = None) -> None:
        """A saved search of someone living in `country`."""
        self.saved.append((country, SavedRow(query, at or self.at, active)))
        self.savers.append(account_id)

    def award(self, product_type: str, country: str | None, currency: str,
              per_mwh: int | None, at: datetime) -> None:
        self.records.append((product_type, country, AwardRow(currency, per_mwh, at)))


def _in(where: str | None, country: str | None) -> bool:
    """In the region: `country` None is every region."""
    return country is None or where == country


def _most(counted: Counter[str]) -> list[str]:
    """The keys, the most counted first, ties by key."""
    return [key for key, __ in _top(list(counted.elements()), len(counted))]


def _top(values: list[str], limit: int) -> list[tuple[str, int]]:
    """The values said most, with how often, ties by value."""
    return sorted(Counter(values).items(), key=lambda x: (-x[1], x[0]))[:limit]
