"""Saved searches: alerts at once (across channels, after quiet hours) or in a daily digest.
Which searches a new listing matches, and managing one's saved searches in chat, are checked on
the in-memory stock; the alerts' delivery on the database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conversations.messages import Choice, notification_reply
from core.accounts.tables import Account
from core.catalog import alerts
from core.catalog.query import SearchQuery
from tests.catalog.fakes import BOB, SAM, published, stocked
from tests.catalog.helpers import list_pellets, make_account, open_item, publish
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser


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


async def deliver(app) -> dict[str, Recorder]:
    recorders = {"telegram": Recorder(), "slack": Recorder()}
    for channel, recorder in recorders.items():
        app.add_sender(channel, recorder)
    await app.dispatcher.run_once()
    return recorders


async def test_a_slack_buyer_is_alerted_about_a_telegram_sellers_listing_at_once(app):
    buyer = await make_account(app, "T1:U2", channel="slack", address="U2", roles=("buyer",))
    await make_account(app, "111", channel="telegram", roles=("seller",))
    saved_id = await save(app, buyer, "enplus pellets", max_km=100, lat=56.95, lon=24.1)
    seller = ChatUser(app, "111", channel="telegram")
    await list_pellets(seller)
    sent = await deliver(app)
    ((address, payload),) = sent["slack"].sent
    assert address == "U2" and "ENplus A1 wood pellets, 15 kg bags" in payload["text"]
    labels = {b.label: b.data for row in notification_reply(payload).buttons for b in row}
    assert labels["Unsubscribe"] == f"@do:unsubscribe:{saved_id}"
    assert labels["View listing"].startswith("@do:view_listing:")


async def test_a_telegram_buyer_is_alerted_about_a_slack_sellers_listing(app):
    buyer = await make_account(app, "222", channel="telegram", roles=("buyer",))
    seller = await make_account(app, "T1:U9", channel="slack", address="U9")
    await save(app, buyer, "pellets")
    await publish(app, seller)
    sent = await deliver(app)
    assert [address for address, _ in sent["telegram"].sent] == ["222"]
    assert sent["slack"].sent == []


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
