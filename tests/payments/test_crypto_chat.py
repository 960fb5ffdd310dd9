"""A deal paid in crypto in chat, with the sandbox's test invoice: the pay step offers crypto
beside the card and the transfer, choosing it gives the invoice's link, and a payment that
arrives holds the money as a card's does; part of it, then the deal cancelled, goes back. And
which crypto provider the settings choose."""

from __future__ import annotations

import re

import pytest

from config.settings import Settings, SettingsError, load_settings
from conversations.messages import Choice
from core.money.model import Money
from payments import ledger
from tests.payments.test_direct_payment import texts_to


def plain(text):
    return re.sub(r"[\s,.]", "", text)


@pytest.mark.journey
async def test_in_chat_a_buyer_chooses_crypto_and_the_test_payment_holds_the_money(app):
    from tests.deals.timer_support import escrow_of, status_of, terms_accepted
    from tests.support.chat import ChatUser

    sam, bob_account, deal_id = await terms_accepted(app)  # 100 t at 220.00 EUR: 22,000.00
    escrow_id, *__ = await escrow_of(app, deal_id)
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:pay:{escrow_id}"))
    assert "🪙 Crypto (USDC, BTC…)" in bob.labels() and "🏦 Pay by bank transfer" in bob.labels()
    await bob.tap("Crypto (USDC, BTC")
    said = bob.texts()
    assert "in crypto" in said and "TEST MODE" in said and "2200000€" in plain(said)
    link = bob.button("Open the crypto invoice").url
    escrow = await app.payments.get(escrow_id)
    assert link == escrow.pay_url + "/crypto"
    await bob.send(Choice(f"@go:crypto:{escrow_id}"))  # asked again: the same invoice
    assert bob.button("Open the crypto invoice").url == link

    await app.payments.send_test_crypto(escrow_id, bob_account.id, Money(2_200_000, "EUR"),
                                        "chat-test")
    assert await status_of(app, deal_id) == "to_ship"
    assert any("held in escrow" in t for t in await texts_to(app, bob_account.id))
    assert any("held in escrow" in t for t in await texts_to(app, sam.id))
    await bob.send(Choice(f"@go:crypto:{escrow_id}"))
    assert "already held" in bob.texts()


async def test_part_paid_in_crypto_goes_back_when_the_deal_is_cancelled(app):
    from tests.deals.timer_support import escrow_of, terms_accepted
    from tests.payments.helpers import BUYER

    __, bob, deal_id = await terms_accepted(app)
    escrow_id, *__ = await escrow_of(app, deal_id)
    await app.payments.crypto_invoice(escrow_id, bob.id)
    short = await app.payments.send_test_crypto(escrow_id, bob.id, Money(500_000, "EUR"), "p-1")
    assert (short.outcome, short.missing) == ("short", Money(1_700_000, "EUR"))
    assert "1700000€isstilldue" in plain((await texts_to(app, bob.id))[-1])
    assert await app.payments.cancel_unpaid(escrow_id, BUYER) is True
    returns = [c for c in app.payments.crypto.calls if c[0] == "return"]
    assert len(returns) == 1
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        assert await ledger.balance(uow, ledger.user(bob.id, "transfer", str(escrow_id)),
                                    "EUR") == 0


async def test_a_test_payment_is_the_payers_alone_and_needs_an_invoice(app):
    from core.errors import DomainError, NotAllowed
    from tests.payments.helpers import BUYER, people

    buyer, seller = await people(app)
    view = await app.payments.open("goods", "bioenergy", "deal:9", buyer, seller,
                                   Money(10_000, "EUR"), BUYER)
    with pytest.raises(DomainError, match="no crypto invoice"):
        await app.payments.send_test_crypto(view.id, buyer, Money(100, "EUR"), "x")
    with pytest.raises(NotAllowed):
        await app.payments.crypto_invoice(view.id, seller)
    await app.payments.crypto_invoice(view.id, buyer)
    with pytest.raises(NotAllowed):
        await app.payments.send_test_crypto(view.id, seller, Money(100, "EUR"), "x")
    with pytest.raises(DomainError, match="at most"):
        await app.payments.send_test_crypto(view.id, buyer, Money(100_001, "EUR"), "x")


def test_the_sandbox_takes_crypto_by_default_and_stripe_alone_takes_none():
    assert Settings(environment="test").crypto == "sandbox"
    stripe = Settings(environment="test", payments_provider="stripe", stripe_secret_key="sk_x",
                      stripe_webhook_secret="whsec_x")
    assert stripe.crypto == "none"
    assert Settings(environment="test", crypto_provider="none").crypto == "none"


def test_test_crypto_payments_are_refused_beside_real_card_payments(monkeypatch):
    for name, value in (("ENVIRONMENT", "test"), ("PAYMENTS_PROVIDER", "stripe"),
                        ("STRIPE_SECRET_KEY", "sk_test_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x"),
                        ("CRYPTO_PROVIDER", "sandbox")):
        monkeypatch.setenv(f"AGORA_{name}", value)
    with pytest.raises(SettingsError, match="AGORA_CRYPTO_PROVIDER"):
        load_settings()


def test_btcpay_needs_its_url_key_store_and_webhook_secret(monkeypatch):
    monkeypatch.setenv("AGORA_ENVIRONMENT", "test")
    monkeypatch.setenv("AGORA_CRYPTO_PROVIDER", "btcpay")
    monkeypatch.setenv("AGORA_BTCPAY_URL", "https://btcpay.example.com")
    with pytest.raises(SettingsError, match="AGORA_BTCPAY_API_KEY"):
        load_settings()
    for name, value in (("API_KEY", "k" * 20), ("STORE_ID", "Store1"),
                        ("WEBHOOK_SECRET", "s" * 20)):
        monkeypatch.setenv(f"AGORA_BTCPAY_{name}", value)
    assert load_settings().crypto == "btcpay"


async def test_after_an_invoice_expired_the_payer_gets_a_new_one_or_the_other_ways_to_pay(app):
    from tests.deals.timer_support import escrow_of, terms_accepted
    from tests.support.chat import ChatUser
    from tests.support.outbox import told_buttons

    __, bob_account, deal_id = await terms_accepted(app)
    escrow_id, *__ = await escrow_of(app, deal_id)
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:crypto:{escrow_id}"))
    first = bob.button("Open the crypto invoice").url
    await app.payments.send_test_crypto(escrow_id, bob_account.id, Money(200_000, "EUR"), "p1")
    assert await app.payments.expire_test_crypto(escrow_id, bob_account.id) is True
    buttons = await told_buttons(app, bob_account.id, "expired before it was paid in full")
    assert buttons == [("pay_by_crypto", str(escrow_id)), ("pay", str(escrow_id))]

    await bob.send(Choice(f"@do:pay_by_crypto:{escrow_id}"))  # 🪙 New crypto invoice
    assert "Receivedsofar:200000€of2200000€" in plain(bob.texts())
    assert "Pay2000000€" in plain(bob.texts())
    assert bob.button("Open the crypto invoice").url == first  # the same page, a new invoice
    await bob.send(Choice(f"@do:pay:{escrow_id}"))  # 💳 Other ways to pay
    assert {"🪙 Crypto (USDC, BTC…)", "🏦 Pay by bank transfer"} <= set(bob.labels())
    async with app.uow() as uow:
        from sqlalchemy import select

        from payments.tables import CryptoInvoice
        rows = (await uow.session.execute(select(CryptoInvoice.status, CryptoInvoice.amount)
                                          .order_by(CryptoInvoice.id))).all()
    assert [tuple(r) for r in rows] == [("expired", 2_200_000), ("new", 2_000_000)]
