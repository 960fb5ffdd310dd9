"""The search index is built at start, follows commits, and picks up other workers' changes:
on the database but the periodic sync's own rule, on the in-memory stock (what it reads of the
database, `Stock.changed_since` and `searchable`, is held to the fake by the stock's contract)."""

from __future__ import annotations

from datetime import timedelta

from bots.catalog_jobs import expire_and_remind, sync_index
from core.catalog import lifecycle
from core.catalog.query import SearchQuery
from core.catalog.search import Catalog
from tests.catalog.fakes import SAM, published, stocked
from tests.catalog.helpers import make_account, open_item, publish
from tests.support.chat import ChatUser


async def total(app, catalog: Catalog, text: str = "pellets") -> int:
    async with app.uow() as uow:
        return (await catalog.search(uow, SearchQuery(text=text))).total


async def test_the_index_is_built_at_start_from_published_listings(app):
    seller = await make_account(app, "sam")
    await publish(app, seller)
    assert not app.catalog.loaded
    await sync_index(app)
    assert app.catalog.loaded and len(app.catalog.index) == 1


async def test_a_publish_in_another_worker_is_picked_up_by_the_periodic_sync():
    stock, other_worker = stocked(), Catalog(look_seconds=3600)  # only the periodic sync looks
    await other_worker.load(stock)
    listing_id = await published(stock, SAM)
    assert (await other_worker.search(stock, SearchQuery(text="pellets"))).total == 0
    stock.at += timedelta(seconds=30)
    await other_worker.sync(stock)
    assert (await other_worker.search(stock, SearchQuery(text="pellets"))).total == 1
    await lifecycle.act(stock, listing_id, SAM, "close")
    stock.at += timedelta(seconds=30)
    await other_worker.sync(stock)
    assert (await other_worker.search(stock, SearchQuery(text="pellets"))).total == 0


async def test_an_edit_from_my_listings_is_searchable_at_once(app):
    seller = await make_account(app, "sam")
    await publish(app, seller)
    await sync_index(app)
    sam = ChatUser(app, "sam")
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    await sam.tap("Edit")
    assert "Preview" in sam.texts()
    await sam.tap("Edit a field")
    await sam.tap("Title")
    await sam.say("Sunflower husk pellets from Riga")
    assert "Saved" in sam.texts()
    assert await total(app, app.catalog, "sunflower husk") == 1


async def test_the_expiry_job_expires_due_listings_and_drops_them_from_search(app, clock):
    seller = await make_account(app, "sam")
    await publish(app, seller, valid_until="2026-11-25")
    await sync_index(app)
    clock.advance(days=6)
    await expire_and_remind(app)
    assert await total(app, app.catalog) == 0
