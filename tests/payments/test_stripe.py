"""Stripe end to end: the real SDK against localstripe (+ a Connect fake), webhooks through the server."""

from __future__ import annotations

from sqlalchemy import func, select

from conversations.messages import notification_reply
from core.money.model import Money
from payments import ledger
from payments.ledger import platform, user
from payments.tables import LedgerJournal, ProviderEvent
from tests.payments.helpers import ADMIN, BUYER, people


async def funded_deal(world, amount=20_000, reference="deal:s1"):
    buyer, seller = await people(world.app)
    view = await world.app.payments.open("goods", "bioenergy", reference, buyer, seller,
                                         Money(amount, "EUR"), BUYER)
    token = await _token(world, view.id)
    intent = await world.buyer_pays(token, amount)
    reply = await world.deliver("payment_intent.succeeded", intent)
    assert reply.status_code == 200
    return await world.app.payments.get(view.id), intent


def charge_id(intent):
    charge = intent["latest_charge"]
    return charge["id"] if isinstance(charge, dict) else charge  # localstripe expands it


async def _token(world, escrow_id):
    from payments.tables import Escrow
    async with world.app.uow() as uow:
        return (await uow.session.get(Escrow, escrow_id)).pay_token


async def balance(world, ref):
    async with world.app.uow() as uow:
        return await ledger.balance(uow, ref, "EUR")


async def test_the_buyer_is_sent_to_a_stripe_checkout_page_for_the_deal(stripe_world):
    buyer, seller = await people(stripe_world.app)
    view = await stripe_world.app.payments.open("goods", "bioenergy", "deal:c1", buyer, seller,
                                                Money(5_000, "EUR"), BUYER)
    session = stripe_world.fake.sessions[-1]["form"]
    assert session["payment_intent_data[transfer_group]"] == "deal:c1"
    assert session["line_items[0][price_data][unit_amount]"] == "5000"
    assert session["payment_method_types[0]"] == "card"
    assert view.state == "awaiting_payment"


async def test_a_paid_deal_is_held_and_released_by_a_transfer_from_its_charge_once_onboarded(
        stripe_world):
    view, intent = await funded_deal(stripe_world)
    assert view.state == "held"
    released = await stripe_world.app.payments.release(view.id, BUYER)
    assert released.state == "released" and stripe_world.fake.transfers == []
    assert await balance(stripe_world, user(view.payee_id, "payable")) == 19_000
    wallet = await stripe_world.app.payments.wallet(view.payee_id)
    assert not wallet.payouts_ready and wallet.pending == [Money(19_000, "EUR")]

    link = await stripe_world.app.payments.onboarding_link(view.payee_id)
    assert link and link.startswith("https://connect.stripe.test/setup/acct_")
    account = next(iter(stripe_world.fake.accounts.values()))
    ready = {**account, "charges_enabled": True, "payouts_enabled": True}
    assert (await stripe_world.deliver("account.updated", ready)).status_code == 200

    [transfer] = stripe_world.fake.transfers
    assert transfer["amount"] == 19_000 and transfer["destination"] == account["id"]
    assert transfer["source_transaction"] == charge_id(intent)
    assert transfer["transfer_group"] == "deal:s1"
    assert await balance(stripe_world, user(view.payee_id, "paid_out")) == 19_000
    assert await balance(stripe_world, platform("commission")) == 1_000


async def test_a_partial_refund_goes_back_to_the_card_through_stripe(stripe_world):
    view, intent = await funded_deal(stripe_world)
    await stripe_world.app.payments.refund(view.id, Money(5_000, "EUR"), ADMIN)
    refunds = await stripe_world.client.v1.refunds.list_async({"charge": charge_id(intent)})
    assert [r.amount for r in refunds.data] == [5_000]
    assert (await stripe_world.app.payments.get(view.id)).refunded == Money(5_000, "EUR")


async def session_authorised(world, amount=6_000, reference="booking:s1"):
    buyer, consultant = await people(world.app)
    view = await world.app.payments.open("session", "consulting", reference, buyer, consultant,
                                         Money(amount, "EUR"), BUYER)
    intent = await world.buyer_pays(await _token(world, view.id), amount, manual=True)
    assert intent["status"] == "requires_capture"
    await world.deliver("payment_intent.amount_capturable_updated", intent)
    return await world.app.payments.get(view.id), intent


