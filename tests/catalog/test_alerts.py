"""Saved searches: alerts at once (across channels, after quiet hours) or in a daily digest.
Which searches a new listing matches, managing one's saved searches in chat and whom an instant
alert is written for, in which chat, are checked in memory; the alerts' delivery (quiet hours,
the digest's) on the database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conversations.messages import Choice, notification_reply
from core.accounts.member import Member
from core.accounts.tables import Account
from core.catalog import alerts, lifecycle, listings
from core.catalog import wiring as catalog_wiring
from core.catalog.query import SearchQuery
from core.catalog.stock import SellerInfo
from core.notifications.postbox import Chat
from tests.catalog.fakes import BOB, SAM, MemoryStock, published, stocked, values
from tests.catalog.helpers import list_pellets, make_account, open_item, publish
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat
from tests.support.outbox import told


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, address: str, payload: dict[str, Any], files: Sequence[Any] = ()) -> None:
        self.sent.append((address, payload))


async def save(app, account, text: str, mode: str = "instant", **filters) -> int:
    async with app.uow() as uow:
        row = await alerts.save_search(uow, account.id, SearchQuery(text=text, **filters), mode)
        await uow.commit()
        return row.id


def person(chat: MemoryChat, stock: MemoryStock, channel: str, key: str, address: str,
           roles: tuple[str, ...] = ("seller", "buyer")) -> Member:
    """Someone registered in `channel` as `key`, reached there at `address` (a Slack DM's
    channel differs from the key its identity has), known to the stock as a seller."""
    found = chat.turns.register(channel, key, key, roles=roles)
    stock.sellers[found.id] = SellerInfo(key, "", 0, 0)
    return chat.postbox.person(found, Chat(channel, address))


def written(chat: MemoryChat) -> list[tuple[str, str]]:
    """Where the chat's committed notices go: (channel, address), oldest first."""
    return [(notice.channel, notice.address) for notice in chat.postbox.notices]


async def test_a_slack_buyer_is_alerted_about_a_telegram_sellers_listing_at_once():
    chat, stock = market(wiring=[catalog_wiring.wire])
    buyer = person(chat, stock, "slack", "T1:U2", "U2", roles=("buyer",))
    person(chat, stock, "telegram", "111", "111", roles=("seller",))
    saved = await alerts.save_search(stock, buyer.id, SearchQuery(
        text="enplus pellets", max_km=100, lat=56.95, lon=24.1), "instant")
    await list_pellets(ChatUser(chat, "111", channel="telegram"))
    assert written(chat) == [("slack", "U2")]
    (payload,) = await told(chat, buyer.id)
    assert "ENplus A1 wood pellets, 15 kg bags" in payload["text"]
    labels = {b.label: b.data for row in notification_reply(payload).buttons for b in row}
    assert labels["Unsubscribe"] == f"@do:unsubscribe:{saved.id}"
    assert labels["View listing"].startswith("@do:view_listing:")


async def test_a_telegram_buyer_is_alerted_about_a_slack_sellers_listing():
    chat, stock = market(wiring=[catalog_wiring.wire])
    buyer = person(chat, stock, "telegram", "222", "222", roles=("buyer",))
    seller = person(chat, stock, "slack", "T1:U9", "U9")
    await alerts.save_search(stock, buyer.id, SearchQuery(text="pellets"), "instant")
    async with chat.uow() as uow:  # published as helpers.publish does, in one transaction
        draft = await listings.create_draft(uow, seller.id, values())
        await lifecycle.submit(uow, draft.id, seller.id)
        await uow.commit()
    assert written(chat) == [("telegram", "222")]  # nothing for Slack


async def test_a_listing_that_does_not_match_alerts_nobody():
    stock = stocked()
    await alerts.save_search(stock, BOB, SearchQuery(text="pellets", product_type="chips"),
                             "instant")
    await alerts.save_search(stock, BOB, SearchQuery(text="pellets", max_km=50, lat=52.52,
                                                     lon=13.40), "instant")  # Berlin
    await published(stock, SAM)
    assert stock.hits == [] and stock.alerted == []


