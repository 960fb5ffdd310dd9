"""Paying goods in crypto through BTCPay Server: Agora's invoices at a fake Greenfield server on
127.0.0.1, its signed webhooks sent to Agora's server over HTTP. Money moves once whatever is
delivered how often — exact, too much, too little then the rest, an invoice expired — into the
same escrow and ledger as a card payment; a bad signature moves nothing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bots.calendars import RemoteCalendars
from bots.server import create_app
from config.container import Container, build
from core.money.model import Money
from payments import crypto_rules, ledger
from payments.tables import (
    CryptoInvoice,
    IncomingTransfer,
    Invoice,
    LedgerJournal,
    ProviderEvent,
)
from payments.transfer_matching import waiting_account
from tests.payments.helpers import BUYER, people
from tests.payments.test_direct_payment import texts_to
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.fake_btcpay import API_KEY, SECRET, STORE, FakeBTCPay
from tests.support.servers import serve


@dataclass
class CryptoWorld:
    app: Container
    btcpay: FakeBTCPay


@pytest.fixture
async def crypto_world(db_url: str, clock: Any, mailbox: Any) -> AsyncIterator[CryptoWorld]:
    fake = FakeBTCPay()
    async with serve(fake.app) as btcpay_url:
        fake.base = btcpay_url
        settings = settings_for(db_url, crypto_provider="btcpay", btcpay_url=btcpay_url,
                                btcpay_api_key=API_KEY, btcpay_store_id=STORE,
                                btcpay_webhook_secret=SECRET)
        async with containers.container(settings, clock=clock, mailbox=mailbox) as app, \
                serve(create_app(app, run_workers=False)) as agora_url:
            fake.agora_url = agora_url
            yield CryptoWorld(app, fake)


async def _goods(app, amount=25_000):
    buyer, seller = await people(app)
    return await app.payments.open("goods", "bioenergy", "deal:7", buyer, seller,
                                   Money(amount, "EUR"), BUYER)


async def _invoice(world, view):
    details = await world.app.payments.crypto_invoice(view.id, view.payer_id)
    assert details is not None and not details.test_mode
    invoice_id = details.url.rsplit("/", 1)[-1]
    return details, invoice_id


async def _journals(app, escrow_id):
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        return sorted((await uow.session.execute(select(LedgerJournal.key).where(
            LedgerJournal.escrow_id == escrow_id))).scalars())


async def test_an_exact_payment_holds_the_money_once_however_often_it_is_told(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    details, invoice_id = await _invoice(crypto_world, view)
    invoice = btcpay.invoices[invoice_id]
    assert details.url == f"{btcpay.base}/i/{invoice_id}" and details.missing == view.amount
    assert (invoice["amount"], invoice["currency"]) == ("250.00", "EUR")
    assert invoice["metadata"]["orderId"] == f"crypto-invoice:{view.id}:1"
    assert invoice["checkout"]["redirectURL"].endswith(view.pay_url.rsplit("/", 1)[-1])
    # Asked again: the same open invoice, not a second one.
    assert (await _invoice(crypto_world, view))[1] == invoice_id

    btcpay.pay(invoice_id, "250.00", settled=False)  # seen, not yet confirmed
    assert (await btcpay.send("InvoiceReceivedPayment", invoice_id)).status_code == 200
    await btcpay.send("InvoiceProcessing", invoice_id)  # about the same payment: told once
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    seen = [t for t in await texts_to(app, view.payer_id) if "waits for its confirmations" in t]
    assert len(seen) == 1 and "250.00" in seen[0]
    btcpay.confirm(invoice_id)
    paid = await btcpay.send("InvoicePaymentSettled", invoice_id)
    first = btcpay.last_delivery()
    settled = await btcpay.send("InvoiceSettled", invoice_id, overPaid=False,
                                manuallyMarked=False)
    again = await btcpay.send("InvoiceSettled", invoice_id)  # another event, nothing new
    assert [r.json() for r in (paid, settled, again)] == [{"received": True}] * 3
    assert (await btcpay.redeliver(first)).json() == {"duplicate": True}

    assert (await app.payments.get(view.id)).state == "held"
    assert (await app.payments.wallet(view.payer_id)).held == [Money(25_000, "EUR")]
    keys = await _journals(app, view.id)
    assert keys == [f"fund:{view.id}", *(k for k in keys if k.startswith("transfer-in:"))]
    assert len(keys) == 2
    assert any("held in escrow" in t for t in await texts_to(app, view.payer_id))
    assert any("held in escrow" in t for t in await texts_to(app, view.payee_id))
    async with app.uow() as uow:
        row = (await uow.session.execute(select(CryptoInvoice))).scalar_one()
        assert (row.counted, row.status) == (25_000, "settled")
        receipts = (await uow.session.execute(select(Invoice.kind).where(
            Invoice.escrow_id == view.id))).scalars().all()
    assert receipts == ["payment"]  # one receipt, as a card payment gets


async def test_too_much_holds_the_payment_and_the_extra_goes_back_as_a_refund_to_claim(
        crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "300.00")
    await btcpay.send("InvoiceSettled", invoice_id, overPaid=True)
    assert (await btcpay.resend(btcpay.last_delivery())).json() == {"duplicate": True}
    await btcpay.redeliver(btcpay.last_delivery())
    assert (await app.payments.get(view.id)).state == "held"
    [refund] = btcpay.refunds  # once, for the 50.00 € too much, in euros
    assert (refund["customAmount"], refund["customCurrency"], refund["refundVariant"],
            refund["paymentMethod"]) == ("50.00", "EUR", "Custom", "BTC-CHAIN")
    told = await texts_to(app, view.payer_id)
    assert any("50.00 more than due" in t for t in told)
    assert any(refund["viewLink"] in t and "claim it" in t for t in told)
    assert await _journals(app, view.id) == sorted(
        [f"fund:{view.id}", *_keys_like(await _journals(app, view.id), "transfer-")])
    async with app.uow() as uow:
        assert await ledger.balance(uow, waiting_account(view.payer_id, view.id), "EUR") == 0


def _keys_like(keys, prefix):
    return [k for k in keys if k.startswith(prefix)]


async def test_too_little_asks_for_the_rest_and_after_expiry_a_new_invoice_takes_it(
        crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, first = await _invoice(crypto_world, view)
    btcpay.pay(first, "100.00")
    await btcpay.send("InvoicePaymentSettled", first)
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    assert "150.00 is still due" in (await texts_to(app, view.payer_id))[-1]
    wallet = await app.payments.wallet(view.payer_id)  # the part paid waits, said as crypto
    assert wallet.held == [Money(10_000, "EUR")]
    assert [m.text for m in wallet.movements] == [
        "Crypto payment for deal #7 (received in crypto)"]
    btcpay.expire(first)
    await btcpay.send("InvoiceExpired", first, partiallyPaid=True)
    await btcpay.redeliver(btcpay.last_delivery())
    told = await texts_to(app, view.payer_id)
    assert sum("expired before it was paid in full" in t for t in told) == 1
    assert "100.00 that arrived still counts towards the payment; €150.00 is still due" in told[-1]

    details, second = await _invoice(crypto_world, view)
    assert second != first and btcpay.invoices[second]["amount"] == "150.00"
    assert details.received == Money(10_000, "EUR")
    btcpay.pay(second, "150.00")
    await btcpay.send("InvoiceSettled", second)
    assert (await app.payments.get(view.id)).state == "held"
    async with app.uow() as uow:
        assert await ledger.balance(uow, waiting_account(view.payer_id, view.id), "EUR") == 0
        rows = list((await uow.session.execute(select(IncomingTransfer.amount, IncomingTransfer
                                                      .outcome))).all())
    assert sorted(rows) == [(10_000, "short"), (15_000, "paid")]
    await _journals(app, view.id)


async def test_an_invoice_expired_unpaid_tells_the_payer_and_the_deal_still_waits(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.expire(invoice_id)
    await btcpay.send("InvoiceExpired", invoice_id, partiallyPaid=False)
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    told = (await texts_to(app, view.payer_id))[-1]
    assert "expired before it was paid in full" in told and "arrived" not in told
    assert (await _invoice(crypto_world, view))[1] != invoice_id  # asked again: a new one


async def test_a_payment_after_the_deal_was_paid_by_card_goes_back_in_full(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    btcpay.pay(invoice_id, "250.00")
    await btcpay.send("InvoiceSettled", invoice_id)
    assert [r["customAmount"] for r in btcpay.refunds] == ["250.00"]
    assert "arrived after the payment was closed" in "".join(await texts_to(app, view.payer_id))
    await _journals(app, view.id)


async def test_a_bad_signature_is_refused_and_moves_nothing(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    forged = await btcpay.send("InvoiceSettled", invoice_id, secret="not-the-secret")
    assert forged.status_code == 400 and forged.json() == {"error": "bad signature"}
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    async with app.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(ProviderEvent))
                ).scalar_one() == 0
    assert await _journals(app, view.id) == []
    garbled = await btcpay.post_raw(b'{"deliveryId": 5, "type": []}')  # signed, not an event
    assert garbled.status_code == 400 and (await btcpay.post_raw(b"[[[")).status_code == 400
    # the genuine delivery still works afterwards
    assert (await btcpay.send("InvoiceSettled", invoice_id)).status_code == 200
    assert (await app.payments.get(view.id)).state == "held"


async def test_a_held_crypto_payment_refunded_goes_back_through_btcpay(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    await btcpay.send("InvoiceSettled", invoice_id)
    assert await _world(app, "btcpay") == -25_000  # came in through BTCPay
    refunded = await app.payments.refund(view.id, None, BUYER)
    assert refunded.state == "refunded"
    assert [(r["invoiceId"], r["customAmount"]) for r in btcpay.refunds] == [
        (invoice_id, "250.00")]
    assert any("claim it" in t for t in await texts_to(app, view.payer_id))
    assert await _world(app, "btcpay") == 0 and await _world(app, "sandbox") == 0
    await _journals(app, view.id)


async def _world(app, provider):
    async with app.uow() as uow:
        return await ledger.balance(uow, ledger.world(provider), "EUR")


async def test_a_deal_cancelled_with_part_paid_in_crypto_gives_it_back_through_btcpay(
        crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "100.00")
    await btcpay.send("InvoicePaymentSettled", invoice_id)
    assert await app.payments.cancel_unpaid(view.id, BUYER) is True
    assert [(r["invoiceId"], r["customAmount"]) for r in btcpay.refunds] == [
        (invoice_id, "100.00")]
    told = await texts_to(app, view.payer_id)
    assert any("is being returned" in t for t in told)
    moves = [m.text for m in (await app.payments.wallet(view.payer_id)).movements]
    assert moves == ["Crypto payments returned for deal #7 (received in crypto)",
                     "Crypto payment for deal #7 (received in crypto)"]
    assert any(btcpay.refunds[0]["viewLink"] in t for t in told)
    assert await _world(app, "btcpay") == 0 and await _world(app, "sandbox") == 0
    async with app.uow() as uow:
        assert await ledger.balance(uow, waiting_account(view.payer_id, view.id), "EUR") == 0
    await _journals(app, view.id)


async def test_two_deliveries_about_one_payment_at_once_move_the_money_once(crypto_world):
    import asyncio

    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    answers = await asyncio.gather(btcpay.send("InvoicePaymentSettled", invoice_id),
                                   btcpay.send("InvoiceSettled", invoice_id))
    for answer in answers:  # a delivery that lost the race is retried by BTCPay: it is then a no-op
        if answer.status_code != 200:
            assert (await btcpay.redeliver(_delivery_of(answer))).status_code == 200
    assert (await app.payments.get(view.id)).state == "held"
    keys = await _journals(app, view.id)
    assert len(_keys_like(keys, "transfer-in:")) == 1 and keys.count(f"fund:{view.id}") == 1


def _delivery_of(answer):
    import json

    return json.loads(answer.request.content)["deliveryId"]


async def test_the_pay_page_sends_the_payer_to_btcpays_checkout(crypto_world):
    import httpx

    from bots.server import create_app

    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    path = view.pay_url.split("://", 1)[1].split("/", 1)[1]
    async with serve(create_app(app, run_workers=False)) as base, \
            httpx.AsyncClient(follow_redirects=False) as http:
        page = await http.get(f"{base}/{path}/crypto")
    [invoice] = btcpay.invoices.values()
    assert page.status_code == 303 and page.headers["location"] == invoice["checkoutLink"]


async def test_without_btcpay_its_webhook_is_not_there(app):
    import httpx

    from bots.server import create_app

    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        answer = await http.post(f"{base}/btcpay/webhook", content=b"{}",
                                 headers={"BTCPay-Sig": "sha256=00"})
    assert answer.status_code == 404


async def test_an_invoice_that_is_no_payments_or_another_stores_moves_nothing(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    other = await btcpay.send("InvoiceSettled", invoice_id, storeId="AnotherStore")
    assert other.json() == {"ignored": True}
    stranger = btcpay._create({"amount": "10.00", "currency": "EUR", "metadata": {}})
    btcpay.pay(stranger["id"], "10.00")
    assert (await btcpay.send("InvoiceSettled", stranger["id"])).json() == {"received": True}
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    assert await _journals(app, view.id) == []


async def test_the_greenfield_client_finds_its_invoice_again_and_says_when_btcpay_fails():
    from payments.providers.base import Charge, ProviderError
    from payments.providers.btcpay import BTCPayProvider
    from tests.support.servers import free_port

    fake = FakeBTCPay()
    charge = Charge("goods", "deal:3", Money(12_345, "EUR"), "tok3", None, None)
    async with serve(fake.app) as url:
        fake.base = url
        client = BTCPayProvider(url, API_KEY, STORE, "https://agora.example")
        made = await client.create_invoice("crypto-invoice:3:1", charge, Money(12_345, "EUR"), 30)
        again = await client.create_invoice("crypto-invoice:3:1", charge, Money(12_345, "EUR"),
                                            30)  # a retry after a lost answer: the same one
        assert made == again and len(fake.invoices) == 1
        sent = fake.invoices[made.ref]
        assert (sent["amount"], sent["checkout"]["expirationMinutes"]) == ("123.45", 30)
        assert sent["checkout"]["redirectURL"] == "https://agora.example/pay/tok3"
        fake.pay(made.ref, "100.00")
        fake.pay(made.ref, "23.45", settled=False)
        state = await client.invoice_state(made.ref, Money(12_345, "EUR"))
        assert (state.status, state.settled, state.confirming) == ("processing", 10_000, 2_345)
        wrong = BTCPayProvider(url, "not-the-key", STORE, "https://agora.example")
        with pytest.raises(ProviderError, match="refused: 401"):
            await wrong.invoice_state(made.ref, Money(12_345, "EUR"))
        # A refund asked twice with one key (a retry after a crash): one pull payment.
        fake.pay(made.ref, "23.45")
        back = await client.return_crypto("refund:3:1", made.ref, Money(1_000, "EUR"))
        assert await client.return_crypto("refund:3:1", made.ref, Money(1_000, "EUR")) == back
        assert len(fake.refunds) == 1 and list(fake.pull_payments) == [back.ref]
        pull = fake.pull_payments[back.ref]
        assert (pull["amount"], pull["currency"], pull["description"]) == (
            "10.00", "EUR", "refund:3:1")
        pull["archived"] = True  # archived at the store: still the refund asked, not again
        assert await client.return_crypto("refund:3:1", made.ref, Money(1_000, "EUR")) == back
        other = await client.return_crypto("refund:3:2", made.ref, Money(1_000, "EUR"))
        assert other != back and len(fake.refunds) == 2
        await client.aclose()
        await wrong.aclose()
    gone = BTCPayProvider(f"http://127.0.0.1:{free_port()}", API_KEY, STORE, "https://a.example")
    with pytest.raises(ProviderError, match="cannot be reached"):
        await gone.create_invoice("k", charge, Money(1, "EUR"), 30)
    await gone.aclose()


async def test_a_return_btcpay_refused_is_sent_once_by_the_recovery(crypto_world):
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.refunds_failing = 1
    btcpay.pay(invoice_id, "260.00")
    await btcpay.send("InvoiceSettled", invoice_id, overPaid=True)
    assert (await app.payments.get(view.id)).state == "held" and btcpay.refunds == []
    await app.payments.recover()
    await app.payments.recover()  # once sent, not again
    assert [r["customAmount"] for r in btcpay.refunds] == ["10.00"]
    assert any(btcpay.refunds[0]["viewLink"] in t for t in await texts_to(app, view.payer_id))
    async with app.uow() as uow:
        row = (await uow.session.execute(select(IncomingTransfer))).scalar_one()
        assert row.returned_ref == btcpay.refunds[0]["id"]


async def test_a_refund_whose_answer_was_lost_is_found_at_btcpay_not_asked_again(
        crypto_world, clock):
    """Greenfield's refund takes no idempotency key: the refund reaches BTCPay and its answer
    is lost (a timeout). The operation stays pending, leased to the call that asked; once the
    lease runs out the recovery finds the pull payment that carries the operation's key and
    completes with it — one refund, the payer told once."""
    import httpx

    from core.errors import DomainError
    from payments.tables import PaymentOperation

    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    await btcpay.send("InvoiceSettled", invoice_id)
    client = app.payments.crypto
    client.http.timeout = httpx.Timeout(0.3)
    btcpay.refunds_lost, btcpay.lost_after = 1, 1.0
    with pytest.raises(DomainError, match="did not answer in time"):
        await app.payments.refund(view.id, None, BUYER)
    client.http.timeout = httpx.Timeout(20.0)
    async with app.uow() as uow:
        [op] = (await uow.session.execute(select(PaymentOperation).where(
            PaymentOperation.kind == "refund"))).scalars().all()
    assert op.status == "pending" and len(btcpay.refunds) == 1
    [pull] = btcpay.pull_payments.values()
    assert pull["description"] == op.key and pull["name"] == op.key  # the key goes with it

    await app.payments.recover()  # within the lease: left to the call that asked
    assert (await app.payments.get(view.id)).state == "settling"
    clock.advance(seconds=crypto_rules.ASK_LEASE.total_seconds() + 1)
    await app.payments.recover()
    await app.payments.recover()  # done: nothing asked again
    assert len(btcpay.refunds) == 1 and list(btcpay.pull_payments) == [pull["id"]]
    assert [m for m, path in btcpay.calls if path.endswith("/refund")] == ["POST"]
    assert (await app.payments.get(view.id)).state == "refunded"
    told = [t for t in await texts_to(app, view.payer_id) if pull["viewLink"] in t]
    assert len(told) == 1 and "claim it" in told[0]
    assert await _world(app, "btcpay") == 0
    await _journals(app, view.id)


async def test_a_return_asked_before_is_adopted_and_the_payer_told_once(crypto_world, clock):
    """A transfer return that reached BTCPay whose mark was never written (the recovery runs
    again from the unmarked row once the first ask's lease ran out): the pull payment with the
    return's key is taken, not a second one, and its claim link is told once."""
    from sqlalchemy import update

    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "270.00")
    await btcpay.send("InvoiceSettled", invoice_id, overPaid=True)
    [refund] = btcpay.refunds
    async with app.uow() as uow:  # as if the mark had been lost with its connection
        await uow.session.execute(update(IncomingTransfer).values(returned_ref=None))
        await uow.commit()
    assert await app.payments.recover() == 0  # within the lease: left to the first ask
    clock.advance(seconds=crypto_rules.ASK_LEASE.total_seconds() + 1)
    assert await app.payments.recover() == 1
    assert len(btcpay.refunds) == 1 and len(btcpay.pull_payments) == 1
    async with app.uow() as uow:
        row = (await uow.session.execute(select(IncomingTransfer).where(
            IncomingTransfer.back > 0))).scalar_one()
    assert row.returned_ref == refund["id"]
    told = [t for t in await texts_to(app, view.payer_id) if refund["viewLink"] in t]
    assert len(told) == 1
    await _journals(app, view.id)


