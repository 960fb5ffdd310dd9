"""The catalogue's search service: the in-process index, kept in step with the database (what
it reads of the listings is the stock's: `core.catalog.stock.Stock`, so it runs on the tests'
in-memory stock too)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.accounts.events import AccountSuspended
from core.catalog.documents import doc_of
from core.catalog.events import ListingChanged, ListingPublished
from core.catalog.query import SearchQuery
from core.catalog.search_index import SearchIndex
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Certified, Stock
from core.catalog.tables import Listing, SearchLog
from core.events import Event
from core.storage.uow import UnitOfWork

PER_PAGE = 5
SYNC_OVERLAP = timedelta(minutes=2)
# A search first asks the database whether listings changed since the index last looked, at
# most this often: another process on the same database (a second `agora chat` on one SQLite
# file, which has no change feed) publishes, and the next search here finds it.
LOOK_SECONDS = 1.0


@dataclass(frozen=True)
class Hit:
    listing_id: int
    score: float
    km: float | None


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    total: int
    page: int  # 0-based
    pages: int


class Catalog:
    """Search over published listings; rebuilt at start, updated after every commit."""

    def __init__(self, look_seconds: float = LOOK_SECONDS) -> None:
        self.index = SearchIndex()
        self.loaded = False
        self.synced_at: datetime | None = None
        self.look_seconds = look_seconds
        self._looked = -math.inf  # time.monotonic() of the last look before a search
        self._applied: dict[int, datetime] = {}  # the last look's rows: id → updated_at

    async def load(self, uow: UnitOfWork | Stock) -> int:
        """Rebuild the index from every published listing."""
        stock, fresh = stock_of(uow), SearchIndex()
        found = await stock.searchable()
        held = await _held(stock, found)
        for listing, rating in found:
            fresh.add(doc_of(listing, rating, held.get(listing.seller_id, ())))
        self.index, self.loaded, self.synced_at = fresh, True, stock.now()
        self._applied, self._looked = {}, time.monotonic()
        return len(fresh)

    async def ensure_loaded(self, uow: UnitOfWork | Stock) -> None:
        if not self.loaded:
            await self.load(uow)

    async def refresh(self, uow: UnitOfWork | Stock, listing_ids: set[int]) -> None:
        """Re-read these listings: published ones are (re)indexed, the rest dropped."""
        if not self.loaded or not listing_ids:
            return
        stock = stock_of(uow)
        found = await stock.searchable(sorted(listing_ids))
        held = await _held(stock, found)
        for listing, rating in found:
            self.index.add(doc_of(listing, rating, held.get(listing.seller_id, ())))
        for gone in listing_ids - {listing.id for listing, _rating in found}:
            self.index.remove(gone)

    async def on_events(self, uow: UnitOfWork | Stock, events: list[Event]) -> None:
        """After-commit handler: bring the index up to date with the committed changes."""
        ids = {e.listing_id for e in events if isinstance(e, ListingPublished | ListingChanged)}
        sellers = {e.account_id for e in events if isinstance(e, AccountSuspended)}
        await self.refresh_changed(uow, ids, sellers)

    async def refresh_changed(self, uow: UnitOfWork | Stock, listing_ids: set[int],
                              seller_ids: set[int]) -> None:
        """Re-read these listings and every listing of these sellers (a suspended seller's
        listings leave search; a restored one's return)."""
        ids = set(listing_ids)
        if seller_ids:
            ids |= set(await stock_of(uow).listing_ids_of(seller_ids))
        await self.refresh(uow, ids)

    async def sync(self, uow: UnitOfWork | Stock) -> None:
        """Pick up changes other workers committed since the last sync (a periodic job, and a
        look before a search): only rows changed since they were last read are read again."""
        if not self.loaded or self.synced_at is None:
            return
        stock = stock_of(uow)
        # Overlap the window: a transaction stamped before the last sync may commit after it.
        since, self.synced_at = self.synced_at - SYNC_OVERLAP, stock.now()
        rows = await stock.changed_since(since)
        changed = {i for i, at in rows.items() if self._applied.get(i) != at}
        self._applied = rows
        await self.refresh(uow, changed)

    async def look(self, uow: UnitOfWork | Stock) -> None:
        """Before a search: pick up what other processes changed, if not looked lately."""
        now = time.monotonic()
        if self.loaded and now - self._looked >= self.look_seconds:
            self._looked = now
            await self.sync(uow)

    async def search(self, uow: UnitOfWork | Stock, query: SearchQuery, page: int = 0,
                     per_page: int = PER_PAGE) -> ResultPage:
        """One page of results, in the query's sort order."""
        await self.ensure_loaded(uow)
        await self.look(uow)
        found = self.index.search(query)
        pages = max(1, math.ceil(len(found) / per_page))
        page = min(max(page, 0), pages - 1)
        chunk = found[page * per_page:(page + 1) * per_page]
        return ResultPage([Hit(i, s, km) for i, s, km in chunk], len(found), page, pages)

    async def top_listings(self, uow: UnitOfWork | Stock, query: SearchQuery, limit: int = 10
                           ) -> list[tuple[Listing, Hit]]:
        """The best matches with their rows (for inline search and other one-shot lists)."""
        found = await self.search(uow, query, 0, per_page=limit)
        rows = {r.id: r for r in await stock_of(uow).some([h.listing_id for h in found.hits])}
        return [(rows[h.listing_id], h) for h in found.hits if h.listing_id in rows]


async def _held(stock: Stock, found: list[tuple[Listing, float]]
                ) -> dict[int, tuple[Certified, ...]]:
    """The profile certificates of the sellers of listings that claim a certification, read
    today: which claims search counts (`core.catalog.documents.counted_claims`)."""
    sellers = sorted({listing.seller_id for listing, _rating in found if listing.certifications})
    return {seller_id: await stock.certified(seller_id) for seller_id in sellers}


async def log_search(uow: UnitOfWork | Stock, account_id: int | None, query: SearchQuery,
                     country: str | None) -> None:
    """Remember what was searched, for the sellers' market view."""
    stock = stock_of(uow)
    await stock.log_search(SearchLog(account_id=account_id, text=query.text[:200],
                                     product_type=query.product_type, country=country,
                                     created_at=stock.now()))
