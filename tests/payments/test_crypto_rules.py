"""Paying in crypto, as rules without a database: the webhook's signature, what an invoice's
payments come to in euros (only settled ones count), what is new since the last count, and
how long an invoice takes payments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from payments import crypto_rules
from payments.crypto_payments import invoice_of

BODY = b'{"deliveryId":"D1","type":"InvoiceSettled","invoiceId":"Inv1"}'


def test_a_webhook_signed_with_the_secret_is_accepted_and_anything_else_refused():
    good = crypto_rules.signature("s3cret", BODY)
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert crypto_rules.signed("s3cret", BODY, good)
    assert not crypto_rules.signed("other", BODY, good)  # another secret
    assert not crypto_rules.signed("s3cret", BODY + b" ", good)  # a body changed on the way
    assert not crypto_rules.signed("s3cret", BODY, good.removeprefix("sha256="))  # no scheme
    assert not crypto_rules.signed("s3cret", BODY, None) and not crypto_rules.signed("", BODY, good)


def _method(*payments, rate="50000", due="0"):
    return {"rate": rate, "due": due, "payments": [
        {"value": value, "status": status} for value, status in payments]}


def test_an_invoice_paid_exactly_counts_to_the_cent():
    paid = crypto_rules.paid_in([_method(("0.005", "Settled"))], 25_000, 2)
    assert (paid.settled, paid.confirming) == (25_000, 0)


def test_a_rate_that_rounds_still_counts_an_invoice_paid_in_full_exactly():
    # 100.00 € at 30 000 €/BTC is 0.00333333 BTC: 99.9999 € at the rate, due 0 at the provider.
    paid = crypto_rules.paid_in([_method(("0.00333333", "Settled"), rate="30000")], 10_000, 2)
    assert paid.settled == 10_000


def test_only_settled_payments_count_and_one_still_confirming_is_said_apart():
    paid = crypto_rules.paid_in([_method(("0.002", "Settled"), ("0.001", "Processing"),
                                         ("0.004", "Invalid"), due="0.002")], 25_000, 2)
    assert (paid.settled, paid.confirming) == (10_000, 5_000)


def test_too_much_and_too_little_are_counted_as_paid():
    over = crypto_rules.paid_in([_method(("0.006", "Settled"), due="-0.001")], 25_000, 2)
    short = crypto_rules.paid_in([_method(("0.001", "Settled"), due="0.004")], 25_000, 2)
    assert (over.settled, short.settled) == (30_000, 5_000)


def test_payments_in_two_coins_add_up_at_each_coins_rate():
    btc = _method(("0.001", "Settled"), due="0.002")
    usdc = {"rate": "0.92", "due": "100", "payments": [{"value": "100", "status": "Settled"}]}
    assert crypto_rules.paid_in([btc, usdc], 25_000, 2).settled == 5_000 + 9_200


def test_what_the_provider_says_that_is_not_a_number_counts_nothing():
    weird = [{"rate": "NaN", "due": "x", "payments": [{"value": "1e999999", "status": "Settled"},
                                                      {"value": None, "status": "Settled"}]}]
    assert crypto_rules.paid_in(weird, 25_000, 2).settled == 0


def test_only_what_is_new_since_the_last_count_is_counted():
    assert crypto_rules.new_since(25_000, 10_000) == 15_000
    assert crypto_rules.new_since(10_000, 10_000) == 0  # the same total again: nothing
    assert crypto_rules.new_since(5_000, 10_000) == 0  # never money back by itself


def test_an_invoice_takes_payments_until_it_expires_or_the_provider_closes_it():
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    ends = crypto_rules.expires_at(now, 60)
    assert ends == now + timedelta(hours=1)
    assert crypto_rules.still_open("new", ends, now + timedelta(minutes=59))
    assert not crypto_rules.still_open("new", ends, ends)
    assert not crypto_rules.still_open("expired", ends, now)
    assert not crypto_rules.still_open("settled", ends, now)


def test_an_incoming_payment_names_its_invoice():
    assert invoice_of("crypto:Inv0001Fake:25000") == "Inv0001Fake"
    assert invoice_of("crypto:sbx_inv_crypto-invoice_4_1:ppage-abc") == \
        "sbx_inv_crypto-invoice_4_1"
    assert invoice_of("bank-1") is None


def test_an_ask_without_idempotency_key_ends_well_inside_its_lease():
    """The lease must outlast any ask: the whole ask is cut off long before the lease ends,
    and the cut-off still leaves its three calls (listing, payment methods, refund) the
    client's ordinary 20 s each."""
    assert crypto_rules.ASK_WITHIN * 2 <= crypto_rules.ASK_LEASE
    assert crypto_rules.ASK_WITHIN >= timedelta(seconds=3 * 20)
