"""Money receipts reach both Telegram parties as PDF documents, through the real PTB bot."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.intents import AccountIntent
from core.actions import Action
from core.money.model import Money
from core.notifications.delivery import Attachment
from core.notifications.outbox import notify
from payments.tables import Invoice
from tests.payments.helpers import BUYER
from tests.support.accounts import registered
from tests.support.pdf import pdf_text
from tests.telegram.conftest import keyboard


async def test_buyer_and_seller_each_receive_the_payment_receipt_as_a_pdf_document(bot, fake):
    container, _ = bot
    buyer = await registered(container, "6161", channel="telegram", display_name="Bob")
    seller = await registered(container, "6262", channel="telegram", roles=["seller"],
                              display_name="Sue")
    view = await container.payments.open("goods", "bioenergy", "deal:9", buyer.id, seller.id,
                                         Money(12_000, "EUR"), BUYER)
    await container.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
    fake.mark()
    await container.dispatcher.run_once()

    async with container.uow() as uow:
        number = (await uow.session.execute(select(Invoice.number))).scalar_one()
    for chat, text in (("6161", "✅ Payment of €120.00"), ("6262", "💰 The buyer's payment")):
        [sent] = [c for c in fake.sent("sendDocument") if c.params["chat_id"] == chat]
        document = sent.params["document"]
        assert document["filename"] == f"agora-{number}.pdf"
        assert document["content"].startswith(b"%PDF") and number in pdf_text(document["content"])
        assert sent.params["caption"].startswith(text)  # one message: the text is the caption
        assert [b["text"] for row in keyboard(sent) for b in row] == ["🧾 Receipt"]
        assert fake.texts(int(chat)) == []  # and no second copy of the text


async def test_a_long_notice_goes_as_text_first_then_the_document(bot, fake):
    container, _ = bot
    account = await registered(container, "6363", channel="telegram")

    async def resolver(key: str) -> Attachment:
        return Attachment("r.pdf", b"%PDF-1.7 " + key.encode(), "application/pdf")

    container.attachments["test"] = resolver
    async with container.uow() as uow:
        await notify(uow, account.id, "x" * 1500, attachment={"kind": "test", "key": "k"},
                     buttons=[[Action(AccountIntent.PROFILE, "Open")]])
        await uow.commit()
    fake.mark()
    await container.dispatcher.run_once()
    calls = [c for c in fake.calls[fake.window_start:] if c.params.get("chat_id") == "6363"]
    assert [c.method for c in calls] == ["sendMessage", "sendDocument"]
    assert keyboard(calls[0]) == [[{"text": "Open", "callback_data": "@do:profile:"}]]
    assert calls[1].params["document"]["content"] == b"%PDF-1.7 k"
