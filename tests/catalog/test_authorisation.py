"""Every guarded action refuses someone who is not a party, in the service itself."""

from __future__ import annotations

import pytest

from core.catalog import alerts, lifecycle, listings, views, watchlist
from core.catalog.query import SearchQuery
from core.errors import NotAllowed, NotFound
from core.money.model import Money
from tests.catalog.helpers import make_account, publish, values


async def _draft(app, seller) -> int:
    async with app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values())
        await uow.commit()
        return draft.id


async def test_a_draft_or_paused_listing_is_seen_by_its_seller_only(app):
    sam, eve = await make_account(app, "sam"), await make_account(app, "eve")
    draft_id = await _draft(app, sam)
    live_id = await publish(app, sam)
    async with app.uow() as uow:
        await lifecycle.act(uow, live_id, sam.id, "pause")
        await uow.commit()
    async with app.uow() as uow:
        for listing_id in (draft_id, live_id):
            assert (await views.viewable(uow, listing_id, sam.id)).id == listing_id
            with pytest.raises(NotFound):
                await views.viewable(uow, listing_id, eve.id)
            with pytest.raises(NotFound):
                await watchlist.toggle(uow, eve.id, listing_id)
        assert await views.by_ids(uow, [draft_id, live_id], eve.id) == {}


@pytest.mark.parametrize("action", ["pause", "sold", "renew", "close"])
async def test_only_the_seller_changes_a_listings_status(app, action):
    sam, eve = await make_account(app, "sam"), await make_account(app, "eve")
    listing_id = await publish(app, sam)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await lifecycle.act(uow, listing_id, eve.id, action)
        with pytest.raises(NotAllowed):
            await listings.edit(uow, listing_id, eve.id, {"price": "1"})


async def test_only_an_admin_sees_the_queue_and_approves_or_rejects(app):
    sam = await make_account(app, "sam")
    root = await make_account(app, "root")  # terminal:root is an admin in the test settings
    draft_id = await _draft(app, sam)
    async with app.uow() as uow:
        (await uow.session.get(views.Listing, draft_id)).status = "pending_review"
        await uow.commit()
    async with app.uow() as uow:
        for call in (lambda: lifecycle.pending(uow, sam.id),
                     lambda: lifecycle.for_review(uow, draft_id, sam.id),
                     lambda: lifecycle.approve(uow, draft_id, sam.id),
                     lambda: lifecycle.reject(uow, draft_id, "no", sam.id),
                     lambda: lifecycle.approve(uow, draft_id, None)):
            with pytest.raises(NotAllowed):
                await call()
        assert [w.id for w in await lifecycle.pending(uow, root.id)] == [draft_id]
        assert (await lifecycle.approve(uow, draft_id, root.id)).status == "published"


async def test_a_saved_search_is_its_owners_alone(app):
    bob, eve = await make_account(app, "bob"), await make_account(app, "eve")
    async with app.uow() as uow:
        saved = await alerts.save_search(uow, bob.id, SearchQuery(text="pellets"), "instant")
        await uow.commit()
    async with app.uow() as uow:
        for call in (lambda: alerts.own_search(uow, eve.id, saved.id),
                     lambda: alerts.set_mode(uow, eve.id, saved.id, "digest"),
                     lambda: alerts.unsubscribe(uow, eve.id, saved.id)):
            with pytest.raises(NotFound):
                await call()
        assert (await alerts.set_mode(uow, bob.id, saved.id, "digest")).mode == "digest"


async def test_lab_values_out_of_range_are_refused_by_core_too(app):
    sam = await make_account(app, "sam")
    async with app.uow() as uow:
        with pytest.raises(Exception, match="Moisture must be between 0 and 70"):
            await listings.create_draft(uow, sam.id, values(moisture="95"))
        with pytest.raises(Exception, match="NCV must be between 1 and 50"):
            await listings.create_draft(uow, sam.id, values(ncv="NaN"))


async def test_unwatching_is_seen_at_once_and_a_new_currency_keeps_the_price_value(app):
    sam, bob = await make_account(app, "sam"), await make_account(app, "bob")
    listing_id = await publish(app, sam)
    async with app.uow() as uow:
        assert await watchlist.toggle(uow, bob.id, listing_id) is True
        assert await watchlist.toggle(uow, bob.id, listing_id) is False
        assert await watchlist.is_watching(uow, bob.id, listing_id) is False
        edited = await listings.edit(uow, listing_id, sam.id, {"currency": "JPY"})
        assert edited.price == Money(230, "JPY")  # 230, not 23,000 yen
