"""The heart of the product, end to end: a seller on Telegram (the real python-telegram-bot
application against a fake Bot API) and a buyer on Slack (signed requests into the real
slack-bolt app, a fake Web API) make a deal — ask, counter twice, accept, terms PDF accepted by
both, pay on the sandbox page, ship, confirm, release, rate both ways — each on their own
channel, with the ledger checked after every money step."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from bots.slack.live import is_prompt, objects
from core.deals import deals
from core.money.model import Money
from tests.catalog.helpers import publish
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.pdf import pdf_text
from tests.support.two_channels import JPEG, SLACK_USER, TELEGRAM_USER

SELLER_TG, BUYER_SLACK = TELEGRAM_USER, SLACK_USER


@pytest.mark.journey
async def test_a_telegram_seller_and_a_slack_buyer_make_a_deal_each_on_their_own_channel(world):
    app = world.app
    sam = await registered(app, str(SELLER_TG), channel="telegram", address=str(SELLER_TG),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{BUYER_SLACK}", channel="slack", address=BUYER_SLACK,
                           display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")

    # Bob asks; Sam answers on Telegram; Bob reads it in Slack.
    await world.bob.command(f"view {listing_id}")
    await _settle()
    await world.bob_presses("Ask the seller")
    await world.bob.dm("Are the pellets bagged?")
    await _settle()
    mark = world.telegram.mark()
    await world.deliver()
    assert "Are the pellets bagged?" in await world.sam_told("bagged", mark)
    await world.sam.tap("Reply", "Message Bob")
    await world.sam.say("Yes, 15 kg bags.", "Sent to Bob")
    world.telegram.files[f"P{SELLER_TG}s1280"] = JPEG  # a photo of the bags, relayed as a file
    await world.sam.send(world.telegram.photo(SELLER_TG), "Sent to Bob")
    await world.deliver()
    await world.bob_sees("15 kg bags")
    await world.bob_sees("📎")
    uploaded = await world.slack.wait_for("files.completeUploadExternal")
    assert uploaded["channel_id"] == f"D{BUYER_SLACK[1:]}"
    assert JPEG in world.slack.uploads.values()

    # Bob offers (one modal), Sam counters on Telegram, Bob counters, Sam accepts.
    await world.bob_drafts_an_offer(listing_id, "100", "200")
    await world.bob_presses("Send")
    await world.bob_sees("Sent (offer #")
    mark = world.telegram.mark()
    await world.deliver()
    card = await world.sam_told("Offer #", mark)
    assert "= 20\xa0000,00\xa0€" in card and "commission" in card
    await world.sam.tap("Counter", "Quantity")
    await world.sam.tap("Keep", "Price")
    await world.sam.say("225", "Counter-offer on")
    await world.sam.tap("Send", "Sent (offer #")
    await world.deliver()
    await world.bob_sees("Changed since the last round: price")
    await world.bob_presses("Counter")
    await world.bob_fills({"price": "215"})
    await world.bob_presses("Send")
    mark = world.telegram.mark()
    await world.deliver()
    await world.sam_told("215,00", mark)
    await world.sam.tap("Accept", "deal #")

    # Terms: a PDF each side accepts on its own channel.
    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("terms are attached")
    terms_pdf = await world.telegram.wait_for("sendDocument", since=mark)
    assert terms_pdf.params["chat_id"] == str(SELLER_TG)
    await world.bob_presses("accept the terms")
    await world.bob_fills({"street": "Pärnu mnt 10", "postcode": "10148"})  # once per account
    await world.bob_sees("Billing details saved")
    [pdf] = list(world.slack.uploads.values())[-1:]
    assert "SHA-256" in pdf_text(pdf) and "Riga port" in pdf_text(pdf)
    await world.bob_presses("Accept version 1")
    await world.bob_sees("Waiting for the other party")
    await world.sam_accepts_the_first_terms()

    # Bob pays on the sandbox page; the money is held.
    await world.deliver()
    # Sam (Riga, VAT-registered) charges Latvian VAT to Bob (Tallinn, no VAT number): 21 %
    # on top of the 21 500 € price, said before either accepted and in the amount to pay.
    await world.bob_sees("Pay 26\xa0015,00\xa0€ into escrow")
    escrow = await app.payments.by_reference(deals.reference(1))
    assert escrow is not None and escrow.state == "awaiting_payment"
    await world.bob_presses("💳 Pay")  # the deal's card becomes the payment, a link to its page
    link = next(e for m in world.slack.shown(BUYER_SLACK) for b in m["blocks"]
                for e in b.get("elements") or [] if e.get("url") == escrow.pay_url)
    assert link["text"]["text"] == "💳 Pay 26\xa0015,00\xa0€"
    paid = await world.http.post(urlparse(escrow.pay_url).path,
                                 data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200
    assert (await app.payments.get(escrow.id)).state == "held"
    wallet = await app.payments.wallet(bob.id)
    assert wallet.held == [Money.parse("26015", "EUR")]

    # Sam ships on Telegram; Bob confirms on Slack; the escrow is released minus commission.
    mark = world.telegram.mark()
    await world.deliver()
    await world.sam_told("Ship by", mark)
    await world.sam.tap("Mark shipped", "Carrier")
    await world.sam.say("DSV", "Tracking")
    await world.sam.say("CMR-77", "Expected arrival")
    await world.sam.tap("Skip", "Marked shipped")
    await world.deliver()
    await world.bob_sees("on the way")
    await world.bob_presses("Confirm delivery")
    await world.bob_presses("Yes: the goods arrived")
    price, vat = Money.parse("21500", "EUR"), Money.parse("4515", "EUR")
    paid_out = (await app.payments.wallet(sam.id)).paid_out  # the commission is on the price
    assert paid_out == [price + vat - app.payments.commission_for("bioenergy", price)]
    assert (await app.payments.wallet(bob.id)).held == []

    # Both rate, each on their own channel; the ratings show once both have.
    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("Deal completed")
    await world.bob_presses("Rate")
    await world.bob_fills({"stars": "5", "quality": "5"})
    await world.sam_told("Deal completed", mark)
    await world.sam.tap("Rate", "Overall")
    await world.sam.tap("★★★★", "Payment")
    await world.sam.tap("Skip", "Communication")
    await world.sam.tap("Skip", "comment")
    await world.sam.tap("Skip", "Thank you")
    await world.bob.command(f"view {listing_id}")
    await world.bob_sees("from 1 rating")

    # Bob's DM is not a transcript: answers took the pressed message's place, finished steps
    # did not post the menu, and no conversation button is left on an older message.
    await world.bob_sees("ratings of deal #1 are published")  # the deal's last notice
    posts = [p for p in world.slack.calls_to("chat.postMessage") if p.get("channel") == BUYER_SLACK]
    assert len(posts) <= 25, len(posts)
    assert not [p for p in posts if "Main menu" in message_text(p)]
    assert world.slack.calls_to("chat.update")
    prompts = [m["text"] for m in world.slack.shown(BUYER_SLACK) if is_prompt(m["blocks"])]
    assert len(prompts) == 1 and "ENplus A1 wood pellets" in prompts[0]  # the current one
    # Every offer's and the deal's cards lost their buttons as they moved on (the deal's last
    # card, its published ratings, has none): what is left answers Sam, fetches the receipt, or
    # opens the menu.
    older = [m for m in world.slack.shown(BUYER_SLACK) if not is_prompt(m["blocks"])]
    assert not [m["text"] for m in older if objects(m["blocks"])]
    assert {label for m in older for label in button_values(m["blocks"])} <= {
        "↩ Reply", "🧾 Receipt", "☰ Main menu"}
