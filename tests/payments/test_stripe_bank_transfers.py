"""Goods paid by bank transfer through Stripe: the real SDK against the local fake's
`customer_balance` (a virtual IBAN and Stripe's reference per payment, Stripe matching what
arrives), signed webhooks into the same matching as the sandbox's transfers — a short transfer
then the rest holds the payment once, too much holds it and the extra is refunded from the
customer's cash balance once, a repeated webhook matches nothing twice, and a transfer after the
payment was cancelled goes back in full."""

from __future__ import annotations

from sqlalchemy import func, select

from core.money.model import Money
from payments import ledger, transfer_rules
from payments.tables import IncomingTransfer, LedgerJournal, TransferAccount
from payments.transfer_matching import waiting_account
from tests.payments.helpers import BUYER, people
from tests.payments.test_direct_payment import texts_to


async def _opened(world, amount=10_000, reference="deal:bt1"):
    buyer, seller = await people(world.app)
    return await world.app.payments.open("goods", "bioenergy", reference, buyer, seller,
                                         Money(amount, "EUR"), BUYER)


async def _details(world, view):
    details = await world.app.payments.transfer_details(view.id, view.payer_id)
    async with world.app.uow() as uow:
        account = await uow.session.get(TransferAccount, view.id)
        uow.session.expunge(account)
    return details, account


async def _balance(world, ref):
    async with world.app.uow() as uow:
        return await ledger.balance(uow, ref, "EUR")


async def _rows(world):
    async with world.app.uow() as uow:
        rows = list((await uow.session.execute(
            select(IncomingTransfer).order_by(IncomingTransfer.id))).scalars())
        uow.session.expunge_all()
        return rows


async def _balanced(world):
    async with world.app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []


async def _funds(world, escrow_id):
    async with world.app.uow() as uow:
        return (await uow.session.execute(select(func.count(LedgerJournal.id)).where(
            LedgerJournal.key == f"fund:{escrow_id}"))).scalar()


async def test_the_payer_is_shown_stripes_iban_and_reference_for_this_payment(stripe_world):
    assert stripe_world.app.payments.takes_transfers
    view = await _opened(stripe_world)
    details, account = await _details(stripe_world, view)
    [form] = stripe_world.fake.intent_forms
    intent = stripe_world.fake.bank_intents[account.provider_ref]
    shown = intent["next_action"]["display_bank_transfer_instructions"]
    iban = shown["financial_addresses"][0]["iban"]
    assert (details.iban, details.bic, details.holder) == (
        iban["iban"], iban["bic"], iban["account_holder_name"])
    assert details.bank_reference == shown["reference"] != transfer_rules.shown_for(view.id)
    assert details.missing == Money(10_000, "EUR") and not details.test_mode
    assert (form["amount"], form["currency"], form["confirm"], form["customer"]) == (
        "10000", "eur", "true", account.customer_ref)
    assert form["payment_method_options[customer_balance][bank_transfer][eu_bank_transfer]"
                "[country]"] == "DE"
    again = await stripe_world.app.payments.transfer_details(view.id, view.payer_id)
    assert again == details and len(stripe_world.fake.intent_forms) == 1  # asked for once


async def test_a_short_transfer_then_the_rest_holds_the_payment_once(stripe_world):
    view = await _opened(stripe_world)
    details, account = await _details(stripe_world, view)
    await stripe_world.bank_sends(account.customer_ref, 4_000, details.bank_reference)
    intent = await stripe_world.intent(account.provider_ref)
    assert intent["status"] == "requires_action"
    reply = await stripe_world.deliver("payment_intent.partially_funded", intent)
    assert reply.status_code == 200
    assert (await stripe_world.app.payments.get(view.id)).state == "awaiting_payment"
    assert await _balance(stripe_world, waiting_account(view.payer_id, view.id)) == 4_000
    told = (await texts_to(stripe_world.app, view.payer_id))[-1]
    assert "60.00" in told and details.bank_reference in told

    await stripe_world.bank_sends(account.customer_ref, 6_000, details.bank_reference)
    paid = await stripe_world.intent(account.provider_ref)
    assert paid["status"] == "succeeded"
    await stripe_world.deliver("payment_intent.succeeded", paid)
    await stripe_world.deliver("payment_intent.partially_funded", intent)  # late, out of order
    held = await stripe_world.app.payments.get(view.id)
    assert held.state == "held"
    assert await _balance(stripe_world, ledger.user(view.payer_id, "escrow", str(view.id))) == \
        10_000
    assert await _balance(stripe_world, waiting_account(view.payer_id, view.id)) == 0
    assert await _funds(stripe_world, view.id) == 1
    assert [(r.outcome, r.amount) for r in await _rows(stripe_world)] == [
        ("short", 4_000), ("paid", 6_000)]
    assert stripe_world.fake.balance_refunds == []
    refunded = await stripe_world.app.payments.refund(view.id, Money(1_000, "EUR"), BUYER)
    assert refunded.refunded == Money(1_000, "EUR")  # the PaymentIntent is the payment now
    assert [(r["payment_intent"], r["amount"]) for r in stripe_world.fake.payment_refunds] == [
        (account.provider_ref, 1_000)]
    await _balanced(stripe_world)


