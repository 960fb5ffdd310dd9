"""Every guarded action refuses someone who is not a party, in the service itself. On the
in-memory stock (no database): the chat's and the web's refusals stay on the database
(`test_listing_conversation.py`, `tests/site/`, `tests/console/`)."""

from __future__ import annotations

import pytest

from core.catalog import alerts, lifecycle, listings, views, watchlist
from core.catalog.query import SearchQuery
from core.errors import NotAllowed, NotFound
from core.money.model import Money
from tests.catalog.fakes import BOB, EVE, ROOT, SAM, MemoryStock, published, stocked, values


@pytest.fixture
def stock() -> MemoryStock:
    return stocked()


async def _draft(stock: MemoryStock, seller_id: int) -> int:
    return (await listings.create_draft(stock, seller_id, values())).id


async def test_a_draft_or_paused_listing_is_seen_by_its_seller_only(stock):
    draft_id = await _draft(stock, SAM)
    live_id = await published(stock, SAM)
    await lifecycle.act(stock, live_id, SAM, "pause")
    for listing_id in (draft_id, live_id):
        assert (await views.viewable(stock, listing_id, SAM)).id == listing_id
        with pytest.raises(NotFound):
            await views.viewable(stock, listing_id, EVE)
        with pytest.raises(NotFound):
            await watchlist.toggle(stock, EVE, listing_id)
    assert await views.by_ids(stock, [draft_id, live_id], EVE) == {}


@pytest.mark.parametrize("action", ["pause", "sold", "renew", "close"])
async def test_only_the_seller_changes_a_listings_status(stock, action):
    listing_id = await published(stock, SAM)
    with pytest.raises(NotAllowed):
        await lifecycle.act(stock, listing_id, EVE, action)
    with pytest.raises(NotAllowed):
        await listings.edit(stock, listing_id, EVE, {"price": "1"})


async def test_only_an_admin_sees_the_queue_and_approves_or_rejects(stock):
    draft_id = await _draft(stock, SAM)
    stock.listings[draft_id].status = "pending_review"
    for call in (lambda: lifecycle.pending(stock, SAM),
                 lambda: lifecycle.for_review(stock, draft_id, SAM),
                 lambda: lifecycle.approve(stock, draft_id, SAM),
                 lambda: lifecycle.reject(stock, draft_id, "no", SAM),
                 lambda: lifecycle.approve(stock, draft_id, None)):
        with pytest.raises(NotAllowed):
            await call()
    assert [w.id for w in await lifecycle.pending(stock, ROOT)] == [draft_id]
    assert (await lifecycle.approve(stock, draft_id, ROOT)).status == "published"


async def test_a_saved_search_is_its_owners_alone(stock):
    saved = await alerts.save_search(stock, BOB, SearchQuery(text="pellets"), "instant")
    for call in (lambda: alerts.own_search(stock, EVE, saved.id),
                 lambda: alerts.set_mode(stock, EVE, saved.id, "digest"),
                 lambda: alerts.unsubscribe(stock, EVE, saved.id)):
        with pytest.raises(NotFound):
            await call()
    assert (await alerts.set_mode(stock, BOB, saved.id, "digest")).mode == "digest"


async def test_lab_values_out_of_range_are_refused_by_core_too(stock):
    with pytest.raises(Exception, match="Moisture must be between 0 and 70"):
        await listings.create_draft(stock, SAM, values(moisture="95"))
    with pytest.raises(Exception, match="NCV must be between 1 and 50"):
        await listings.create_draft(stock, SAM, values(ncv="NaN"))
    assert stock.listings == {}


async def test_unwatching_is_seen_at_once_and_a_new_currency_keeps_the_price_value(stock):
    listing_id = await published(stock, SAM)
    assert await watchlist.toggle(stock, BOB, listing_id) is True
    assert await watchlist.toggle(stock, BOB, listing_id) is False
    assert await watchlist.is_watching(stock, BOB, listing_id) is False
    edited = await listings.edit(stock, listing_id, SAM, {"currency": "JPY"})
    assert edited.price == Money(230, "JPY")  # 230, not 23,000 yen
