"""Carbon tracked over time, end to end: a deal between a Telegram seller and a Slack buyer
completes; the buyer's /deals on Slack shows what it avoided and sends the yearly statement
(a PDF in Slack), his App Home shows the total and sends it too, and the seller's /deals on
Telegram shows what he supplied and sends his statement (a PDF in Telegram) — the real
python-telegram-bot application against a fake Bot API, signed requests into the real
slack-bolt app."""

from __future__ import annotations

import pytest

from core.deals import deals
from core.deals.after_sale import service as after_sale
from tests.catalog.helpers import publish
from tests.deals.chat_helpers import agreed_between
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.pdf import pdf_text
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.journey
async def test_a_completed_deal_counts_in_both_parties_carbon_on_their_own_channels(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, sam, quantity="500", min_order="20")
    deal_id = await agreed_between(app, listing_id, bob.id, sam.id, "100", "220")
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)  # 100 t of pellets: 126.144 t
        await uow.commit()
    await world.deliver()
    await world.bob_sees("Deal completed")

    # Bob, on Slack: /deals shows the total (in his Estonian number format), one tap sends
    # the yearly statement.
    await world.bob.command("deals")
    await _settle()
    await world.bob_sees("CO₂e avoided by what you bought: 126,1 t CO₂e in 2026, 126,1 t "
                         "CO₂e in all (Wood pellets 126,1 t CO₂e)")
    before = set(world.slack.uploads)
    await world.bob_presses("Carbon statement")
    await world.bob_sees("Your carbon statement 2026")
    [statement] = [world.slack.uploads[k] for k in world.slack.uploads if k not in before]
    text = flat(pdf_text(statement))
    assert "Carbon statement 2026" in text and f"Deal #{deal_id}" in text
    assert "Avoided by what you bought 126,1 t CO₂e · deals: 1" in text
    assert "RED II fossil fuel comparator for heat: 80 g CO₂e/MJ" in text

    # His App Home shows it beside his deals, with the statement a tap away there too.
    await world.bob.open_home()
    home = await world.slack.wait_for("views.publish")
    assert "CO₂e avoided by what you bought: 126,1 t CO₂e in 2026" in message_text(
        {"blocks": home["view"]["blocks"]})
    pressed = button_values(home["view"]["blocks"])["🌱 Carbon statement"]
    before = set(world.slack.uploads)
    assert (await world.bob.click(pressed, container="view")).status_code == 200
    await _settle()
    await world.bob_sees("Your carbon statement 2026")
    [again] = [world.slack.uploads[k] for k in world.slack.uploads if k not in before]
    assert "Carbon statement 2026" in pdf_text(again)

    # Sam, on Telegram: /deals shows what he supplied; his statement comes as a document.
    shown = await world.sam.say("/deals", "CO₂e avoided by what you supplied")
    assert "126,1 t CO₂e in 2026" in shown.params["text"]  # Latvian figures
    mark = world.telegram.mark()
    await world.sam.tap("Carbon statement", "Your carbon statement 2026")
    sent = await world.telegram.wait_for("sendDocument", since=mark)
    assert sent.params["chat_id"] == str(TELEGRAM_USER)
    assert sent.params["document"]["filename"] == "agora-carbon-statement-2026.pdf"
    sold = flat(pdf_text(sent.params["document"]["content"]))
    assert "Avoided by what you supplied 126,1 t CO₂e · deals: 1" in sold
    assert f"Deal #{deal_id}" in sold and "supplied" in sold