async def test_a_session_authorisation_is_captured_in_part_with_amount_to_capture(stripe_world):
    view, intent = await session_authorised(stripe_world)
    assert view.state == "authorised"
    captured = await stripe_world.app.payments.capture(view.id, Money(4_000, "EUR"), ADMIN)
    assert captured.state == "captured"
    after = await stripe_world.intent(intent["id"])
    assert after["status"] == "succeeded"
    charge = await stripe_world.client.v1.charges.retrieve_async(charge_id(after))
    assert charge.amount - charge.amount_refunded == 4_000


async def test_a_session_authorisation_is_voided_by_cancelling_the_payment_intent(stripe_world):
    view, intent = await session_authorised(stripe_world)
    voided = await stripe_world.app.payments.void(view.id, BUYER)
    assert voided.state == "voided"
    assert (await stripe_world.intent(intent["id"]))["status"] == "canceled"


async def test_a_full_capture_charges_the_whole_authorisation(stripe_world):
    view, intent = await session_authorised(stripe_world)
    await stripe_world.app.payments.capture(view.id, Money(6_000, "EUR"), ADMIN)
    charge = await stripe_world.client.v1.charges.retrieve_async(
        charge_id(await stripe_world.intent(intent["id"])))
    assert (charge.amount, charge.amount_refunded, charge.captured) == (6_000, 0, True)


async def test_a_tampered_or_unsigned_webhook_is_refused_and_changes_nothing(stripe_world):
    buyer, seller = await people(stripe_world.app)
    view = await stripe_world.app.payments.open("goods", "bioenergy", "deal:t1", buyer, seller,
                                                Money(5_000, "EUR"), BUYER)
    intent = await stripe_world.buyer_pays(await _token(stripe_world, view.id), 5_000)
    tampered = await stripe_world.deliver("payment_intent.succeeded", intent, tamper=True)
    unsigned = await stripe_world.deliver("payment_intent.succeeded", intent, signature=None)
    assert (tampered.status_code, unsigned.status_code) == (400, 400)
    assert (await stripe_world.app.payments.get(view.id)).state == "awaiting_payment"
    async with stripe_world.app.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(ProviderEvent))
                ).scalar() == 0


async def test_a_replayed_webhook_is_acknowledged_and_counted_once(stripe_world):
    view, intent = await funded_deal(stripe_world, reference="deal:r1")
    again = await stripe_world.deliver("payment_intent.succeeded", intent, event_id="evt_same")
    replay = await stripe_world.deliver("payment_intent.succeeded", intent, event_id="evt_same")
    assert again.status_code == 200 and replay.json() == {"duplicate": True}
    async with stripe_world.app.uow() as uow:
        funds = select(func.count(LedgerJournal.id)).where(LedgerJournal.key == f"fund:{view.id}")
        assert (await uow.session.execute(funds)).scalar() == 1


async def test_unknown_event_types_are_acknowledged(stripe_world):
    reply = await stripe_world.deliver("customer.created", {"id": "cus_1"})
    assert reply.status_code == 200


async def test_an_older_account_update_arriving_late_does_not_undo_a_newer_one(stripe_world):
    view, _ = await funded_deal(stripe_world, reference="deal:o1")
    await stripe_world.app.payments.onboarding_link(view.payee_id)
    account = next(iter(stripe_world.fake.accounts.values()))
    ready = {**account, "charges_enabled": True, "payouts_enabled": True}
    now = int(stripe_world.app.clock.now().timestamp())
    await stripe_world.deliver("account.updated", ready, created=now + 20)
    await stripe_world.deliver("account.updated", account, created=now + 10)  # older, late
    assert (await stripe_world.app.payments.wallet(view.payee_id)).payouts_ready


