"""Editing a live listing: back to review under moderation; otherwise saved searches match again.
In chat with the catalogue and its notices in memory (the admin's notice, search, a photo
added); the rules behind them on the in-memory stock."""

from __future__ import annotations

import dataclasses

import pytest

from conversations.messages import FileUpload
from core.catalog import alerts, listings
from core.catalog import wiring as catalog_wiring
from core.catalog.events import ListingAwaitsReview, ListingChanged
from core.catalog.query import SearchQuery
from core.catalog.search import Catalog
from core.catalog.tables import Listing
from core.errors import Conflict
from tests.catalog.fakes import BOB, SAM, published, stocked
from tests.catalog.helpers import open_item
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts


async def edit_price_in_chat(sam: ChatUser, price: str) -> None:
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    await sam.tap("Edit")
    await sam.tap("Edit a field")
    await sam.tap("Price per unit")
    await sam.say(price)


async def test_with_moderation_on_editing_a_published_listing_sends_it_back_to_review():
    chat, stock = market(wiring=[catalog_wiring.wire])
    member(chat, stock, "root", roles=("buyer",), admin=True)
    sam = member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))  # before moderation was on
    stock.policy = dataclasses.replace(stock.policy, listing_moderation=True)
    await edit_price_in_chat(sam, "240")
    assert "go to an admin for review" in sam.texts()
    assert stock.listings[listing_id].status == "pending_review"
    assert any("waits for review" in t for t in await told_texts(chat, account_of(chat, "root")))
    assert (await Catalog(look_seconds=0).search(stock, SearchQuery(text="pellets"))).total == 0
    admin = ChatUser(chat, "root")
    await admin.say("/moderation")
    await open_item(admin, "ENplus")
    await admin.tap("Approve")
    assert stock.listings[listing_id].status == "published"


async def test_with_moderation_on_adding_a_photo_to_a_live_listing_sends_it_back_to_review(
        tmp_path):
    chat, stock = market(tmp_path)
    sam = member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))
    stock.policy = dataclasses.replace(stock.policy, listing_moderation=True)
    photo = tmp_path / "new.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    await sam.say("/mylistings")
    await open_item(sam, "ENplus")
    await sam.tap("Edit")
    await sam.tap("Add photos")
    assert "Send photos" in sam.texts()
    await sam.send(FileUpload(str(photo), "new.png", "image/png", 72, kind="photo"))
    assert "go to an admin for review" in sam.texts()
    assert stock.listings[listing_id].status == "pending_review"
    assert [file.file_name for file in stock.media] == ["new.png"]


async def test_without_moderation_an_edit_alerts_searches_it_now_matches_and_only_once():
    stock = stocked()
    cheap = await alerts.save_search(stock, BOB, SearchQuery(text="pellets", price_max=20000),
                                     "instant")
    every = await alerts.save_search(stock, BOB, SearchQuery(text="pellets"), "instant")
    listing_id = await published(stock, SAM)  # 230 EUR/t: only the search without a price cap
    assert stock.alerted == [(every.id, listing_id)]
    await listings.edit(stock, listing_id, SAM, {"price": "190"})
    assert stock.listings[listing_id].status == "published"
    assert stock.alerted == [(every.id, listing_id), (cheap.id, listing_id)]
    await listings.edit(stock, listing_id, SAM, {"price": "185"})
    assert sorted(saved for saved, _listing in stock.hits) == sorted([cheap.id, every.id])
    assert len(stock.alerted) == 2  # nobody is told twice


async def test_with_moderation_on_an_edit_takes_a_live_listing_out_of_search_until_approved():
    stock = stocked()
    listing_id = await published(stock, SAM)  # published before moderation was switched on
    stock.policy = dataclasses.replace(stock.policy, listing_moderation=True)
    await listings.edit(stock, listing_id, SAM, {"price": "240"})
    assert stock.listings[listing_id].status == "pending_review"
    assert stock.events[-2:] == [ListingChanged(listing_id, "pending_review"),
                                 ListingAwaitsReview(listing_id)]
    assert await listings.file_added(stock, listing_id, SAM) is False  # waiting already


async def test_an_edit_of_a_listing_closed_or_sold_meanwhile_is_refused():
    stock = stocked()
    listing_id = await published(stock, SAM)
    read = stock.listing

    async def sold_meanwhile(wanted: int, *, fresh: bool = False):
        found = await read(wanted, fresh=fresh)
        copy = Listing(**{k: v for k, v in vars(found).items() if not k.startswith("_")})
        found.status = "sold_out"  # another session's change, after this one read it
        return copy

    stock.listing = sold_meanwhile  # type: ignore[method-assign]
    with pytest.raises(Conflict):
        await listings.edit(stock, listing_id, SAM, {"price": "190"})
    assert stock.listings[listing_id].price_minor == 23000