async def test_a_seller_is_not_alerted_about_their_own_listing_and_a_digest_waits():
    stock = stocked()
    await alerts.save_search(stock, SAM, SearchQuery(text="pellets"), "instant")
    digest = await alerts.save_search(stock, BOB, SearchQuery(text="pellets"), "digest")
    listing_id = await published(stock, SAM)
    assert stock.hits == [(digest.id, listing_id)]
    assert stock.alerted == []  # the digest's hit is sent with the day's digest


async def test_an_alert_waits_for_the_end_of_the_buyers_quiet_hours(app, clock):
    buyer = await make_account(app, "bob", roles=("buyer",))
    async with app.uow() as uow:
        account = await uow.session.get(Account, buyer.id)
        account.quiet_start, account.quiet_end = "11:00", "14:00"  # now is 12:00 UTC
        await uow.commit()
    await save(app, buyer, "pellets")
    await publish(app, await make_account(app, "sam"))
    recorder = Recorder()
    app.add_sender("terminal", recorder)
    await app.dispatcher.run_once()
    assert recorder.sent == []
    clock.advance(hours=2, minutes=1)
    await app.dispatcher.run_once()
    assert "New listing" in recorder.sent[0][1]["text"]


async def test_a_digest_search_collects_the_days_matches_in_one_message(app, clock):
    buyer = await make_account(app, "bob", roles=("buyer",))
    seller = await make_account(app, "sam")
    await save(app, buyer, "pellets", mode="digest")
    for i in range(3):
        await publish(app, seller, title=f"Wood pellets lot {i}")
    clock.advance(hours=19)  # 07:00 UTC, the buyer's time zone
    async with app.uow() as uow:
        assert await alerts.send_digests(uow) == 1
        await uow.commit()
    async with app.uow() as uow:
        assert await alerts.send_digests(uow) == 0  # nothing is sent twice
    recorder = Recorder()
    app.add_sender("terminal", recorder)
    await app.dispatcher.run_once()
    ((_, payload),) = recorder.sent
    assert "Daily digest" in payload["text"] and "3 new" in payload["text"]
    assert any(b["label"] == "Unsubscribe" for row in payload["buttons"] for b in row)


async def test_the_unsubscribe_button_stops_the_alerts():
    chat, stock = market()
    bob, _sam = member(chat, stock, "bob", roles=("buyer",)), member(chat, stock, "sam")
    saved = await alerts.save_search(stock, account_of(chat, "bob"), SearchQuery(text="pellets"),
                                     "instant")
    await bob.send(Choice(f"@go:unsubscribe:{saved.id}"))
    assert "Unsubscribed" in bob.texts()
    await published(stock, account_of(chat, "sam"))
    assert await alerts.saved_searches(stock, account_of(chat, "bob")) == []
    assert stock.hits == [] and stock.alerted == []  # no alert written for Bob


async def test_a_buyer_saves_a_search_from_the_results_and_manages_it():
    bob = member(*market(), "bob", roles=("buyer",))
    await bob.say("/search pellets")
    await bob.tap("Save search")
    await bob.tap("Daily digest")
    assert "Saved" in bob.texts()
    await bob.say("/saved")
    assert "daily digest" in str(bob.last)


async def test_a_saved_search_can_be_run_switched_to_digest_and_deleted():
    chat, stock = market()
    bob, _sam = member(chat, stock, "bob", roles=("buyer",)), member(chat, stock, "sam")
    await alerts.save_search(stock, account_of(chat, "bob"), SearchQuery(text="pellets"),
                             "instant")
    await published(stock, account_of(chat, "sam"))
    await bob.say("/saved")
    await open_item(bob, "pellets")
    await bob.tap("Switch to daily digest")
    assert "Updated" in bob.texts()
    await bob.tap("Run it")
    assert "1 result(s)" in str(bob.last)
    await bob.say("/saved")
    await open_item(bob, "pellets")
    await bob.tap("Delete")
    assert "No saved searches yet" in bob.texts()
