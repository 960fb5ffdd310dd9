"""Money in chat: /wallet, paying with a test card in the terminal, receipts, payout set-up."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, FileReply, notification_reply
from core.money.model import Money
from core.notifications.tables import OutboxMessage
from payments.tables import Invoice
from tests.payments.helpers import BUYER, held_escrow, people, register
from tests.support.chat import ChatUser


async def open_deal(app, amount=12_000):
    buyer, seller = await people(app)
    return await app.payments.open("goods", "bioenergy", "deal:42", buyer, seller,
                                   Money(amount, "EUR"), BUYER)


async def test_the_buyer_pays_in_the_terminal_with_a_test_card_after_a_declined_one(app):
    view = await open_deal(app)
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "€120.00" in bob.texts() and "TEST MODE" in bob.texts()
    assert "€114.00 after the €6.00 platform commission" in bob.texts()
    await bob.say("4000 0000 0000 0002")
    assert "declined" in bob.texts()
    await bob.say("4242 4242 4242 4242")
    assert "Paid €120.00" in bob.texts()
    assert (await app.payments.get(view.id)).state == "held"


async def test_only_the_payer_can_pay(app):
    view = await open_deal(app)
    await ChatUser(app, "sue").send(Choice(f"@go:pay:{view.id}"))
    sue = ChatUser(app, "sue")
    await sue.send(Choice(f"@go:pay:{view.id}"))
    assert "someone else's" in sue.texts()


async def test_the_wallet_shows_held_money_and_after_release_the_sellers_payout(app):
    view = await open_deal(app)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    bob, sue = ChatUser(app, "bob"), ChatUser(app, "sue")
    await bob.say("/wallet")
    assert "Held for your purchases: €120.00" in bob.texts()
    await sue.say("/wallet")
    assert "Incoming (in escrow for you): €120.00" in sue.texts()
    await app.payments.release(view.id, BUYER)
    await sue.say("/wallet")
    assert "Paid out: €114.00" in sue.texts()
    assert "+€114.00  Payout for deal #42 (paid out)" in sue.texts()


async def test_a_receipt_button_in_a_payment_message_sends_the_pdf_to_its_party_only(app):
    view = await open_deal(app)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    async with app.uow() as uow:
        payloads = (await uow.session.execute(select(OutboxMessage.payload))).scalars().all()
    data = next(b.data for p in payloads for row in notification_reply(p).buttons for b in row
                if b.data.startswith("@do:receipt:"))
    bob = ChatUser(app, "bob")
    replies = await bob.send(Choice(data))
    pdf = next(r for r in replies if isinstance(r, FileReply))
    assert pdf.content.startswith(b"%PDF") and pdf.mime_type == "application/pdf"
    await register(app, "eve", ["buyer"])
    eve = ChatUser(app, "eve")
    await eve.send(Choice(data))
    assert "There is no such invoice" in eve.texts()


async def test_the_seller_s_payout_statement_is_not_the_buyer_s_to_download(app):
    view = await held_escrow(app)
    await app.payments.release(view.id, BUYER)
    async with app.uow() as uow:
        token = (await uow.session.execute(select(Invoice.token).where(
            Invoice.kind == "payout"))).scalars().first()
    bob, sue = ChatUser(app, "bob"), ChatUser(app, "sue")
    await bob.send(Choice(f"@go:invoice:{token}"))
    assert "There is no such invoice" in bob.texts()
    replies = await sue.send(Choice(f"@go:invoice:{token}"))
    assert any(isinstance(r, FileReply) for r in replies)


async def test_payouts_need_no_set_up_in_test_mode(app):
    await people(app)
    sue = ChatUser(app, "sue")
    await sue.say("/payouts")
    assert "no set-up" in sue.texts()


async def test_only_the_payer_may_pay_and_only_while_the_payment_waits_through_the_service(app):
    import pytest

    from core.errors import Conflict, NotAllowed

    view = await open_deal(app)
    with pytest.raises(NotAllowed):
        await app.payments.payable(view.id, view.payee_id)
    assert (await app.payments.payable(view.id, view.payer_id)).id == view.id
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    with pytest.raises(Conflict):
        await app.payments.payable(view.id, view.payer_id)
