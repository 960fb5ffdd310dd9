"""A seller's lot at auction across channels: Sam on Telegram (the real python-telegram-bot
application against a fake Bot API) puts 100 t of his chips up with /lot, its form asked field
by field; two buyers who keep an alert for chips get its card — Bob on Slack (signed requests
into the real slack-bolt app) and Tina on Telegram. Each pays the bid deposit from the bid card
(the sandbox payment page's card, paid here) and their typed price becomes their bid; a price
under the step is re-asked with the reason. At the close Tina wins and the deal is hers, Bob
hears the winning bid and his deposit goes back, Sam hears who bought. And the mirror of the
channels: a seller on Slack puts his lot up in one modal, a buyer on Telegram wins it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.deals.requests import auction_close, bid_deposits
from core.deals.requests.tables import BidDeposit, RequestBid
from core.deals.tables import Deal
from tests.catalog.helpers import publish
from tests.deals.test_supply_requests import CHIPS
from tests.recommend.helpers import saved_near
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER, modal_defaults
from tests.telegram.conftest import TelegramUser

TINA = 4343
CARD = "4242 4242 4242 4242"


async def pay_deposit(world, account_id: int) -> None:
    """The deposit's escrow, opened after the bid card's commit, paid by card."""
    for _ in range(25):
        await world.deliver()
        view = await world.app.payments.by_reference(bid_deposits.reference(1, account_id, lot=True))
        if view is not None:
            break
    assert view is not None
    await world.app.payments.pay_with_test_card(view.id, CARD)
    await world.deliver()


@pytest.mark.journey
async def test_a_telegram_seller_auctions_a_lot_a_telegram_buyer_outbids_a_slack_buyer(
        world, clock):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           roles=("buyer",), display_name="Bob", country="EE", city="Tartu")
    tina = await registered(app, str(TINA), channel="telegram", address=str(TINA),
                            roles=("buyer",), display_name="Tina", country="LV", city="Riga")
    for buyer, town in ((bob, "Riga"), (tina, "Riga")):
        await saved_near(app, buyer, "chips", town)
    await publish(app, sam, **CHIPS)
    tina_chat = TelegramUser(world.telegram, TINA)

    await world.sam.say("/lot", "Quantity")
    await world.sam.say("100", "Starting price")
    await world.sam.say("20", "Minimum step")
    await world.sam.say("0.10", "Reserve")
    await world.sam.say("21", "Hours open")
    await world.sam.say("24", "late bid")
    await world.sam.tap("Skip", "Bid deposit")
    await world.sam.tap("2 %", "Delivery from")
    await world.sam.tap("Skip", "Delivery by")
    await world.sam.tap("Skip", "Your lot is up")

    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("Lot #1 at auction: 100 t of Wood chips")
    await world.bob_presses("Bid")
    await world.bob_sees("at least 20,00")
    await world.bob.dm("20.50")
    await _settle()
    await world.bob_sees("asks a bid deposit of 40,00")
    await world.bob_presses("Pay the deposit and bid")
    await pay_deposit(world, bob.id)
    await world.bob_sees("your bid of 20,50\xa0€ per t is in")

    await tina_chat.tap("Bid", "Highest bid: 20,50")
    await tina_chat.say("20.55", "Lot #1 asks a bid deposit")
    await tina_chat.tap("Pay the deposit and bid", "payment page")
    await pay_deposit(world, tina.id)  # her price is under the step: not placed, and why
    await world.telegram.wait_for("sendMessage", lambda p: p["chat_id"] == str(TINA) and
                                  "at least 0,10" in str(p.get("text")))
    await tina_chat.tap("Bid", "Reserve not met yet")
    await tina_chat.say("21.00", "Your bid of 21,00\xa0€ per t is in")
    await world.bob_sees("You were outbid on lot #1")

    clock.advance(days=2)
    assert await auction_close.close_due(app.uow) == [1]
    mark = world.telegram.mark()
    await world.deliver()
    assert "Tina won at 21,00" in await world.sam_told("Lot #1 sold", mark)
    card = await world.sam.tap("Open the lot", "Lot #1 at auction")
    assert "1. Tina: 21,00" in card.params["text"] and "Your reserve" in card.params["text"]
    await world.bob_sees("the winning bid was 21,00")
    async with app.uow() as uow:
        deal = await uow.session.scalar(select(Deal).join(
            RequestBid, RequestBid.offer_id == Deal.offer_id).where(RequestBid.request_id == 1))
        assert deal is not None and (deal.seller_id, deal.buyer_id) == (sam.id, tina.id)
        states = dict((await uow.session.execute(select(
            BidDeposit.seller_id, BidDeposit.state).where(BidDeposit.request_id == 1))).all())
    assert states == {bob.id: "returned", tina.id: "held"}
    refunded = await app.payments.by_reference(bid_deposits.reference(1, bob.id, lot=True))
    assert refunded is not None and refunded.state == "refunded"


@pytest.mark.journey
async def test_a_slack_seller_puts_a_lot_up_in_one_modal_and_a_telegram_buyer_wins_it(world, clock):
    """Bob on Slack (signed requests into the real slack-bolt app) puts 100 t of his chips up
    with /lot in one modal (a price under a cent marked under its field); Sam on Telegram, who
    keeps an alert for chips, gets the lot's card and bids. At the close Sam wins and the deal
    is his; Bob hears who bought and finds the lot under his own heading in /requests."""
    app = world.app
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           roles=("seller",), display_name="Bob", country="EE", city="Tartu")
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("buyer",), display_name="Sam",
                           country="LV", city="Riga")
    await saved_near(app, sam, "chips", "Riga")
    await publish(app, bob, **CHIPS)

    assert (await world.bob.command("lot")).status_code == 200
    view = (await world.slack.wait_for("views.open", lambda p: '"lot"' in str(p)))["view"]
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds["deposit"] == "static_select" and kinds["delivery_from"] == "datepicker"
    answers = {**modal_defaults(view), "quantity": "100", "start": "20", "step": "0.001",
               "reserve": "21", "hours": "24", "deposit": "0"}
    wrong = await world.bob.submit(view, answers)
    assert set(wrong.json()["errors"]) == {"step"}
    done = await world.bob.submit(view, {**answers, "step": "0.10"})
    assert done.content in (b"", b"{}"), done.text
    await _settle()
    card = message_text(await world.bob_sees("Your lot is up"))
    assert "Lot #1 at auction: 100 t of Wood chips" in card and "Your reserve" in card

    await world.deliver()
    await world.telegram.wait_for("sendMessage", lambda p: p["chat_id"] == str(TELEGRAM_USER)
                                  and "Lot #1 at auction" in str(p.get("text")))
    await world.sam.tap("Bid", "at least 20,00")
    await world.sam.say("21.50", "ranked 1 of 1")

    clock.advance(days=2)
    assert await auction_close.close_due(app.uow) == [1]
    mark = world.telegram.mark()
    await world.bob_sees("Sam won at 21,50")
    assert "You won lot #1 at 21,50" in await world.sam_told("You won lot #1", mark)
    async with app.uow() as uow:
        deal = await uow.session.scalar(select(Deal).join(
            RequestBid, RequestBid.offer_id == Deal.offer_id).where(RequestBid.request_id == 1))
        assert deal is not None and (deal.seller_id, deal.buyer_id) == (bob.id, sam.id)
    assert (await world.bob.command("requests")).status_code == 200
    listed = message_text(await world.bob_sees("Your lots at auction"))
    assert "Lot #1: 100 t of Wood chips" in listed and "Your requests for supply" not in listed