async def test_a_refund_whose_ledger_write_crashed_is_completed_by_stripes_webhook(
        stripe_world, monkeypatch):
    view, intent = await funded_deal(stripe_world, reference="deal:x1")
    real_post = ledger.post

    async def crash(uow, key, kind, *args, **kwargs):
        if kind == "refund":
            raise RuntimeError("crash after Stripe refunded")
        return await real_post(uow, key, kind, *args, **kwargs)

    monkeypatch.setattr(ledger, "post", crash)
    try:
        await stripe_world.app.payments.refund(view.id, None, ADMIN)
    except RuntimeError:
        pass
    monkeypatch.setattr(ledger, "post", real_post)
    [refund] = (await stripe_world.client.v1.refunds.list_async(
        {"charge": charge_id(intent)})).data
    event = {"id": refund.id, "object": "refund", "status": "succeeded",
             "amount": refund.amount, "metadata": {"operation": f"refund:{view.id}:1"}}
    await stripe_world.deliver("refund.created", event)
    await stripe_world.deliver("refund.updated", event)  # a second word on it changes nothing
    assert (await stripe_world.app.payments.get(view.id)).state == "refunded"
    assert await stripe_world.app.payments.recover() == 0
    assert await balance(stripe_world, user(view.payer_id, "escrow", str(view.id))) == 0


async def test_reconcile_agrees_with_stripe_and_reports_a_refund_the_ledger_never_saw(stripe_world):
    view, intent = await funded_deal(stripe_world, reference="deal:rc1")
    await stripe_world.app.payments.refund(view.id, Money(2_000, "EUR"), ADMIN)
    checked, problems = await stripe_world.app.payments.reconcile()
    mine = [p for p in problems if charge_id(intent) in p]
    assert checked >= 1 and mine == []
    await stripe_world.client.v1.refunds.create_async({"charge": charge_id(intent), "amount": 500})
    _, problems = await stripe_world.app.payments.reconcile()
    assert [p for p in problems if charge_id(intent) in p] == [
        f"{charge_id(intent)} (deal:rc1): ledger €180.00, provider €175.00"]


async def test_payouts_wait_for_onboarding_the_payee_is_told_and_gets_a_link_in_chat(stripe_world):
    from conversations.messages import Choice
    from core.notifications.tables import OutboxMessage
    from tests.support.chat import ChatUser

    view, _ = await funded_deal(stripe_world, reference="deal:w1")
    await stripe_world.app.payments.release(view.id, BUYER)
    async with stripe_world.app.uow() as uow:
        payloads = (await uow.session.execute(select(OutboxMessage.payload).where(
            OutboxMessage.account_id == view.payee_id))).scalars().all()
    waiting = [p for p in payloads if "waiting" in p["text"]]
    (button,) = notification_reply(waiting[0]).buttons[0] if len(waiting) == 1 else ((None,),)
    assert button.data == "@do:set_up_payouts:"
    sue = ChatUser(stripe_world.app, "sue")
    await sue.send(Choice(button.data))
    assert "https://connect.stripe.test/setup/acct_" in sue.texts()
    await sue.say("/wallet")
    assert "Waiting for payout: €190.00" in sue.texts()
    assert "Payouts are not set up yet" in sue.texts()


async def test_a_late_payment_event_after_the_release_changes_nothing(stripe_world):
    view, intent = await funded_deal(stripe_world, reference="deal:late1")
    await stripe_world.app.payments.release(view.id, BUYER)
    late = await stripe_world.deliver("payment_intent.amount_capturable_updated", intent)
    again = await stripe_world.deliver("payment_intent.succeeded", intent)
    assert (late.status_code, again.status_code) == (200, 200)
    assert (await stripe_world.app.payments.get(view.id)).state == "released"
    assert await balance(stripe_world, user(view.payer_id, "escrow", str(view.id))) == 0


async def test_a_capture_whose_ledger_write_crashed_is_completed_by_the_succeeded_webhook(
        stripe_world, monkeypatch):
    view, intent = await session_authorised(stripe_world, reference="booking:x2")
    real_post = ledger.post

    async def crash(uow, key, kind, *args, **kwargs):
        if kind == "capture":
            raise RuntimeError("crash after Stripe captured")
        return await real_post(uow, key, kind, *args, **kwargs)

    monkeypatch.setattr(ledger, "post", crash)
    try:
        await stripe_world.app.payments.capture(view.id, Money(5_000, "EUR"), ADMIN)
    except RuntimeError:
        pass
    monkeypatch.setattr(ledger, "post", real_post)
    assert (await stripe_world.app.payments.get(view.id)).state == "settling"
    await stripe_world.deliver("payment_intent.succeeded", await stripe_world.intent(intent["id"]))
    captured = await stripe_world.app.payments.get(view.id)
    assert captured.state == "captured" and captured.commission == Money(750, "EUR")
    assert await stripe_world.app.payments.recover() == 0
    assert await balance(stripe_world, user(view.payee_id, "payable")) == 4_250
