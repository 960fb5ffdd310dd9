"""The catalogue's stock behaves alike in memory and in the database: one set of tests
(`StockContract`) runs against the tests' `MemoryStock` (no database) and the `SqlStock` (on
SQLite and PostgreSQL), so the listings' use cases tested on the fake hold on the real one —
the guarded change that refuses a listing whose status moved meanwhile (an edit of a listing
closed or sold meanwhile, `listings._still_editable`) among them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.events import ListingMatchedInstantSearch
from core.catalog.listings import sketch
from core.catalog.rules import EDITABLE_STATUSES
from core.catalog.sql_stock import SqlStock
from core.catalog.stock import SellerInfo, Stock
from core.catalog.tables import Listing, ListingMedia, SavedSearch, SearchLog, SellerStats
from tests.catalog.fakes import MemoryStock, stocked, values
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both stocks' clocks stand here


async def put(stock: Stock, seller_id: int, status: str = "draft", **overrides: Any) -> Listing:
    listing = sketch(seller_id, values(**overrides), NOW)
    listing.status = status
    await stock.put(listing)
    return listing


async def search(stock: Stock, account_id: int, text: str = "pellets", *, mode: str = "instant",
                 active: bool = True) -> SavedSearch:
    saved = SavedSearch(account_id=account_id, query={"text": text}, mode=mode, active=active,
                        created_at=NOW)
    await stock.put_search(saved)
    return saved


class StockContract:
    """What every stock does; a subclass gives `catalogue`: a stock, and how people, documents
    and ratings come to be."""

    async def test_a_listing_put_is_got_back_and_a_sellers_newest_comes_first(self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        first = await put(stock, sam, title="First lot")
        second = await put(stock, sam, "closed", title="Second lot")
        third = await put(stock, sam, "published", title="Third lot")
        assert first.id < second.id < third.id
        assert (await stock.listing(first.id)).title == "First lot"
        assert await stock.listing(third.id + 1000) is None
        assert (await stock.last_of(sam)).id == third.id
        assert await stock.last_of(bob) is None
        assert [row.id for row in await stock.of_seller(sam)] == [third.id, first.id]
        assert sorted(row.id for row in await stock.some([first.id, third.id, 4242])) == [
            first.id, third.id]

    async def test_a_guarded_change_lands_only_on_a_listing_still_in_one_of_its_statuses(
            self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        listing = await put(stock, sam, "published")
        later = NOW + timedelta(minutes=5)
        assert await stock.change(listing.id, ("published",), status="sold_out", updated_at=later)
        assert not await stock.change(listing.id, EDITABLE_STATUSES, updated_at=NOW)  # sold
        assert not await stock.change(listing.id, ("published", "paused"), status="paused")
        assert not await stock.change(listing.id + 1000, ("published",), status="paused")
        fresh = await stock.listing(listing.id, fresh=True)
        assert (fresh.status, fresh.updated_at) == ("sold_out", later)

    async def test_the_review_queue_holds_the_longest_waiting_first(self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        late = await put(stock, sam, "pending_review")
        early = await put(stock, sam, "pending_review")
        await put(stock, sam, "published")
        await stock.change(late.id, ("pending_review",), updated_at=NOW + timedelta(hours=1))
        assert [row.id for row in await stock.in_review()] == [early.id, late.id]

    async def test_only_a_document_counts_as_one(self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        listing = await put(stock, sam)
        assert not await stock.has_document(listing.id)
        await catalogue.add_file(listing.id, "photo")
        assert not await stock.has_document(listing.id)
        await catalogue.add_file(listing.id, "document")
        assert await stock.has_document(listing.id)

    async def test_a_listings_files_come_in_the_order_added(self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        listing, other = await put(stock, sam), await put(stock, sam)
        for name, kind, on in (("a.pdf", "document", listing), ("b.jpg", "photo", other),
                               ("c.jpg", "photo", listing)):
            added = ListingMedia(listing_id=on.id, kind=kind, file_name=name, mime_type="x/y",
                                 size=1, sha256="0" * 64, path=name, created_at=NOW)
            await stock.add_file(added)
            assert added.id is not None
        assert [(f.file_name, f.kind) for f in await stock.files(listing.id)] == [
            ("a.pdf", "document"), ("c.jpg", "photo")]
        assert await stock.has_document(listing.id) and not await stock.has_document(other.id)

    async def test_a_seller_is_shown_by_name_with_their_rating(self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        await catalogue.rate(sam, 47)
        assert await stock.seller(sam) == SellerInfo("Sam", "", 47, 1)
        bob = await catalogue.person("Bob")
        assert await stock.seller(bob) == SellerInfo("Bob", "", 0, 0)
        assert (await stock.seller(bob + 1000)).name == "?"

    async def test_search_reads_the_published_listings_of_sellers_not_suspended_rated(
            self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        await catalogue.rate(sam, 47)
        live, paused = await put(stock, sam, "published"), await put(stock, sam, "paused")
        hidden = await put(stock, bob, "published")
        assert await stock.searchable([hidden.id]) == [(hidden, 0.0)]
        await catalogue.suspend(bob)
        assert await stock.searchable() == [(live, 4.7)]
        assert await stock.searchable([paused.id, hidden.id]) == []
        assert sorted(await stock.listing_ids_of([sam, bob])) == [live.id, paused.id, hidden.id]
        assert await stock.listing_ids_of([bob]) == [hidden.id]

    async def test_the_listings_changed_from_a_moment_on(self, catalogue):
        stock, sam = catalogue.stock, await catalogue.person("Sam")
        old, new = await put(stock, sam, "published"), await put(stock, sam, "published")
        later = NOW + timedelta(minutes=1)
        await stock.change(new.id, ("published",), updated_at=later)
        assert await stock.changed_since(NOW + timedelta(seconds=30)) == {new.id: later}
        assert await stock.changed_since(NOW) == {old.id: NOW, new.id: later}

    async def test_a_search_is_logged(self, catalogue):
        stock, bob = catalogue.stock, await catalogue.person("Bob")
        for text, country in (("pellets riga", "LV"), ("chips", None)):
            await stock.log_search(SearchLog(account_id=bob, text=text, product_type=None,
                                             country=country, created_at=NOW))
        assert await catalogue.searches_logged() == [("pellets riga", "LV"), ("chips", None)]

    async def test_a_watchlist_shows_the_latest_saved_first_and_no_closed_listing(self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        older, newer, gone = [await put(stock, sam, "published") for _ in range(3)]
        for listing in (older, newer, gone):
            await stock.watch(bob, listing.id)
            catalogue.tick()
        await stock.change(gone.id, ("published",), status="closed")
        assert [row.id for row in await stock.watched(bob)] == [newer.id, older.id]
        assert await stock.watching(bob, older.id) and not await stock.watching(sam, older.id)
        assert await stock.unwatch(bob, older.id) is True
        assert await stock.unwatch(bob, older.id) is False
        assert not await stock.watching(bob, older.id)

    async def test_saved_searches_are_got_by_owner_and_by_everyone_else(self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        mine = await search(stock, bob)
        await search(stock, bob, "chips", active=False)
        theirs = await search(stock, sam, "briquettes")
        assert (await stock.saved(mine.id)).query == {"text": "pellets"}
        assert await stock.saved(mine.id + 1000) is None
        assert [row.id for row in await stock.searches(bob)] == [mine.id]
        assert [row.id for row in await stock.searches_besides(sam)] == [mine.id]
        assert [row.id for row in await stock.searches_besides(bob)] == [theirs.id]

    async def test_a_search_hears_of_a_listing_once(self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        listing = await put(stock, sam, "published")
        instant, digest = await search(stock, bob), await search(stock, bob, mode="digest")
        assert await stock.hit(instant, listing) is True
        assert await stock.hit(instant, listing) is False
        assert await stock.hit(digest, listing) is True
        # the instant search's alert is asked once (core.catalog.alert_notices), the digest's none
        assert [e for e in catalogue.emitted() if isinstance(e, ListingMatchedInstantSearch)] == [
            ListingMatchedInstantSearch(instant.id, listing.id)]

    async def test_a_sellers_rating_and_who_may_moderate(self, catalogue):
        stock, sam, bob = catalogue.stock, await catalogue.person("Sam"), await catalogue.person("Bob")
        await catalogue.rate(sam, 47)
        assert (await stock.rating(sam), await stock.rating(bob)) == (4.7, 0.0)
        root = await catalogue.admin()
        assert await stock.may(root, "moderate")
        assert not await stock.may(sam, "moderate")
        assert not await stock.may(None, "moderate")
        assert await stock.admins() == [root]  # who hears of a listing awaiting review


@dataclass
class MemoryCatalogue:
    stock: MemoryStock = field(default_factory=stocked)

    async def person(self, name: str) -> int:
        account_id = len(name) * 100 + ord(name[0])  # any distinct number is an account here
        self.stock.sellers[account_id] = SellerInfo(name, "", 0, 0)
        return account_id

    async def admin(self) -> int:
        return next(iter(self.stock.roles))

    async def add_file(self, listing_id: int, kind: str) -> None:
        if kind == "document":
            self.stock.documents.add(listing_id)

    async def rate(self, seller_id: int, rating_x10: int) -> None:
        self.stock.ratings[seller_id] = rating_x10 / 10
        self.stock.sellers[seller_id] = replace(self.stock.sellers[seller_id],
                                                rating_x10=rating_x10, ratings=1)

    async def suspend(self, account_id: int) -> None:
        self.stock.suspended.add(account_id)

    async def searches_logged(self) -> list[tuple[str, str | None]]:
        return [(entry.text, entry.country) for entry in self.stock.searched]

    def tick(self) -> None:
        self.stock.at += timedelta(seconds=1)

    def emitted(self) -> list[Any]:
        return self.stock.events


class TestMemoryStock(StockContract):
    @pytest.fixture
    def catalogue(self):
        return MemoryCatalogue()


@dataclass
class SqlCatalogue:
    """A SqlStock in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    clock: Any
    stock: Stock

    async def person(self, name: str) -> int:
        return await person_in(self.uow, name, roles=("seller", "buyer"))

    async def admin(self) -> int:
        return await self.person("Root")  # terminal:root is an admin in the test settings

    async def add_file(self, listing_id: int, kind: str) -> None:
        self.uow.add(ListingMedia(listing_id=listing_id, kind=kind, file_name="f", mime_type="x/y",
                                  size=1, sha256="0" * 64, path="p", created_at=NOW))
        await self.uow.session.flush()

    async def rate(self, seller_id: int, rating_x10: int) -> None:
        self.uow.add(SellerStats(account_id=seller_id, rating_x10=rating_x10, ratings=1))
        await self.uow.session.flush()

    async def suspend(self, account_id: int) -> None:
        (await self.uow.get(Account, account_id)).suspended_at = NOW
        await self.uow.session.flush()

    async def searches_logged(self) -> list[tuple[str, str | None]]:
        rows = await self.uow.session.execute(
            select(SearchLog.text, SearchLog.country).order_by(SearchLog.id))
        return [tuple(row) for row in rows.all()]

    def tick(self) -> None:
        self.clock.advance(seconds=1)

    def emitted(self) -> list[Any]:
        return self.uow.events


class TestSqlStock(StockContract):
    @pytest.fixture
    async def catalogue(self, app, clock):
        async with app.uow() as uow:
            yield SqlCatalogue(uow, clock, SqlStock(uow))
