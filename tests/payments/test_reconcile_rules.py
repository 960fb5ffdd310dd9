"""Reconciliation's comparison without a database (payments.reconcile_rules): the provider's
balance transactions summed per charge, and each disagreement with the ledger named. Against
Stripe's own balance transactions and the real ledger: tests/payments/test_stripe.py."""

from __future__ import annotations

from core.money.model import Money
from payments.reconcile import at_provider
from payments.reconcile_rules import mismatches, provider_net_by_charge


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def test_a_charge_less_its_refunds_is_the_providers_net_and_payouts_and_fees_are_not_counted():
    net = provider_net_by_charge([
        {"type": "charge", "source": "ch_1", "currency": "EUR", "amount": 10_000},
        {"type": "refund", "charge": "ch_1", "currency": "EUR", "amount": -2_000},
        {"type": "payment", "source": "py_2", "charge": "py_2", "currency": "EUR", "amount": 500},
        {"type": "payout", "source": "po_1", "currency": "EUR", "amount": -7_000},
        {"type": "stripe_fee", "currency": "EUR", "amount": -30},
        {"type": "refund", "charge": None, "currency": "EUR", "amount": -100},
    ])
    assert net == {"ch_1": eur(8_000), "py_2": eur(500)}


def test_ledger_and_provider_agreeing_report_nothing():
    assert mismatches({"ch_1": ("deal:1", eur(8_000))}, {"ch_1": eur(8_000)}) == (1, [])


def test_each_disagreement_is_named_once_in_the_order_of_the_charges():
    ours = {"ch_b": ("deal:2", eur(18_000)), "ch_c": ("deal:3", eur(500))}
    theirs = {"ch_a": eur(100), "ch_b": eur(17_500)}
    assert mismatches(ours, theirs) == (3, [
        "ch_a: at the provider (€1.00) but not in the ledger",
        "ch_b (deal:2): ledger €180.00, provider €175.00",
        "ch_c (deal:3): in the ledger (€5.00) but not at the provider",
    ])


def test_the_same_amount_in_another_currency_is_a_mismatch():
    _, problems = mismatches({"ch_1": ("deal:1", eur(100))}, {"ch_1": Money(100, "USD")})
    assert len(problems) == 1 and problems[0].startswith("ch_1 (deal:1): ledger €1.00")


def test_a_sessions_card_only_authorised_is_not_at_the_provider_yet():
    assert not at_provider("session", "authorised") and not at_provider("session", "settling")
    assert at_provider("session", "released") and at_provider("goods", "authorised")
