"""Logistics across channels: a Slack buyer's deal with a Telegram seller (the real
python-telegram-bot application against a fake Bot API, signed requests into the real
slack-bolt app); a haulier on Telegram declares the routes they serve; the buyer asks for
transport from the deal card in a modal; the haulier quotes from the notice; the buyer accepts
and pays the freight on its page; the haulier posts loaded, on the way with an ETA and delivered
with the CMR photo, each told to both parties on their own channel; the buyer confirms the
delivery and the haulier's freight is released."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest

from core.deals import deals
from core.deals.freight.service import reference
from tests.catalog.helpers import publish
from tests.deals.chat_helpers import agreed_between
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import JPEG, SLACK_USER, TELEGRAM_USER, modal_defaults
from tests.telegram.conftest import TelegramUser

HAULIER_TG = TELEGRAM_USER + 7
CARD = "4242 4242 4242 4242"


async def told_on_telegram(world, chat: int, needle: str, since: int) -> str:
    """The first message to `chat` since `since` with `needle`, delivering notices meanwhile."""
    for _ in range(25):
        for call in world.telegram.calls[since:]:
            said = str(call.params.get("text") or call.params.get("caption"))
            if call.method in ("sendMessage", "sendDocument", "sendPhoto") \
                    and call.params.get("chat_id") == str(chat) and needle in said:
                return said
        await world.deliver()
    raise AssertionError(f"{chat} was never told {needle!r}")


@pytest.mark.journey
async def test_a_slack_buyer_books_a_telegram_haulier_who_delivers_with_the_cmr(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tartu")
    hugo_account = await registered(app, str(HAULIER_TG), channel="telegram",
                                    address=str(HAULIER_TG), roles=("seller",),
                                    display_name="Hugo Haul", country="LV", city="Riga")
    listing_id = await publish(app, sam, quantity="500", min_order="20")
    deal_id = await agreed_between(app, listing_id, bob.id, sam.id)
    goods = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(goods.id, CARD)

    # Hugo declares himself a haulier on Telegram: the Baltics, walking floor, 24 t a load.
    hugo = TelegramUser(world.telegram, HAULIER_TG)
    await hugo.say("/haulier", "Countries and routes you serve")
    await hugo.say("LV, EE, LT", "Loading types")
    await hugo.tap("walking floor", "Loading types")
    await hugo.tap("Done", "Capacity per load")
    await hugo.say("24", "Capacity unit")
    await hugo.tap("tonnes", "Routes: LV, EE, LT")

    # Bob asks for transport from his deal card on Slack, in one modal.
    await world.bob.command("deals")
    await _settle()
    await world.bob_presses("Open")
    await world.bob_sees("Deal #1")
    await world.bob_presses("Ask for transport")
    today = app.clock.now().date()
    view = world.slack.calls_to("views.open")[-1]["view"]  # the deal's 100 t, filled in
    assert {"quantity": "100", "unit": "t"}.items() <= modal_defaults(view).items()
    await world.bob_fills({"to": "Tartu",
                           "load_from": (today + timedelta(days=3)).isoformat(),
                           "load_to": (today + timedelta(days=10)).isoformat(),
                           "loading": "walking_floor"})
    await world.bob_sees("Hauliers who serve this route are told")

    # Hugo quotes from the notice on Telegram; Bob accepts on Slack and pays the freight.
    mark = world.telegram.mark()
    request_text = await told_on_telegram(world, HAULIER_TG, "Transport #1", mark)
    assert "Riga" in request_text and "Tartu" in request_text
    await hugo.tap("Quote", "Price for the whole transport")
    await hugo.say("1200", "Pickup day")
    await hugo.say((today + timedelta(days=4)).isoformat(), "Days in transit")
    await hugo.say("2", "Quote sent for transport #1")
    await world.bob_sees("A quote for transport #1")
    await world.bob_presses("Accept")
    await world.bob_sees("Booked")
    await world.bob_sees("Pay the freight")
    freight = await app.payments.by_reference(reference(1))
    assert freight is not None and freight.payee_id == hugo_account.id
    paid = await world.http.post(urlparse(freight.pay_url).path, data={"card_number": CARD})
    assert paid.status_code == 200
    assert (await app.payments.get(freight.id)).state == "held"

    # Hugo loads, is on the way with an ETA, and delivers with the CMR photo.
    mark = world.telegram.mark()
    await told_on_telegram(world, HAULIER_TG, "is paid and held in escrow", mark)
    await hugo.tap("Loaded", "both parties are told")
    await world.bob_sees("Transport #1 for deal #1: loaded")
    await world.bob_sees("🚚 Transport: loaded")  # his deal card, rewritten to show it
    await told_on_telegram(world, TELEGRAM_USER, "Transport #1 for deal #1: loaded", mark)
    await hugo.tap("Transport", "Status: loaded")
    await hugo.tap("On the way", "Where the load is")
    await hugo.say("Valmiera", "Expected arrival")
    await hugo.say((today + timedelta(days=6)).isoformat(), "Update sent to both parties")
    await world.bob_sees("Last position: Valmiera")
    await told_on_telegram(world, TELEGRAM_USER, "Last position: Valmiera", mark)
    await hugo.tap("Transport", "Status: on the way")
    await hugo.tap("Delivered", "signed CMR")
    world.telegram.files[f"P{HAULIER_TG}s1280"] = JPEG
    await hugo.send(world.telegram.photo(HAULIER_TG), "both parties have the CMR")
    await world.bob_sees("Transport #1 for deal #1: delivered")
    uploaded = await world.slack.wait_for("files.completeUploadExternal")
    assert uploaded["channel_id"] == f"D{SLACK_USER[1:]}" and JPEG in world.slack.uploads.values()
    await told_on_telegram(world, TELEGRAM_USER, "Transport #1 for deal #1: delivered", mark)

    # Bob's deal card shows the freight and the delivered total; he confirms the delivery.
    await world.bob_presses("Confirm delivery")
    await world.bob_sees("freight is released to the haulier")
    assert (await app.payments.get(freight.id)).state == "released"
    await told_on_telegram(world, HAULIER_TG, "the freight is released to you", mark)
    earned = await app.payments.wallet(hugo_account.id)
    assert sum(m.amount for m in earned.pending + earned.paid_out) == 114_000  # less 5 %
    await world.bob.command("deals")
    await _settle()
    await world.bob_presses("Open")
    await world.bob_sees("Delivered total:")
