"""Editing a live listing: back to review under moderation; otherwise saved searches match again."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from conversations.messages import FileUpload
from core.catalog import alerts, listings
from core.catalog.query import SearchQuery
from core.catalog.tables import AlertHit, Listing
from core.notifications.tables import OutboxMessage
from tests.catalog.helpers import make_account, open_item, publish
from tests.support.chat import ChatUser


async def texts_for(app, account_id: int) -> list[str]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id, OutboxMessage.channel != "email"))).scalars()
        return [r.payload["text"] for r in rows]


async def status_of(app, listing_id: int) -> str:
    async with app.uow() as uow:
        return (await uow.session.get(Listing, listing_id)).status


async def edit_price_in_chat(sam: ChatUser, price: str) -> None:
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    await sam.tap("Edit")
    await sam.tap("Edit a field")
    await sam.tap("Price per unit")
    await sam.say(price)


async def test_with_moderation_on_editing_a_published_listing_sends_it_back_to_review(app):
    root = await make_account(app, "root", roles=("buyer",))
    seller = await make_account(app, "sam")
    listing_id = await publish(app, seller)  # published before moderation was switched on
    app.policy = dataclasses.replace(app.policy, listing_moderation=True)
    sam = ChatUser(app, "sam")
    await edit_price_in_chat(sam, "240")
    assert "go to an admin for review" in sam.texts()
    assert await status_of(app, listing_id) == "pending_review"
    assert any("waits for review" in t for t in await texts_for(app, root.id))
    async with app.uow() as uow:
        assert (await app.catalog.search(uow, SearchQuery(text="pellets"))).total == 0
    admin = ChatUser(app, "root")
    await admin.say("/moderation")
    await open_item(admin, "ENplus")
    await admin.tap("Approve")
    assert await status_of(app, listing_id) == "published"


async def test_with_moderation_on_adding_a_photo_to_a_live_listing_sends_it_back_to_review(
        app, tmp_path):
    seller = await make_account(app, "sam")
    listing_id = await publish(app, seller)
    app.policy = dataclasses.replace(app.policy, listing_moderation=True)
    photo = tmp_path / "new.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    sam = ChatUser(app, "sam")
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    await sam.tap("Edit")
    await sam.tap("Add photos")
    assert "Send photos" in sam.texts()
    await sam.send(FileUpload(str(photo), "new.png", "image/png", 72, kind="photo"))
    assert "go to an admin for review" in sam.texts()
    assert await status_of(app, listing_id) == "pending_review"


async def test_without_moderation_an_edit_alerts_searches_it_now_matches_and_only_once(app):
    buyer = await make_account(app, "bob", roles=("buyer",))
    seller = await make_account(app, "sam")
    async with app.uow() as uow:
        cheap = await alerts.save_search(uow, buyer.id, SearchQuery(text="pellets",
                                                                    price_max=20000), "instant")
        every = await alerts.save_search(uow, buyer.id, SearchQuery(text="pellets"), "instant")
        searches = sorted([cheap.id, every.id])
        await uow.commit()
    listing_id = await publish(app, seller)  # 230 EUR/t: only the search without a price cap
    assert len(await texts_for(app, buyer.id)) == 1
    sam = ChatUser(app, "sam")
    await edit_price_in_chat(sam, "190")
    assert "Saved" in sam.texts() and await status_of(app, listing_id) == "published"
    texts = await texts_for(app, buyer.id)
    assert len(texts) == 2 and "≤ 200 EUR/unit" in texts[1]
    async with app.uow() as uow:
        await listings.edit(uow, listing_id, seller.id, {"price": "185"})
        await uow.commit()
        hits = (await uow.session.execute(select(AlertHit.saved_search_id))).scalars().all()
    assert sorted(hits) == searches
    assert len(await texts_for(app, buyer.id)) == 2  # nobody is told twice