# --- one ask at a time: a second worker while the first call is in flight ----------------

@asynccontextmanager
async def second_worker(app: Container, clock: Any, mailbox: Any) -> AsyncIterator[Container]:
    """Another worker on the same database and the same BTCPay: an application of its own,
    with its own engine (its own connections)."""
    other = build(app.settings, clock=clock, senders={"email": mailbox},
                  calendar_port=RemoteCalendars())
    try:
        yield other
    finally:
        await other.close()


def held_refund(btcpay: FakeBTCPay) -> tuple[asyncio.Event, asyncio.Event]:
    """BTCPay holds the first refund request it receives, not made yet (no pull payment
    listed), until `release` is set (`reached` once it has it); any later one goes at once."""
    reached, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        if not reached.is_set():
            reached.set()
            with contextlib.suppress(TimeoutError):  # a failed test still lets the server stop
                await asyncio.wait_for(release.wait(), 15)

    btcpay.on_refund_request = hold
    return reached, release


def asked(btcpay: FakeBTCPay) -> int:
    """How many refund requests reached BTCPay (made or still held)."""
    return sum(1 for method, path in btcpay.calls if path.endswith("/refund") and method == "POST")


async def test_a_refund_in_flight_is_not_asked_again_by_the_recovery_on_another_worker(
        crypto_world, clock, mailbox):
    """The request's own refund call is still waiting for BTCPay when the recovery runs on a
    second worker: the operation is leased to the first call, so the recovery asks nothing.
    Released, the first call completes as usual — one refund, one pull payment, the ledger
    balanced, the payer told once."""
    from payments.tables import PaymentOperation

    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    await btcpay.send("InvoiceSettled", invoice_id)
    reached, release = held_refund(btcpay)
    first = asyncio.create_task(app.payments.refund(view.id, None, BUYER))
    await asyncio.wait_for(reached.wait(), 10)
    async with second_worker(app, clock, mailbox) as other:
        await other.payments.recover()
        await other.payments.recover()
        assert asked(btcpay) == 1 and btcpay.pull_payments == {}  # the first one, held
        async with other.uow() as uow:
            [op] = (await uow.session.execute(select(PaymentOperation).where(
                PaymentOperation.kind == "refund"))).scalars().all()
        assert op.status == "pending" and op.asked_at is not None
        release.set()
        assert (await asyncio.wait_for(first, 10)).state == "refunded"
        await other.payments.recover()  # done: nothing asked again
    assert asked(btcpay) == 1 and len(btcpay.refunds) == 1
    [pull] = btcpay.pull_payments.values()
    assert pull["description"] == op.key
    told = [t for t in await texts_to(app, view.payer_id) if pull["viewLink"] in t]
    assert len(told) == 1 and "claim it" in told[0]
    assert await _world(app, "btcpay") == 0
    await _journals(app, view.id)


