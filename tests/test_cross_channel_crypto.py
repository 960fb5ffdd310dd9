"""A deal paid in crypto across channels: a seller on Telegram (the real python-telegram-bot
application against a fake Bot API) and a buyer on Slack (signed requests into the real
slack-bolt app, a fake Web API). At the deal's pay step the buyer chooses "Crypto (USDC, BTC…)",
gets the invoice's link, pays the sandbox's test invoice in two parts (told what is still due
in between), and both are told the money is held, each on their own channel. Then the other
way round: the Telegram user buys from the Slack user and pays in crypto from Telegram."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from core.deals import deals
from core.deals.offers import service as offers
from core.deals.terms import service as deal_terms
from core.money.model import Money
from payments import ledger
from tests.catalog.helpers import publish
from tests.deals.test_offers import terms
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.telegram.conftest import keyboard


async def _agreed(app, sam, bob):
    """Bob's offer for 100 t at 220.00 € accepted by Sam, and both accepted its terms."""
    listing_id = await publish(app, sam, quantity="500", min_order="20")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, terms(quantity="100"))
        deal = await offers.accept(uow, offer.id, sam.id)
        version = await deal_terms.current(uow, deal.id)
        await deal_terms.accept(uow, deal.id, bob.id, version.sha256)
        await deal_terms.accept(uow, deal.id, sam.id, version.sha256)
        await uow.commit()
    return deal.id


def _form(page: str) -> str:
    return page.split('name="payment_ref" value="', 1)[1].split('"', 1)[0]


@pytest.mark.journey
async def test_a_slack_buyer_pays_a_telegram_sellers_deal_in_crypto_and_both_are_told(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller", "buyer"),
                           display_name="Sam")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           roles=("buyer", "seller"), display_name="Bob")
    deal_id = await _agreed(app, sam, bob)
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    assert escrow is not None and escrow.state == "awaiting_payment"

    await world.bob_sees("into escrow")
    await world.bob_presses("💳 Pay")  # the deal's card becomes the payment: its ways to pay
    await world.bob_presses("🪙 Crypto (USDC, BTC…)")
    await world.bob_sees("in crypto")
    link = next(e["url"] for m in world.slack.shown(SLACK_USER) for b in m["blocks"]
                for e in b.get("elements") or [] if "crypto" in (e.get("url") or ""))
    assert link == escrow.pay_url + "/crypto"

    invoice = await world.http.get(urlparse(link).path)
    assert invoice.status_code == 200 and "TEST MODE" in invoice.text
    part = await world.http.post(urlparse(link).path + "/send",
                                 data={"payment_ref": _form(invoice.text), "amount": "2000"})
    assert part.status_code == 200
    await world.bob_sees("is still due")  # told on Slack what is missing, with a button
    await world.bob_presses("Pay the rest in crypto")
    rest = await world.http.get(urlparse(link).path)
    paid = await world.http.post(urlparse(link).path + "/send",
                                 data={"payment_ref": _form(rest.text), "amount": "20000"})
    assert paid.status_code == 200 and "held" in paid.text
    assert (await app.payments.get(escrow.id)).state == "held"

    mark = world.telegram.mark()
    await world.bob_sees("held in escrow")
    told = await world.sam_told("held in escrow", mark)
    assert "22\xa0000,00\xa0€" in told or "22,000.00" in told
    assert (await app.payments.wallet(bob.id)).held == [Money.parse("22000", "EUR")]

    # The other way round: Sam buys from Bob and chooses crypto on Telegram.
    second = await _agreed(app, bob, sam)
    escrow = await app.payments.by_reference(deals.reference(second))
    assert escrow is not None
    await world.sam_told("into escrow", world.telegram.mark())
    await world.sam.tap("Pay", "Payment of")
    answer = await world.sam.tap("Crypto (USDC", "in crypto")
    [url] = [b["url"] for row in keyboard(answer) for b in row if b.get("url")]
    assert url == escrow.pay_url + "/crypto" and "TEST MODE" in answer.params["text"]
    invoice = await world.http.get(urlparse(url).path)
    await world.http.post(urlparse(url).path + "/send",
                          data={"payment_ref": _form(invoice.text), "amount": "22000"})
    assert (await app.payments.get(escrow.id)).state == "held"
    mark = world.telegram.mark()
    await world.sam_told("held in escrow", mark)
    await world.bob_sees("The buyer's payment of")  # Bob, the seller now, on Slack
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
