"""An independent inspection across channels: a Slack buyer's deal with a Telegram seller (the
real python-telegram-bot application against a fake Bot API, signed requests into the real
slack-bolt app); the buyer books an inspector who offers sampling and lab analysis in the
goods' country (not one who samples elsewhere) from the deal card and authorises the fee; the
inspector, on Telegram in German, reads the deal's quality terms, accepts, sends the sampling
record and enters the lab's figures with decimal commas (the calorific value in kWh/kg); both
parties see the adjustment those figures give; the buyer reports them, the seller accepts; the
fee is captured less the consulting commission, the ledger balances, and the sampling record is
in the deal's documents."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from core.consulting.inspections.rules import reference
from core.deals.tables import QualityReport
from core.money.model import Money
from tests.consulting.inspection_helpers import CARD, balanced, inspector, shipped_deal
from tests.deals.test_deal_payments import status_of
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.telegram.conftest import TelegramUser
from tests.test_cards_kept_current import labels, telegram_card
from tests.test_cross_channel_freight import told_on_telegram

INES_TG = TELEGRAM_USER + 9
PDF = b"%PDF-1.4 sampling record\n%%EOF\n"


@pytest.mark.journey
async def test_a_slack_buyer_books_a_german_telegram_inspector_whose_figures_settle_the_quality(
        world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tartu")
    ines = await inspector(app, str(INES_TG), channel="telegram", language="de")
    await inspector(app, "otto", display_name="Otto Labor", countries=("DE",))  # not in Latvia
    # At most 10 % moisture and at least 16.5 MJ/kg, each point off 2 % of the 220 € price.
    __, __, deal_id = await shipped_deal(app, sam, bob)

    # Bob books Ines from his deal card on Slack and authorises her fee.
    await world.bob.command("deals")
    await _settle()
    await world.bob_presses("Open")
    await world.bob_presses("Book an inspection")
    offered = await world.bob_sees("Book an independent inspector for deal #1")
    assert "Inspectors who sample in Latvia" in str(offered)  # the goods' country
    assert [n for n in button_values(offered.get("blocks")) if "Labor" in n or "Prüf" in n] == [
        "Ines Prüf · 150,00\xa0€"]  # in Bob's conventions (Estonia)
    await world.bob_presses("Ines Prüf")
    await world.bob_sees("Authorise the inspection fee")
    fee = await app.payments.by_reference(reference(1))
    assert fee is not None and (fee.payer_id, fee.payee_id, fee.amount) == (
        bob.id, ines.id, Money(15000, "EUR"))
    mark = world.telegram.mark()
    paid = await world.http.post(urlparse(fee.pay_url).path, data={"card_number": CARD})
    assert paid.status_code == 200 and (await app.payments.get(fee.id)).state == "authorised"

    # Ines reads the quality terms in German, without the parties or the price, and accepts.
    card = await told_on_telegram(world, INES_TG, "Inspektion #1 für Deal #1", mark)
    assert "Feuchte / Moisture: höchstens 10" in card and "16,5 MJ/kg" in card
    assert "Sam" not in card and "Bob" not in card and "220" not in card
    ines_tg = TelegramUser(world.telegram, INES_TG)
    await ines_tg.tap("Annehmen", "Angenommen: Nehmen Sie Proben")
    card = await ines_tg.tap("Inspektion", "Status: angenommen")  # the card, with her steps
    assert "📎 Probenahmeprotokoll senden" in ines_tg.labels(card)
    await world.bob_sees("accepted the inspection of deal #1")
    # Each party's latest deal card is rewritten to show the inspection and its button, as
    # the card opened from /deals does: on Slack and on Telegram.
    line = "🔬 Inspection by Ines Prüf: accepted"
    bobs = await world.bob_sees(line)
    assert "🔬 Inspection" in button_values(bobs.get("blocks"))
    sams = telegram_card(world, line)
    assert "🔬 Inspection" in labels(sams) and "🤝 Open the deal" in labels(sams)
    await ines_tg.tap("Probenahmeprotokoll senden", "PDF")
    world.telegram.files[f"D{INES_TG}"] = PDF
    document = world.telegram.document(INES_TG, "probenahme.pdf", "application/pdf", len(PDF))
    await ines_tg.send(document, "Probenahmeprotokoll gespeichert")
    await ines_tg.tap("Laborergebnisse eingeben", "Feuchte")
    await ines_tg.say("11,5", "Asche")
    await ines_tg.say("0,8", "Heizwert")
    await ines_tg.say("4,75", "Einheit des Heizwerts")  # in kWh/kg: 17.1 MJ/kg, above its limit
    await ines_tg.tap("kWh/kg", "Ergebnisse gesendet")

    # Both see the figures and the adjustment: 1.5 points too wet, 4.40 € each a tonne, on 100 t: 660 €.
    await world.bob_sees("take 660,00\xa0€ off the price")
    await told_on_telegram(world, TELEGRAM_USER, "take 660,00", mark)
    # Sam's deal card follows the inspection to its results, the sampling record offered; its
    # inspection button opens the inspection, the figures in his numbers (Riga's).
    sams = world.telegram.messages[sams["message_id"]]
    assert "🔬 Inspection by Ines Prüf: results delivered" in sams["text"]
    assert {"🔬 Inspection", "📄 Sampling record"} <= set(labels(sams))
    await world.sam.tap("🔬 Inspection", "Moisture 11,5%, Ash 0,8%, NCV 17,1 MJ/kg",
                        message_id=sams["message_id"])
    assert PDF in world.slack.uploads.values()  # the sampling record, with the results
    await world.bob_presses("Report quality with these figures")
    await world.bob_presses("Report these figures")
    async with app.uow() as uow:
        report = await uow.get(QualityReport, deal_id)
        assert report is not None and report.measured_by == "Ines Prüf"
        assert report.measured == {"moisture": "11.5", "ash": "0.8", "ncv": "17.1"}  # Decimal text
        assert report.adjustment_minor == 66000
    sam_tg = world.sam
    adjustment = await told_on_telegram(world, TELEGRAM_USER, "by independent inspector Ines Prüf",
                                        mark)
    assert "Measured: Moisture 11,5%, Ash 0,8%, NCV 17,1 MJ/kg" in adjustment  # as Riga writes
    await sam_tg.tap("Accept the price adjustment", "Deal #1")
    await sam_tg.tap("Accept the adjustment", "Done")
    assert await status_of(app, deal_id) == "completed"

    # Her fee is captured less the consulting commission; the ledger balances.
    captured = await app.payments.get(fee.id)
    assert captured.state == "captured"
    assert captured.commission == app.payments.commission_for("consulting", Money(15000, "EUR"))
    assert await balanced(app)

    # The sampling record is on the deal card, for both parties.
    await world.bob.command("deals")
    await _settle()
    await world.bob_presses("Open")
    uploads = len(world.slack.uploads)
    await world.bob_presses("Sampling record")
    await world.slack.wait_for("files.completeUploadExternal")
    assert len(world.slack.uploads) == uploads + 1 and PDF in world.slack.uploads.values()
