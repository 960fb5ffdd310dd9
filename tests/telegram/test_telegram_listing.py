"""A Telegram seller lists step by step with a photo served by getFile; inline search answers."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from core.catalog import media
from core.catalog.tables import Listing, ListingMedia
from tests.catalog.helpers import PELLETS, make_account, publish
from tests.telegram.conftest import TelegramUser

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


async def answer(ann: TelegramUser, value, expect: str = "?") -> None:
    """One answer of the listing form: typed, a button, Skip/Done, or several buttons."""
    if isinstance(value, list):
        for label in value:
            await ann.tap(label, expect="Delivery options")
        await ann.tap("Done", expect=expect)
    elif value is None:
        await ann.tap("Skip", expect=expect)
    elif value in ("t", "EUR", "Fixed price"):
        await ann.tap(value, expect=expect)
    else:
        await ann.say(value, expect=expect)


async def test_a_seller_lists_pellets_with_a_photo_and_publishes(bot, ann, fake):
    container, _ = bot
    await make_account(container, str(ann.id), channel="telegram")
    await ann.say("/sell", expect="Product type?")
    await ann.tap("Wood pellets", expect="Quantity available?")
    for value in PELLETS[:-1]:
        await answer(ann, value)
    await answer(ann, PELLETS[-1], expect="Preview")
    await ann.tap("Add photos or documents", expect="Send photos and documents")
    fake.files[f"P{ann.id}s1280"] = JPEG  # the largest size is the one fetched
    await ann.send(fake.photo(ann.id), expect="Tap Done when finished")  # asked again
    assert "Added photo_up1280.jpg" in "\n".join(fake.texts(ann.id))
    assert fake.sent("getFile")[-1].params["file_id"] == f"P{ann.id}s1280"
    await ann.tap("Done", expect="Preview")
    await ann.tap("Publish", expect="Published")
    async with container.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
        media = (await uow.session.execute(select(ListingMedia))).scalar_one()
        assert listing.status == "published" and media.size == len(JPEG)
        assert media.channel_ref == f"telegram:P{ann.id}s1280"


async def test_an_inline_query_is_answered_with_listings_that_open_by_deep_link(bot, ann, fake):
    container, _ = bot
    seller = await make_account(container, "sam")
    listing_id = await publish(container, seller)
    await publish(container, seller, product_type="chips", title="Spruce wood chips",
                  unit="loose_m3", price="20", grade=None)
    fake.push(fake.inline_query(ann.id, "enplsu peletts riga"))
    call = await fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    results = json.loads(results) if isinstance(results, str) else results
    assert results[0]["id"] == str(listing_id)
    assert results[0]["title"] == "ENplus A1 wood pellets"
    link = f"https://t.me/agora_market_bot?start=view-{listing_id}"
    assert link in results[0]["input_message_content"]["message_text"]
    assert results[0]["reply_markup"]["inline_keyboard"][0][0]["url"] == link
    assert results[0]["url"] == link
    fake.push(fake.inline_query(ann.id, "pellets under 200 eur"))  # one line: words and a filter
    since = len(fake.sent("answerInlineQuery"))
    for _ in range(100):
        if len(fake.sent("answerInlineQuery")) > since:
            break
        await asyncio.sleep(0.02)
    capped = fake.sent("answerInlineQuery")[-1].params["results"]
    assert (json.loads(capped) if isinstance(capped, str) else capped) == []  # 230 EUR is over


async def test_a_deep_link_from_an_inline_result_opens_the_listing_in_the_bots_chat(bot, ann, fake):
    container, _ = bot
    await make_account(container, str(ann.id), channel="telegram", roles=("buyer",))
    seller = await make_account(container, "sam")
    listing_id = await publish(container, seller)
    card = await ann.say(f"/start view-{listing_id}", expect="ENplus A1 wood pellets")
    assert any("Save to watchlist" in label for label in ann.labels(card))


async def with_photo(container, channel_ref: str) -> int:
    """A published listing whose photo was uploaded on another channel (or this one)."""
    seller = await make_account(container, "sam")
    listing_id = await publish(container, seller)
    async with container.uow() as uow:
        await media.attach(uow, container.engine.services.files, listing_id,
                           kind="photo", name="pellets.jpg", mime="image/jpeg", data=JPEG,
                           channel_ref=channel_ref)
        await uow.commit()
    return listing_id


async def test_a_photo_uploaded_on_slack_is_sent_to_telegram_as_bytes(bot, ann, fake):
    container, _ = bot
    await make_account(container, str(ann.id), channel="telegram", roles=("buyer",))
    listing_id = await with_photo(container, "slack:F0SLACK")
    await ann.say(f"/view {listing_id}", expect="ENplus A1 wood pellets")
    (photo,) = fake.sent("sendPhoto")
    assert isinstance(photo.params["photo"], dict)  # an upload, not a file_id
    assert fake.files[photo.result["photo"][0]["file_id"]] == JPEG
    assert photo.params["caption"] == "ENplus A1 wood pellets"


async def test_a_photo_uploaded_on_telegram_is_sent_again_by_its_file_id(bot, ann, fake):
    container, _ = bot
    await make_account(container, str(ann.id), channel="telegram", roles=("buyer",))
    listing_id = await with_photo(container, "telegram:P77s1280")
    await ann.say(f"/view {listing_id}", expect="ENplus A1 wood pellets")
    (photo,) = fake.sent("sendPhoto")
    assert photo.params["photo"] == "P77s1280"