async def test_too_much_holds_the_payment_and_the_extra_is_refunded_from_the_balance_once(
        stripe_world):
    view = await _opened(stripe_world)
    details, account = await _details(stripe_world, view)
    txn = await stripe_world.bank_sends(account.customer_ref, 12_500, details.bank_reference)
    intent = await stripe_world.intent(account.provider_ref)
    await stripe_world.deliver("payment_intent.succeeded", intent)
    await stripe_world.deliver("customer_cash_balance_transaction.created", txn)
    assert (await stripe_world.app.payments.get(view.id)).state == "held"
    [row] = await _rows(stripe_world)
    assert (row.outcome, row.applied, row.back) == ("over", 10_000, 2_500)
    [refund] = stripe_world.fake.balance_refunds
    assert (refund["amount"], refund["customer"]) == (2_500, account.customer_ref)
    assert row.returned_ref == refund["id"]
    assert stripe_world.fake.balances[account.customer_ref] == 0
    assert await stripe_world.app.payments.recover() == 0  # nothing left to send
    assert len(stripe_world.fake.balance_refunds) == 1
    assert "25.00" in (await texts_to(stripe_world.app, view.payer_id))[-1]
    await _balanced(stripe_world)


async def test_a_webhook_delivered_twice_is_matched_once(stripe_world):
    view = await _opened(stripe_world)
    details, account = await _details(stripe_world, view)
    await stripe_world.bank_sends(account.customer_ref, 3_000, details.bank_reference)
    intent = await stripe_world.intent(account.provider_ref)
    first = await stripe_world.deliver("payment_intent.partially_funded", intent,
                                       event_id="evt_bt_same")
    replay = await stripe_world.deliver("payment_intent.partially_funded", intent,
                                        event_id="evt_bt_same")
    other = await stripe_world.deliver("payment_intent.partially_funded", intent)  # new id
    assert first.json() == {"received": True} and replay.json() == {"duplicate": True}
    assert other.status_code == 200
    assert [(r.outcome, r.amount) for r in await _rows(stripe_world)] == [("short", 3_000)]
    assert await _balance(stripe_world, waiting_account(view.payer_id, view.id)) == 3_000
    await _balanced(stripe_world)


async def test_a_transfer_after_the_payment_was_cancelled_goes_back_in_full(stripe_world):
    view = await _opened(stripe_world)
    details, account = await _details(stripe_world, view)
    await stripe_world.bank_sends(account.customer_ref, 2_000, details.bank_reference)
    await stripe_world.deliver("payment_intent.partially_funded",
                               await stripe_world.intent(account.provider_ref))
    assert await stripe_world.app.payments.cancel_unpaid(view.id, BUYER) is True
    intent = await stripe_world.intent(account.provider_ref)
    assert intent["status"] == "canceled"  # stopped at Stripe: what it took is back, and sent
    assert [r["amount"] for r in stripe_world.fake.balance_refunds] == [2_000]

    late = await stripe_world.bank_sends(account.customer_ref, 10_000, details.bank_reference)
    assert stripe_world.fake.balances[account.customer_ref] == 10_000  # Stripe applied nothing
    await stripe_world.deliver("customer_cash_balance_transaction.created", late)
    await stripe_world.deliver("customer_cash_balance_transaction.created", late)
    assert (await stripe_world.app.payments.get(view.id)).state == "cancelled"
    assert [(r.outcome, r.back) for r in await _rows(stripe_world)] == [
        ("returned", 2_000), ("late", 10_000)]
    assert [r["amount"] for r in stripe_world.fake.balance_refunds] == [2_000, 10_000]
    assert stripe_world.fake.balances[account.customer_ref] == 0
    assert all(r.returned_ref for r in await _rows(stripe_world))
    assert await _balance(stripe_world, waiting_account(view.payer_id, view.id)) == 0
    assert await _funds(stripe_world, view.id) == 0
    await _balanced(stripe_world)


async def test_a_bank_transfer_intent_never_counts_as_a_card_payment(stripe_world):
    view = await _opened(stripe_world)
    __, account = await _details(stripe_world, view)
    intent = await stripe_world.intent(account.provider_ref)
    await stripe_world.deliver("payment_intent.payment_failed", intent)
    await stripe_world.deliver("payment_intent.succeeded", intent)  # nothing received yet
    assert (await stripe_world.app.payments.get(view.id)).state == "awaiting_payment"
    assert await _rows(stripe_world) == []


async def test_in_chat_the_payer_reads_stripes_iban_and_reference_and_no_test_transfer(
        stripe_world):
    from stdnum import iban as iban_numbers

    from conversations.messages import Choice
    from tests.support.chat import ChatUser

    view = await _opened(stripe_world)
    bob = ChatUser(stripe_world.app, "bob")
    await bob.send(Choice(f"@go:transfer:{view.id}"))
    async with stripe_world.app.uow() as uow:
        account = await uow.session.get(TransferAccount, view.id)
        iban, reference = account.iban, account.reference
    shown = bob.texts()
    assert f"IBAN: {iban_numbers.format(iban)}" in shown
    assert f"Reference: {reference}" in shown and "TEST MODE" not in shown
    await bob.send(Choice(f"@go:transfer:{view.id}"))  # asked again: the same account
    assert len(stripe_world.fake.intent_forms) == 1


async def test_paid_by_card_after_asking_for_transfer_details_stops_the_transfer_account(
        stripe_world):
    # Only a payment whose payer asked for transfer details has an account to stop
    # (`EscrowView.by_transfer`); paid by card, that account takes no more money.
    view = await _opened(stripe_world)
    __, account = await _details(stripe_world, view)
    paid = await stripe_world.app.payments.confirm_payment(view.id, "ch_card", BUYER)
    assert paid.state == "held" and paid.by_transfer
    assert (await stripe_world.intent(account.provider_ref))["status"] == "canceled"
    async with stripe_world.app.uow() as uow:
        assert (await uow.session.get(TransferAccount, view.id)).closed_at is not None
    other = await stripe_world.app.payments.open(  # never asked: nothing to stop
        "goods", "bioenergy", "deal:bt2", view.payer_id, view.payee_id, Money(500, "EUR"), BUYER)
    assert not (await stripe_world.app.payments.confirm_payment(other.id, "ch_2", BUYER)
                ).by_transfer
