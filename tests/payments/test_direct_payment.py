"""Arranging payment directly: both parties choose it, nothing is held, and the escrow says so."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from config.container import build
from config.settings import Settings
from conversations.messages import Choice, notification_reply
from core.errors import Conflict, DomainError, NotAllowed
from core.money.events import DirectPaymentProposed, PaymentArrangedDirectly
from core.money.model import Money
from core.notifications.tables import OutboxMessage
from core.payments_port import Actor
from payments import ledger
from payments.tables import Escrow, Invoice, LedgerJournal
from tests.payments.helpers import BUYER, people, register, spy_events
from tests.support.chat import ChatUser


async def open_goods(app, amount=12_000):
    buyer, seller = await people(app)
    return await app.payments.open("goods", "bioenergy", "deal:7", buyer, seller,
                                   Money(amount, "EUR"), BUYER)


async def count(app, model):
    async with app.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(model))).scalar_one()


async def texts_to(app, account_id):
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage.payload).where(
            OutboxMessage.account_id == account_id).order_by(OutboxMessage.id))).scalars()
        return [payload["text"] for payload in rows]


def holding_ref(view):
    return ledger.user(view.payer_id, "escrow", str(view.id))


async def test_when_both_parties_choose_it_nothing_is_held_and_both_are_told(app):
    view = await open_goods(app)
    events = spy_events(app)
    first = await app.payments.choose_direct(view.id, view.payer_id)
    assert (first.state, first.direct, first.direct_payer, first.direct_payee) == (
        "awaiting_payment", False, True, False)
    assert "proposes to arrange payment" in (await texts_to(app, view.payee_id))[-1]
    both = await app.payments.choose_direct(view.id, view.payee_id)
    assert (both.state, both.direct, both.direct_payee) == ("arranged_directly", True, True)
    assert both.commission == Money(0, "EUR")
    assert [type(e) for e in events] == [DirectPaymentProposed, PaymentArrangedDirectly]
    assert await count(app, LedgerJournal) == 0 and await count(app, Invoice) == 0
    for party in (view.payer_id, view.payee_id):
        told = (await texts_to(app, party))[-1]
        assert "Agora holds nothing" in told and "no commission" in told
        assert "buyer protection do not apply" in told
    async with app.uow() as uow:
        row = await uow.session.get(Escrow, view.id)
        assert row.changed_by == f"account:{view.payee_id}" and "directly" in row.change_reason


async def test_a_decline_after_one_choice_keeps_the_escrow_payable(app):
    view = await open_goods(app)
    await app.payments.choose_direct(view.id, view.payer_id)
    kept = await app.payments.decline_direct(view.id, view.payee_id)
    assert (kept.state, kept.direct_payer, kept.direct_payee) == ("awaiting_payment", False, False)
    assert "keeps the escrow" in (await texts_to(app, view.payer_id))[-1]
    paid = await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
    assert paid.state == "held" and not paid.direct


async def test_the_payer_can_still_pay_before_the_payee_agrees_and_then_agreeing_is_refused(app):
    view = await open_goods(app)
    await app.payments.choose_direct(view.id, view.payer_id)
    assert (await app.payments.pay_with_test_card(view.id, "4242424242424242")).state == "held"
    with pytest.raises(Conflict, match="already held"):
        await app.payments.choose_direct(view.id, view.payee_id)


async def test_paying_after_both_agreed_is_refused_and_declining_too(app):
    view = await open_goods(app)
    await app.payments.choose_direct(view.id, view.payee_id)
    await app.payments.choose_direct(view.id, view.payer_id)
    with pytest.raises(Conflict, match="agreed to arrange"):
        await app.payments.pay_with_test_card(view.id, "4242424242424242")
    with pytest.raises(Conflict, match="agreed to arrange"):
        await app.payments.decline_direct(view.id, view.payer_id)
    assert (await app.payments.get(view.id)).state == "arranged_directly"
    assert await count(app, LedgerJournal) == 0


async def test_someone_who_is_neither_payer_nor_payee_is_refused(app):
    view = await open_goods(app)
    eve = await register(app, "eve", ["buyer"])
    with pytest.raises(NotAllowed):
        await app.payments.choose_direct(view.id, eve)
    with pytest.raises(NotAllowed):
        await app.payments.decline_direct(view.id, eve)


async def test_only_goods_can_be_paid_directly(app):
    buyer, expert = await people(app)
    booking = await app.payments.open("session", "consulting", "booking:1", buyer, expert,
                                      Money(5_000, "EUR"), BUYER)
    with pytest.raises(DomainError, match="Only payment for goods"):
        await app.payments.choose_direct(booking.id, buyer)


async def test_two_agreements_at_the_same_moment_make_one_transition(app):
    view = await open_goods(app)
    events = spy_events(app)
    results = await asyncio.gather(app.payments.choose_direct(view.id, view.payer_id),
                                   *(app.payments.choose_direct(view.id, view.payee_id)
                                     for _ in range(3)))
    assert any(r.direct for r in results)
    assert (await app.payments.get(view.id)).state == "arranged_directly"
    assert [type(e) for e in events].count(PaymentArrangedDirectly) == 1
    told = [t for party in (view.payer_id, view.payee_id) for t in await texts_to(app, party)
            if "is arranged directly" in t]
    assert len(told) == 2


async def test_the_setting_turns_direct_payment_off(db_url, clock, mailbox, tmp_path):
    settings = Settings(database_url=db_url, environment="test", data_dir=str(tmp_path / "data"),
                        direct_payment=False)  # type: ignore[call-arg]
    app = build(settings, clock=clock, senders={"email": mailbox})
    try:
        view = await open_goods(app)
        with pytest.raises(DomainError, match="turned off on this marketplace"):
            await app.payments.choose_direct(view.id, view.payer_id)
        bob = ChatUser(app, "bob")
        await bob.send(Choice(f"@go:pay:{view.id}"))
        assert not any("Arrange payment directly" in label for label in bob.labels())
    finally:
        await app.close()


async def test_in_chat_the_buyer_proposes_it_and_the_seller_agrees_from_the_notification(app):
    view = await open_goods(app)
    bob, sue = ChatUser(app, "bob"), ChatUser(app, "sue")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "Type a test card number" in bob.texts()
    await bob.tap("Arrange payment directly")
    assert "We asked the seller" in bob.texts() and bob.button("Pay through Agora")
    async with app.uow() as uow:
        # The newest of the payee's notices (by id: PostgreSQL returns rows in no set order,
        # and a table emptied by DELETE fills its free space again).
        note = (await uow.session.execute(select(OutboxMessage.payload).where(
            OutboxMessage.account_id == view.payee_id).order_by(OutboxMessage.id.desc())
        )).scalars().first()
    buttons = [b for row in notification_reply(note).buttons for b in row]
    agree = next(b.data for b in buttons if b.label.startswith("Agree"))
    assert any(b.label == "Keep escrow" for b in buttons)
    await register(app, "eve", ["buyer"])
    eve = ChatUser(app, "eve")
    await eve.send(Choice(agree))
    assert "someone else's" in eve.texts()
    await sue.send(Choice(agree))
    assert "Agora holds nothing" in sue.texts()
    assert "Agora holds nothing" in (await texts_to(app, view.payer_id))[-1]
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "already arranged directly" in bob.texts()
    await sue.send(Choice(f"@go:direct:no:{view.id}"))
    assert "agreed to arrange this payment directly" in sue.texts()


async def test_in_chat_a_stale_agreement_after_payment_is_refused_politely(app):
    view = await open_goods(app)
    bob, sue = ChatUser(app, "bob"), ChatUser(app, "sue")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    await bob.tap("Arrange payment directly")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "until the seller agrees you can pay here" in bob.texts()
    assert not any("Arrange payment directly" in label for label in bob.labels())
    await bob.say("4242 4242 4242 4242")
    assert "Paid €120.00" in bob.texts()
    await sue.send(Choice(f"@go:direct:yes:{view.id}"))
    assert "This payment is already held." in sue.texts()


async def test_a_provider_payment_arriving_after_both_agreed_is_refunded_in_full_once(app):
    """A checkout page left open and paid late: the webhook's confirmation refunds it at once."""
    view = await open_goods(app)
    await app.payments.choose_direct(view.id, view.payer_id)
    await app.payments.choose_direct(view.id, view.payee_id)
    late = Actor("system:webhook", "checkout completed")
    for _ in range(2):  # the provider retries its webhook: one refund, one pair of journals
        after = await app.payments.confirm_payment(view.id, "ch_late", late)
    assert after.state == "arranged_directly"
    refunds = [call for call in app.payments.provider.calls if call[0] == "refund"]
    assert refunds == [("refund", f"late-refund:{view.id}")] * 2  # same key: refunded once
    async with app.uow() as uow:
        kinds = sorted((await uow.session.execute(select(LedgerJournal.kind).where(
            LedgerJournal.escrow_id == view.id))).scalars())
        held = await ledger.balance(uow, holding_ref(view), "EUR")
    assert (kinds, held) == (["fund", "refund"], 0)
    told = [t for t in await texts_to(app, view.payer_id) if "refunded in full" in t]
    assert len(told) == 1


async def test_someone_notified_by_email_can_answer_by_typing_the_command(app):
    view = await open_goods(app)
    await app.payments.choose_direct(view.id, view.payer_id)
    async with app.uow() as uow:
        # The newest of the payee's notices (by id: PostgreSQL returns rows in no set order,
        # and a table emptied by DELETE fills its free space again).
        note = (await uow.session.execute(select(OutboxMessage.payload).where(
            OutboxMessage.account_id == view.payee_id).order_by(OutboxMessage.id.desc())
        )).scalars().first()
    email = app.engine.registry.email_text(note)
    assert f"type /direct yes {view.id} in" in email and f"type /direct no {view.id} in" in email
    sue = ChatUser(app, "sue")
    await sue.say(f"/direct no {view.id}")
    assert "Escrow kept" in sue.texts()
    await sue.say(f"/direct maybe {view.id}")
    assert "Use /direct yes PAYMENT or /direct no PAYMENT." in sue.texts()
    await sue.say(f"/direct yes {view.id}x")
    assert "There is no such payment." in sue.texts()
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