async def test_a_return_in_flight_on_a_cancellation_is_not_sent_again_by_another_worker(
        crypto_world, clock, mailbox):
    """A cancellation sends back what arrived in crypto at once; while BTCPay still holds that
    return, the recovery and a return sweep run on a second worker: the row is leased to the
    first call, so neither asks. Released, the first return is marked — one refund, one pull
    payment, the ledger balanced, the payer told once."""
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "100.00")
    await btcpay.send("InvoicePaymentSettled", invoice_id)
    reached, release = held_refund(btcpay)
    first = asyncio.create_task(app.payments.cancel_unpaid(view.id, BUYER))
    await asyncio.wait_for(reached.wait(), 10)
    async with second_worker(app, clock, mailbox) as other:
        assert await other.payments.recover() == 0
        assert await other.payments.send_returns(view.id) == 0
        assert asked(btcpay) == 1 and btcpay.pull_payments == {}  # the first one, held
        release.set()
        assert await asyncio.wait_for(first, 10) is True
        assert await other.payments.recover() == 0  # marked: nothing owed
    assert asked(btcpay) == 1
    [refund] = btcpay.refunds
    assert refund["customAmount"] == "100.00" and len(btcpay.pull_payments) == 1
    async with app.uow() as uow:
        row = (await uow.session.execute(select(IncomingTransfer))).scalar_one()
        assert row.returned_ref == refund["id"]
        assert await ledger.balance(uow, waiting_account(view.payer_id, view.id), "EUR") == 0
    told = [t for t in await texts_to(app, view.payer_id) if refund["viewLink"] in t]
    assert len(told) == 1
    assert await _world(app, "btcpay") == 0
    await _journals(app, view.id)


