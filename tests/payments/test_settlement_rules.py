"""How an escrow settles, without a database (payments.settlement_rules): each refund, split,
void and capture as (to the payee, commission, to the payer), the amounts refused, and the
commission on the price without its VAT. That the service applies these under the escrow's
guarded move, and the ledger moves the money once, stays proven on the database
(test_ledger_properties.py, test_money_flows.py, test_credit_notes_and_commission.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError
from core.money.model import CommissionRule, Money
from payments.settlement_rules import (
    NO_COMMISSION,
    capture_plan,
    commission_on,
    refund_plan,
    split_plan,
    vat_in,
    void_plan,
)
from payments.tables import Escrow

FIVE = CommissionRule(Decimal(5), Decimal(1))  # 5 %, at least €1.00


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def escrow(amount: int = 10_000, refunded: int = 0, drawn: int = 0, vat: int = 0,
           vat_rate: str | None = None) -> Escrow:
    return Escrow(amount=amount, refunded=refunded, drawn=drawn, vat=vat, vat_rate=vat_rate,
                  currency="EUR")


def test_a_refund_gives_back_all_that_is_left_or_the_part_asked():
    assert refund_plan(escrow(refunded=2_000, drawn=3_000), None) == (0, 0, 5_000)
    assert refund_plan(escrow(), eur(2_500)) == (0, 0, 2_500)
    assert refund_plan(escrow(refunded=2_000), eur(8_000)) == (0, 0, 8_000)


@pytest.mark.parametrize("asked", [0, -1, 8_001])
def test_a_refund_of_nothing_or_more_than_is_left_is_refused(asked):
    with pytest.raises(DomainError, match=r"at most €80\.00"):
        refund_plan(escrow(refunded=2_000), eur(asked))


def test_a_split_pays_the_rest_to_the_payee_less_the_commission_on_it():
    assert split_plan(escrow(refunded=1_000), eur(3_000), FIVE) == (6_000, 300, 3_000)
    assert split_plan(escrow(), eur(9_500), FIVE) == (500, 100, 9_500)  # the minimum, €1.00


@pytest.mark.parametrize("refund", [0, 10_000, 12_000])
def test_a_split_must_leave_something_to_each_side(refund):
    with pytest.raises(DomainError, match="not none or all"):
        split_plan(escrow(), eur(refund), FIVE)


def test_a_void_charges_nothing_and_releases_the_whole_authorisation():
    assert void_plan(escrow(amount=9_000)) == (0, 0, 9_000)


def test_a_capture_charges_up_to_the_authorisation_and_releases_the_rest():
    assert capture_plan(escrow(amount=9_000), eur(6_000), FIVE) == (6_000, 300, 3_000)
    assert capture_plan(escrow(amount=9_000), eur(9_000), NO_COMMISSION) == (9_000, 0, 0)


@pytest.mark.parametrize("amount", [eur(0), eur(9_001), Money(5_000, "USD")])
def test_a_capture_of_nothing_too_much_or_another_currency_is_refused(amount):
    with pytest.raises(DomainError, match=r"at most €90\.00"):
        capture_plan(escrow(amount=9_000), amount, FIVE)


def test_the_commission_is_on_the_price_never_on_the_vat_it_includes():
    charged = escrow(amount=12_100, vat=2_100, vat_rate="21")
    assert vat_in(charged, 12_100) == 2_100  # the whole: the escrow's own VAT
    assert vat_in(charged, 6_050) == 1_050  # a part: the VAT at its rate
    assert vat_in(escrow(), 10_000) == 0
    assert commission_on(FIVE, charged, eur(12_100)) == eur(500)
    assert split_plan(charged, eur(6_050), FIVE) == (6_050, 250, 6_050)
    assert capture_plan(charged, eur(12_100), FIVE)[1] == 500
