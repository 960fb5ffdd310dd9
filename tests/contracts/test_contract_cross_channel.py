"""A framework contract across channels, end to end: a buyer on Slack (signed requests into the
real slack-bolt app) offers 3 monthly call-offs, a seller on Telegram (the real
python-telegram-bot application) accepts; both accept the terms once; call-off 1 is paid on the
sandbox page; on its date call-off 2 is called and each hears it on their own channel."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from core.deals import contract_due, deals
from tests.catalog.helpers import publish
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_a_slack_buyer_and_a_telegram_seller_run_a_contract_of_call_offs(world, clock):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")

    await world.bob_drafts_an_offer(listing_id, "100", "200")
    await world.bob_presses("Deliver in call-offs")
    await world.bob_fills({"call_offs": "3", "call_off_every": "month"})
    await world.bob_sees("In 3 call-offs, monthly: 300 t")
    await world.bob_presses("Send")
    await world.bob_sees("Sent (offer #")
    mark = world.telegram.mark()
    await world.deliver()
    card = await world.sam_told("Offer #", mark)
    assert "Deliver in call-offs: 3 call-offs, monthly" in card
    await world.sam.tap("Accept", "deal #")

    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("accepts the whole contract")
    await world.bob_presses("accept the terms")
    await world.bob_fills({"street": "Pärnu mnt 10", "postcode": "10148"})
    await world.bob_sees("Billing details saved")
    await world.bob_presses("Accept version 1")
    await world.bob_sees("Waiting for the other party")
    await world.sam_accepts_the_first_terms()
    await world.deliver()
    await world.bob_sees("is running: 3 call-offs, monthly")
    await world.bob_sees("Pay 24\xa0200,00\xa0€ into escrow")  # with Sam's 21 % Latvian VAT
    escrow = await app.payments.by_reference(deals.reference(1))
    assert escrow is not None
    paid = await world.http.post(urlparse(escrow.pay_url).path,
                                 data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200 and (await app.payments.get(escrow.id)).state == "held"

    clock.advance(days=27)  # 17 Dec: three days before call-off 2, both hear of it
    await contract_due.run(app.uow)
    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("call-off 2 of 3 — 100 t, 24\xa0200,00\xa0€ — is due on")  # with VAT
    assert "the buyer pays it into escrow then" in await world.sam_told("call-off 2 of 3", mark)
    clock.advance(days=3)
    await contract_due.run(app.uow)
    await contract_due.run(app.uow)  # twice: one call-off
    mark = world.telegram.mark()
    await world.deliver()
    await world.bob_sees("Deal #2 (call-off 2 of 3, contract #1): 📦 Called off")
    assert "you ship once it is held" in await world.sam_told("Called off", mark)
    second = await app.payments.by_reference(deals.reference(2))
    assert second is not None and second.state == "awaiting_payment"
    assert await app.payments.by_reference(deals.reference(3)) is None
