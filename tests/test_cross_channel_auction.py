"""A reverse auction across channels: a buyer on Slack (signed requests into the real slack-bolt
app) turns a request into an auction in its details modal and publishes it; a seller on Telegram
(the real python-telegram-bot application against a fake Bot API) bids from the invitation — a
price above the ceiling re-asked with the reason — and wins at the close, each told on their own
channel, the buyer's Slack card ranking the bids."""

from __future__ import annotations

import pytest

from core.deals.requests import auction_close
from tests.catalog.helpers import publish
from tests.deals.test_supply_requests import CHIPS
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_a_slack_buyer_runs_a_reverse_auction_a_telegram_seller_wins(world, clock):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tartu")
    await publish(app, sam, **CHIPS)

    await world.bob.command("request")
    await _settle()
    await world.bob_fills({"product_type": "chips", "quantity": "2000 t", "unit": None,
                           "place": "Tartu"})
    await world.bob_sees("Request for supply: 2\xa0000 t of Wood chips")
    await world.bob_presses("Change details")  # one modal of every detail on Slack
    await world.bob_fills({"max_price": "22", "mode": "auction", "min_step": "0.10"})
    await world.bob_sees("Reverse auction for the whole quantity")
    await world.bob_presses("Publish")
    await world.bob_sees("1 seller was asked to bid")

    mark = world.telegram.mark()
    await world.deliver()
    assert "Reverse auction" in await world.sam_told("Request for supply #1", mark)
    await world.sam.tap("Bid", "Type your price per t")
    await world.sam.say("23", "pays at most")  # over the ceiling: asked again
    await world.sam.say("21", "is in")

    await world.bob.command("requests 1")
    await world.bob_sees("1. Sam: 21,00")

    clock.advance(days=3)
    assert await auction_close.close_due(app.uow) == [1]
    mark = world.telegram.mark()
    await world.deliver()
    assert "21,00" in await world.sam_told("You won request #1", mark)
    await world.bob_sees("Sam won at")
