"""The wallet's figures without a database (payments.wallet_rules): which ledger balances each
heading sums, and how a movement reads. The wallet read from the real ledger:
tests/payments/test_money_flows.py."""

from __future__ import annotations

from core.money.model import Money
from payments.wallet_rules import (
    HELD,
    PAID_OUT,
    PENDING,
    movement_text,
    purpose_name,
    readable,
    summed,
)

BALANCES = {("escrow", "EUR"): 10_000, ("authorised", "EUR"): 2_500, ("transfer", "EUR"): 400,
            ("escrow", "USD"): 700, ("payable", "EUR"): 9_500, ("paid_out", "EUR"): 0,
            ("payable", "GBP"): -300, ("discount", "EUR"): 50}


def test_held_money_sums_escrow_authorised_cards_and_transfers_per_currency():
    assert summed(BALANCES, HELD) == [Money(12_900, "EUR"), Money(700, "USD")]


def test_pending_and_paid_out_keep_their_own_purposes_and_drop_zero():
    assert summed(BALANCES, PENDING) == [Money(9_500, "EUR"), Money(-300, "GBP")]
    assert summed(BALANCES, PAID_OUT) == []


def test_a_movement_names_its_escrow_as_people_read_it_and_its_account():
    assert movement_text("Payment for deal:12", "escrow") == "Payment for deal #12 (escrow)"
    assert movement_text("Payment for booking:3:extend:1", "paid_out") == \
        "Payment for session booking #3 (extra time) (paid out)"
    assert movement_text("Transfer for deal:4", "transfer") == \
        "Transfer for deal #4 (received by transfer)"


def test_money_waiting_from_a_crypto_payment_reads_as_received_in_crypto_in_any_language():
    from types import SimpleNamespace

    from core.money.reading import reading

    assert movement_text("Crypto payment for deal:4", "transfer", crypto=True) == \
        "Crypto payment for deal #4 (received in crypto)"
    assert movement_text("Payment for deal:4", "escrow", crypto=True) == \
        "Payment for deal #4 (escrow)"  # only the waiting account is named after crypto
    said = {}
    for language in ("de", "fr", "sv"):
        with reading(SimpleNamespace(language=language, country=None)):
            said[language] = purpose_name("transfer", crypto=True), purpose_name("transfer")
    assert said == {"de": ("in Krypto eingegangen", "per Überweisung eingegangen"),
                    "fr": ("reçu en cryptomonnaie", "reçu par virement"),
                    "sv": ("mottaget i krypto", "mottaget via överföring")}


def test_an_unknown_purpose_reads_with_spaces_and_other_text_is_left_alone():
    assert movement_text("Fee", "loyalty_points") == "Fee (loyalty points)"
    assert readable("ordeal:12 and deal:x") == "ordeal:12 and deal:x"


def test_a_deposit_reads_as_the_bid_deposit_on_its_request_or_on_its_lot():
    assert readable("Payment for deposit:7:3") == "Payment for the bid deposit on request #7"
    assert movement_text("Refund of lot-deposit:8:4", "escrow") == \
        "Refund of the bid deposit on lot #8 (escrow)"
