"""The deal's rules on plain values: no database, no fixtures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.deals import rules
from core.errors import DomainError
from core.money.model import Money


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


# --- totals -------------------------------------------------------------------------------------


def test_line_total_is_price_times_quantity_in_thousandths():
    assert rules.line_total(eur(12_50), 2_000) == eur(25_00)


def test_line_total_rounds_half_up_to_the_minor_unit():
    assert rules.line_total(eur(1), 500) == eur(1)  # 0.5 cent → 1
    assert rules.line_total(eur(1), 499) == eur(0)  # 0.499 cent → 0
    assert rules.line_total(eur(3), 1_500) == eur(5)  # 4.5 → 5, not banker's 4


def test_line_total_of_nothing_is_zero():
    assert rules.line_total(eur(99_99), 0) == eur(0)


def test_a_contract_in_all_is_each_call_off_rounded_then_multiplied():
    assert rules.contract_total(eur(1), 500, 3) == eur(3)  # 1 cent each, not 1.5 → 2
    assert rules.contract_total(eur(10_00), 1_000, 1) == eur(10_00)


# --- quantity -----------------------------------------------------------------------------------


def test_quantity_in_thousandths_within_the_minimum_and_the_stock():
    assert rules.checked_quantity(Decimal("2.5"), 1_000, 10_000) == 2_500


def test_quantity_exactly_at_the_minimum_order_and_exactly_the_stock_is_allowed():
    assert rules.checked_quantity(Decimal("1"), 1_000, 10_000) == 1_000
    assert rules.checked_quantity(Decimal("10"), 1_000, 10_000) == 10_000


def test_quantity_just_under_the_minimum_order_is_refused():
    with pytest.raises(DomainError, match="minimum order is 1"):
        rules.checked_quantity(Decimal("0.999"), 1_000, 10_000)


def test_quantity_just_over_the_stock_is_refused():
    with pytest.raises(DomainError, match="Only 10 are available"):
        rules.checked_quantity(Decimal("10.001"), 1_000, 10_000)


@pytest.mark.parametrize("quantity", ["0", "-1", "1.0005"])
def test_zero_negative_or_more_than_three_decimals_is_refused(quantity):
    with pytest.raises(DomainError, match="positive amount"):
        rules.checked_quantity(Decimal(quantity), None, 10_000)


def test_no_minimum_order_allows_the_smallest_amount():
    assert rules.checked_quantity(Decimal("0.001"), None, 10_000) == 1
    assert rules.checked_quantity(Decimal("0.001"), 0, 10_000) == 1


# --- terms --------------------------------------------------------------------------------------


def _terms(**changes):
    args = {"listing_currency": "EUR", "least_milli": 1_000, "stock_milli": 10_000,
            "quantity": Decimal("2"), "price": eur(5_00), "payment_method": "escrow",
            "delivery_from": date(2026, 1, 1), "delivery_to": date(2026, 1, 31),
            "expires_in": timedelta(hours=48), "count": None, "every": None}
    return rules.checked_terms(**{**args, **changes})


def test_good_terms_give_the_quantity_in_thousandths():
    assert _terms() == 2_000


@pytest.mark.parametrize("changes, message", [
    ({"price": Money(5_00, "USD")}, "in EUR"),
    ({"price": eur(0)}, "more than zero"),
    ({"payment_method": "cash"}, "escrow or arranging"),
    ({"delivery_to": date(2025, 12, 31)}, "ends before it starts"),
    ({"expires_in": timedelta(minutes=59)}, "1 hour and 14 days"),
    ({"expires_in": timedelta(days=14, seconds=1)}, "1 hour and 14 days"),
    ({"quantity": Decimal("0.5")}, "minimum order"),
    ({"count": 1, "every": "month"}, "2 to 24 call-offs"),
    ({"count": 25, "every": "month"}, "2 to 24 call-offs"),
    ({"count": 3, "every": "fortnight"}, "how often"),
    ({"count": 6, "every": "month"}, "6 call-offs of 2 need 12"),
])
def test_terms_an_offer_may_not_ask(changes, message):
    with pytest.raises(DomainError, match=message):
        _terms(**changes)


def test_terms_at_their_limits_stand():
    assert _terms(expires_in=timedelta(hours=1)) == 2_000
    assert _terms(expires_in=timedelta(days=14)) == 2_000
    assert _terms(expires_in=None) == 2_000
    assert _terms(delivery_to=date(2026, 1, 1)) == 2_000  # a one-day window
    assert _terms(count=5, every="week") == 2_000  # 5 times 2 is the whole stock of 10
    assert _terms(count=2, every="month") == 2_000
    assert _terms(payment_method="direct") == 2_000


# --- quality and quantity tolerance -------------------------------------------------------------

MOISTURE = rules.Spec("moisture", Decimal("10"), True, eur(2_00))
NCV = rules.Spec("ncv", Decimal("16.5"), False, eur(1_00))


def test_deviation_is_zero_exactly_at_the_limit_and_beyond_it_counts():
    assert rules.deviation(MOISTURE, Decimal("10")) == 0
    assert rules.deviation(MOISTURE, Decimal("9")) == 0
    assert rules.deviation(MOISTURE, Decimal("11.5")) == Decimal("1.5")
    assert rules.deviation(NCV, Decimal("16.5")) == 0
    assert rules.deviation(NCV, Decimal("16")) == Decimal("0.5")


def test_adjustment_rounds_half_up_and_ignores_unmeasured_specs():
    # 0.005 deviation, €1, 1 t: half a cent, rounded up to 1 cent
    assert rules.adjustment([NCV], {"ncv": Decimal("16.495")}, Decimal(1), "EUR") == eur(1)
    assert rules.adjustment([MOISTURE, NCV], {}, Decimal(20), "EUR") == eur(0)


def test_default_specs_take_the_listing_values_and_a_share_of_the_price_half_up():
    specs = rules.default_specs({"moisture": "12", "ash": "", "ncv": 17}, eur(1_25))
    assert specs == [{"name": "moisture", "limit": "12", "is_maximum": True, "penalty_minor": 3},
                     {"name": "ncv", "limit": "17", "is_maximum": False, "penalty_minor": 3}]


def test_specs_of_reads_the_frozen_terms_back():
    body = {"quality": rules.default_specs({"ash": "5"}, eur(10_00))}
    assert rules.specs_of(body, "EUR") == [rules.Spec("ash", Decimal("5"), True, eur(30))]
    assert rules.specs_of({}, "EUR") == []


def test_shortfall_is_nothing_within_the_tolerance_and_exactly_at_it():
    assert rules.shortfall(Decimal(100), Decimal(95), Decimal(5), eur(10_00)) == eur(0)
    assert rules.shortfall(Decimal(100), Decimal(100), Decimal(5), eur(10_00)) == eur(0)


def test_shortfall_beyond_the_tolerance_costs_the_missing_goods_half_up():
    assert rules.shortfall(Decimal(100), Decimal(94), Decimal(5), eur(10_00)) == eur(10_00)
    assert rules.shortfall(Decimal(1), Decimal("0.945"), Decimal(5), eur(1_00)) == eur(1)


def test_price_adjustment_adds_quality_and_shortfall():
    cost = rules.price_adjustment([MOISTURE], {"moisture": Decimal(11)}, Decimal(100),
                                  Decimal(94), Decimal(5), eur(10_00), eur(1_000_00))
    assert cost == eur(2_00 * 94 + 10_00)


def test_price_adjustment_is_never_the_whole_total_and_never_negative():
    huge = rules.Spec("moisture", Decimal(0), True, eur(1_000_00))
    cost = rules.price_adjustment([huge], {"moisture": Decimal(50)}, Decimal(1), Decimal(1),
                                  Decimal(5), eur(10_00), eur(10_00))
    assert cost == eur(9_99)
    assert rules.price_adjustment([], {}, Decimal(1), Decimal(1), Decimal(5), eur(0),
                                  eur(0)) == eur(0)
