"""A request for supply across channels: a buyer on Slack asks for 2,000 t of chips in a modal;
three sellers on Telegram (the real python-telegram-bot application against a fake Bot API)
quote from the invitation each on their own chat; the buyer compares the quotes on her Slack
card and awards two of them, which splits the quantity into two deals — the third seller hears
the request was awarded elsewhere."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.deals.tables import Deal
from tests.catalog.helpers import publish
from tests.deals.test_supply_requests import CHIPS
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.telegram.conftest import TelegramUser

QUOTES = {"aivar": ("1200", "21"), "birute": ("800", "20"), "carl": ("2000", "21.50")}


@pytest.mark.journey
async def test_a_slack_buyer_splits_her_request_between_two_of_three_telegram_sellers(world):
    app = world.app
    sellers = {}
    for i, name in enumerate(QUOTES):
        chat = TELEGRAM_USER + i
        account = await registered(app, str(chat), channel="telegram", address=str(chat),
                                   roles=("seller",), display_name=name.title(), country="LV",
                                   city="Riga")
        await publish(app, account, **CHIPS)
        sellers[name] = TelegramUser(world.telegram, chat)
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Hanna", country="EE", city="Tartu")

    await world.bob.command("request")
    await _settle()
    await world.bob_fills({"product_type": "chips", "quantity": "2000 t", "unit": None,
                           "place": "Tartu"})
    await world.bob_presses("Publish")
    await world.bob_sees("3 sellers were asked to quote")

    mark = world.telegram.mark()
    await world.deliver()
    for name, (quantity, price) in QUOTES.items():
        seller = sellers[name]
        await world.sam_told("Request for supply #1", mark)  # delivered to each chat
        await seller.tap("Quote", "Quantity")
        if quantity == "2000":
            await seller.tap("Keep", "Price")
        else:
            await seller.say(quantity, "Price")
        await seller.say(price, "Quote on")
        await seller.tap("Send", "Sent (offer #")
    await world.deliver()

    await world.bob.command("requests 1")
    card = await world.bob_sees("Birute")
    assert "1 200 t × 21,00" in str(card).replace("\\xa0", " ")  # (the card as repr)
    await world.bob_presses("Award #2")  # birute's 800 t
    await world.bob_sees("is agreed")
    await world.bob.command("requests 1")  # the card again: 1,200 t still to award
    await world.bob_sees("awarded")
    await world.bob_presses("Award #1")  # aivar's 1,200 t: the 2,000 t are covered
    await _settle()
    async with app.uow() as uow:
        dealt = sorted((d.quantity_milli, d.price_minor) for d in (await uow.session.execute(
            select(Deal))).scalars())
    assert dealt == [(800_000, 2000), (1_200_000, 2100)]
    mark = world.telegram.mark()
    await world.deliver()
    told = [c for c in world.telegram.calls[mark:] if c.method == "sendMessage"
            and c.params["chat_id"] == str(TELEGRAM_USER + 2)]
    assert any("was not awarded" in str(c.params.get("text")) for c in told)
