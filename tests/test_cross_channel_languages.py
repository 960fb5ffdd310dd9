"""Each in their own language, across channels: a seller whose Telegram is German and a buyer
whose Slack is Polish ask, answer, offer, counter and agree a deal — every reply and every
notice of the other's move in the reader's language (no English sentence of the catalogue in
what either was sent), what each typed passed on as typed."""

from __future__ import annotations

import pytest

from tests.catalog.helpers import publish
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.languages import english_figures, english_in, part, said
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


def de(message: str, **params: object) -> str:
    return said("de", message, **params)


def pl(message: str, **params: object) -> str:
    return said("pl", message, **params)


@pytest.mark.journey
async def test_a_german_telegram_seller_and_a_polish_slack_buyer_deal_each_in_their_language(
        world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="DE", city="Munich", language="de")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="PL", city="Warsaw", language="pl")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")

    # Bob asks in Polish; Sam reads the question as typed, in a German notice.
    await world.bob.command(f"view {listing_id}")
    await _settle()
    await world.bob_sees(pl("Price: {price} per {unit} (negotiable)", price="230,00\xa0€",
                            unit=pl("t")).split("230")[0])
    await world.bob_presses(pl("💬 Ask the seller"))
    await world.bob.dm("Czy pellet jest w workach?")
    await _settle()
    mark = world.telegram.mark()
    await world.deliver()
    assert "Czy pellet jest w workach?" in await world.sam_told("Czy pellet", mark)
    await world.sam.tap(de("Reply"), "Bob")
    await world.sam.say("Ja, 15-kg-Säcke.", part("de", "✉ Sent to {other}. Write more, or tap Done."))
    await world.deliver()
    await world.bob_sees("Ja, 15-kg-Säcke.")

    # Bob offers; Sam counters in German; Bob reads the change in Polish; Sam accepts.
    await world.bob.command(f"view {listing_id}")
    await _settle()
    await world.bob_presses(pl("💶 Make an offer"))
    await world.bob_fills({"quantity": "100", "price": "200"})
    await world.bob_presses(pl("📨 Send"))
    await world.bob_sees(part("pl", "📨 Sent (offer #{id}). You'll hear here as soon as it is "
                                    "answered."))
    mark = world.telegram.mark()
    await world.deliver()
    await world.sam_told("20.000,00\xa0€", mark)  # the offer's total, in Germany's format
    await world.sam.tap(de("↔ Counter"), "1/2")
    await world.sam.tap(part("de", "Keep “{value}”"), "2/2")
    await world.sam.say("225", part("de", "Counter-offer on “{title}”:"))
    await world.sam.tap(de("Send"), part("de", "📨 Sent (offer #{id}). You'll hear here as soon "
                                               "as it is answered."))
    await world.deliver()
    await world.bob_sees(part("pl", "Changed since the last round: {changes}"))
    await world.bob_presses(pl("✅ Accept"))
    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("SHA-256")  # the terms, attached

    to_sam = [str(c.params.get("text") or c.params.get("caption") or "")
              for c in world.telegram.calls if c.method in ("sendMessage", "editMessageText",
                                                            "sendDocument")]
    to_bob = [message_text(p) for p in world.slack.calls_to("chat.postMessage")
              + world.slack.calls_to("chat.update") if p.get("channel") == SLACK_USER]
    assert to_sam and english_in("de", to_sam) == []
    assert to_bob and english_in("pl", to_bob) == []
    # and every figure, amount and day in the reader's own conventions (“24,5 t”, “230,00 €”)
    assert english_figures("de", to_sam) == []
    assert english_figures("pl", to_bob) == []
