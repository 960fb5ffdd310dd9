"""Moderation (approve / reject with a reason), My listings actions, expiry and its reminder:
in chat on the database where search or timers follow, and for one journey of moderation's
notices; a rejection, the queue's door and My listings' actions in chat with the catalogue
and its notices in memory; the use cases' rules on the in-memory
stock (`test_lifecycle.py`), the guarded change on both (`test_stock_contract.py`)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from conversations.messages import Choice
from core.catalog import lifecycle
from core.catalog import wiring as catalog_wiring
from core.catalog.query import SearchQuery
from core.catalog.search import Catalog
from core.catalog.tables import Listing
from core.errors import Conflict
from core.notifications.tables import OutboxMessage
from tests.catalog.fakes import SAM, published, stocked
from tests.catalog.helpers import list_pellets, make_account, open_item, publish
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts


@pytest.fixture
def moderated(app):
    app.policy = dataclasses.replace(app.policy, listing_moderation=True)
    return app


async def submit_through_chat(app) -> ChatUser:
    await make_account(app, "sam")
    sam = ChatUser(app, "sam")
    await list_pellets(sam)
    return sam


async def status_of(app, listing_id: int = 1) -> str:
    async with app.uow() as uow:
        return (await uow.session.get(Listing, listing_id)).status


async def seller_texts(app, listing_id: int = 1) -> list[str]:
    async with app.uow() as uow:
        seller_id = (await uow.session.get(Listing, listing_id)).seller_id
    return await texts_for(app, seller_id)


async def texts_for(app, account_id: int) -> list[str]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id, OutboxMessage.channel != "email"))).scalars()
        return [r.payload["text"] for r in rows]


async def test_with_moderation_on_a_listing_waits_and_an_admin_approves_it(moderated):
    app = moderated
    root = await make_account(app, "root", roles=("buyer",))
    sam = await submit_through_chat(app)
    assert "Sent for review" in sam.texts()
    assert await status_of(app) == "pending_review"
    assert any("waits for review" in t for t in await texts_for(app, root.id))
    admin = ChatUser(app, "root")
    await admin.say("/moderation")
    await open_item(admin, "ENplus")
    await admin.tap("Approve")
    assert "Approved" in admin.texts()
    assert await status_of(app) == "published"
    assert any("approved and published" in t for t in await seller_texts(app))


async def test_an_admin_rejects_with_a_reason_the_seller_sees():
    chat, stock = market(listing_moderation=True, wiring=[catalog_wiring.wire])
    member(chat, stock, "root", roles=("buyer",), admin=True)
    await list_pellets(member(chat, stock, "sam"))
    admin = ChatUser(chat, "root")
    await admin.say("/moderation")
    await open_item(admin, "ENplus")
    await admin.tap("Reject")
    await admin.say("The ENplus certificate number is missing")
    assert "Rejected" in admin.texts()
    assert stock.listings[1].status == "draft"
    assert any("certificate number is missing" in t
               for t in await told_texts(chat, account_of(chat, "sam")))


async def test_the_queue_is_only_for_admins():
    bob = member(*market(listing_moderation=True), "bob", roles=("buyer",))
    await bob.say("/moderation")
    assert "for administrators" in bob.texts()


async def test_my_listings_pause_resume_mark_sold_renew_and_delete():
    chat, stock = market()
    sam = member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    for action, status in (("Pause", "paused"), ("Resume", "published"), ("Mark sold", "sold_out"),
                           ("Renew", "published")):
        await sam.tap(action)
        assert stock.listings[listing_id].status == status
    await sam.tap("Delete")
    assert stock.listings[listing_id].status == "closed"
    assert "no listings yet" in sam.texts()


async def test_a_listing_search_stops_showing_once_paused():
    """The index hears of the pause as it does after a commit on the database (the bus hands
    it the events: that wiring is `test_index_upkeep.py`'s, on the database)."""
    stock, catalog = stocked(), Catalog(look_seconds=3600)  # only the events move the index
    listing_id = await published(stock, SAM)
    await catalog.load(stock)
    assert (await catalog.search(stock, SearchQuery(text="pellets"))).total == 1
    stock.events.clear()
    await lifecycle.act(stock, listing_id, SAM, "pause")
    await catalog.on_events(stock, stock.events)
    assert (await catalog.search(stock, SearchQuery(text="pellets"))).total == 0


async def test_an_action_on_a_listing_that_moved_meanwhile_is_refused():
    stock = stocked()
    listing_id = await published(stock, SAM)
    await lifecycle.act(stock, listing_id, SAM, "sold")
    with pytest.raises(Conflict):
        await lifecycle._move(stock, listing_id, ("published",), "paused")
    with pytest.raises(Conflict):
        await lifecycle.act(stock, listing_id, SAM, "pause")
    assert stock.listings[listing_id].status == "sold_out"


async def test_sellers_are_reminded_before_expiry_then_the_listing_expires_and_can_be_renewed(
        app, clock):
    seller = await make_account(app, "sam")
    listing_id = await publish(app, seller, valid_until="2026-12-10")
    clock.advance(days=18)
    async with app.uow() as uow:
        assert await lifecycle.remind_due(uow) == [listing_id]
        assert await lifecycle.remind_due(uow) == []
        await uow.commit()
    clock.advance(days=3)
    async with app.uow() as uow:
        assert await lifecycle.expire_due(uow) == [listing_id]
        await uow.commit()
    assert await status_of(app, listing_id) == "expired"
    texts = await texts_for(app, seller.id)
    assert any("expires on 10 Dec 2026" in t for t in texts)
    assert any("has expired" in t for t in texts)
    sam = ChatUser(app, "sam")
    await sam.send(Choice(f"@go:listing_renew:{listing_id}"))
    assert "Renewed" in sam.texts()
    assert await status_of(app, listing_id) == "published"


async def test_a_sold_out_listing_renewed_is_back_in_search_as_if_new(app):
    """On the database the guarded move updates the listing the use case holds: the status it
    came from is read before, so a renewal from sold out is announced as a publication."""
    from core.catalog.events import ListingChanged, ListingPublished

    seen: list = []

    async def spy(events):
        seen.extend(events)

    app.bus.after_commit(ListingPublished, spy)
    app.bus.after_commit(ListingChanged, spy)
    sam = await make_account(app, "sam")
    listing_id = await publish(app, sam)
    for action in ("sold", "renew"):
        async with app.uow() as uow:
            await lifecycle.act(uow, listing_id, sam.id, action)
            await uow.commit()
    assert seen[-2:] == [ListingChanged(listing_id, "sold_out"), ListingPublished(listing_id)]