async def test_an_ask_btcpay_holds_too_long_is_cut_off_and_left_to_the_lease(
        crypto_world, clock, monkeypatch):
    """The whole ask is bounded (ASK_WITHIN, well inside the lease) whatever the HTTP client's
    own timeouts: a BTCPay that holds the refund is cut off, the operation stays pending and
    leased, and once the lease runs out the recovery adopts what BTCPay made."""
    from core.errors import DomainError

    monkeypatch.setattr(crypto_rules, "ASK_WITHIN", timedelta(seconds=0.5))
    app, btcpay = crypto_world.app, crypto_world.btcpay
    view = await _goods(app)
    __, invoice_id = await _invoice(crypto_world, view)
    btcpay.pay(invoice_id, "250.00")
    await btcpay.send("InvoiceSettled", invoice_id)
    btcpay.refunds_lost, btcpay.lost_after = 1, 5.0  # far inside the client's 20 s
    with pytest.raises(DomainError, match="did not answer in time"):
        await asyncio.wait_for(app.payments.refund(view.id, None, BUYER), 3)
    await app.payments.recover()  # leased still: not asked
    assert (await app.payments.get(view.id)).state == "settling" and len(btcpay.refunds) == 1
    clock.advance(seconds=crypto_rules.ASK_LEASE.total_seconds() + 1)
    await app.payments.recover()
    assert (await app.payments.get(view.id)).state == "refunded"
    assert len(btcpay.refunds) == 1 and len(btcpay.pull_payments) == 1
    await _journals(app, view.id)
