"""A Slack payer's receipt: the notice with its Receipt button, then the PDF uploaded to the DM."""

from __future__ import annotations

from sqlalchemy import select

from core.money.model import Money
from payments.tables import Invoice
from tests.payments.helpers import BUYER
from tests.slack.conftest import SlackWorld
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.pdf import pdf_text


async def test_the_payment_receipt_is_uploaded_as_a_pdf_into_the_slack_buyers_dm(slack: SlackWorld):
    buyer = await registered(slack.app, "T0AGORA:U7BOB", channel="slack", address="U7BOB")
    seller = await registered(slack.app, "sue", roles=["seller"])
    await slack.channel.start()
    view = await slack.app.payments.open("goods", "bioenergy", "deal:5", buyer.id, seller.id,
                                         Money(5_000, "EUR"), BUYER)
    await slack.app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
    await slack.app.dispatcher.run_once()

    notice = await slack.fake.wait_for("chat.postMessage", lambda p: p["channel"] == "U7BOB")
    assert "Payment of €50.00" in notice["text"]
    assert list(button_values(notice["blocks"])) == ["🧾 Receipt"]  # downloads it again
    completed = await slack.fake.wait_for("files.completeUploadExternal")
    async with slack.app.uow() as uow:
        number = (await uow.session.execute(select(Invoice.number))).scalar_one()
    assert completed["channel_id"] == "D7BOB"
    assert [f["title"] for f in completed["files"]] == [f"agora-{number}.pdf"]
    [pdf] = slack.fake.uploads.values()
    assert pdf.startswith(b"%PDF") and number in pdf_text(pdf)
