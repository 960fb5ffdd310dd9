"""What the market's figures read, behind a protocol: the rows of completed deals, of listings
that were on the market, of awarded tenders and auctions (price records), and the stamps of
searches, saved searches and first offers — each already cut to a product and a region.

`core.market.analytics` asks only this (`MarketHistory`), and so do the market flow's other
reads (the regions, a person's interests, the competition, the top searches and asking
prices); its SQL implementation on the unit of work is
`core.market.sql_history.SqlMarketHistory`, the tests' in-memory one is in
`tests/market/fakes.py`, and `tests/market/test_history_contract.py` and
`test_market_view_contract.py` hold the two alike. It only reads: the figures are computed
from these rows by plain functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

DONE = ("completed", "closed")  # deals that were delivered and settled
ON_MARKET = ("published", "paused", "sold_out", "expired", "closed")  # were published once
SEARCHES_READ = 200  # a person's newest searches read for their interests


@dataclass(frozen=True)
class DealRow:
    """A completed deal: its unit price and quantity, and the energy its listing states."""

    currency: str
    price_minor: int  # per unit
    quantity_milli: int
    updated_at: datetime  # when it was completed (its last move)
    energy_mwh_per_unit: str | None  # a Decimal as text


@dataclass(frozen=True)
class ListingRow:
    """A listing that was published once, with what tells when it was on the market."""

    currency: str
    price_mwh_minor: int | None
    quantity_milli: int
    status: str  # one of ON_MARKET
    energy_mwh_per_unit: str | None
    published_at: datetime
    expires_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class AwardRow:
    """A tender's or an auction's awarded price (an anonymised price record)."""

    currency: str
    price_mwh_minor: int | None  # None: the energy is unknown
    recorded_at: datetime


@dataclass(frozen=True)
class SavedRow:
    """A saved search: what it asks for, when it was made, whether it still alerts."""

    query: dict[str, Any]
    created_at: datetime
    active: bool


@dataclass(frozen=True)
class LiveListing:
    """A listing on offer now, priced per MWh: a seller's own is compared with the others near
    it (`core.market.rules.standing` reads it as a `Priced`)."""

    id: int
    seller_id: int
    title: str
    city: str
    country: str | None
    currency: str
    latitude: float
    longitude: float
    price_mwh_minor: int | None


@dataclass(frozen=True)
class Dealings:
    """What a person's own records name: the products of their listings (drafts aside) and of
    the listings they bought from, each the most first; their searches' product filters and
    words, the newest first, then their saved searches'."""

    sold: list[str]
    bought: list[str]
    searched: list[tuple[str | None, str]]


class MarketHistory(Protocol):
    """The rows the market's figures are computed from. `country` None is every region; a
    region is the listing's country (a deal's, an offer's), the searcher's at the time of a
    search, the saver's account's for a saved search and the record's for an award."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def completed_deals(self, product_type: str, country: str | None, since: datetime
                              ) -> list[DealRow]:
        """Deals DONE, last moved at `since` or later, on the product's listings."""
        ...

    async def listed(self, product_type: str, country: str | None) -> list[ListingRow]:
        """The product's listings that were published once and are (or were) ON_MARKET."""
        ...

    async def awards(self, product_type: str, country: str | None, since: datetime
                     ) -> list[AwardRow]:
        """The product's price records made at `since` or later."""
        ...

    async def searches(self, product_type: str, country: str | None, since: datetime
                       ) -> list[datetime]:
        """When searches for the product were run, at `since` or later: those filtered to it,
        and those without a product filter whose text holds one of its words
        (`core.market.rules.search_words`, in any case)."""
        ...

    async def saved_searches(self, country: str | None) -> list[SavedRow]:
        """Every saved search of the people of the region (the product is picked by the
        caller: a saved search's query is read in Python)."""
        ...

    async def first_offers(self, product_type: str, country: str | None, since: datetime
                           ) -> list[datetime]:
        """When negotiations on the product's listings opened (first offers), at `since` or
        later."""
        ...

    async def regions(self, product_type: str, limit: int) -> list[str]:
        """The countries with the most of the product's listings ON_MARKET, ties by code."""
        ...

    async def dealings(self, account_id: int) -> Dealings:
        """What this person sold, bought and searched for (SEARCHES_READ searches at most)."""
        ...

    async def live(self, product_type: str) -> list[LiveListing]:
        """The product's published listings priced per MWh, not expired at `now()`."""
        ...

    async def top_queries(self, country: str | None, since: datetime, limit: int
                          ) -> list[tuple[str, int]]:
        """The texts searched most (in lower case, none empty) at `since` or later, with how
        often, ties by text."""
        ...

    async def top_products(self, country: str | None, since: datetime, limit: int
                           ) -> list[tuple[str, int]]:
        """The product filters searched most at `since` or later, with how often, ties by
        product."""
        ...

    async def asking(self, product_type: str) -> list[tuple[str, int]]:
        """(currency, price per MWh) of each of the product's published priced listings."""
        ...
