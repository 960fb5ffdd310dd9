"""The search index is built at start, follows commits, and picks up other workers' changes."""

from __future__ import annotations

from bots.catalog_jobs import expire_and_remind, sync_index
from core.catalog import lifecycle
from core.catalog.query import SearchQuery
from core.catalog.search import Catalog
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


async def test_a_publish_in_another_worker_is_picked_up_by_the_periodic_sync(app, clock):
    seller = await make_account(app, "sam")
    other_worker = Catalog()
    async with app.uow() as uow:
        await other_worker.load(uow)
    listing_id = await publish(app, seller)
    assert await total(app, other_worker) == 0
    clock.advance(seconds=30)
    async with app.uow() as uow:
        await other_worker.sync(uow)
    assert await total(app, other_worker) == 1
    async with app.uow() as uow:
        await lifecycle.act(uow, listing_id, seller.id, "close")
        await uow.commit()
    clock.advance(seconds=30)
    async with app.uow() as uow:
        await other_worker.sync(uow)
    assert await total(app, other_worker) == 0


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
