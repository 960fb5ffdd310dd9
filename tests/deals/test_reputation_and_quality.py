"""Reputation is a Bayesian average; quality adjustments follow the frozen terms exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.deals.ratings.reputation import reputation
from core.deals.rules import Spec, adjustment, deviation
from core.money.model import Money

MEAN = Decimal("4.2")


def test_two_five_star_ratings_do_not_outrank_fifty_ratings_of_four_point_eight():
    few = reputation([5, 5], MEAN, completed=2, disputes=0)
    many = reputation([5] * 40 + [4] * 10, MEAN, completed=50, disputes=1)
    assert many.score > few.score
    assert (few.score, many.score, many.dispute_rate) == (Decimal("4.33"), Decimal("4.70"),
                                                          Decimal("0.020"))
    with pytest.raises(ValueError):
        reputation([6], MEAN, completed=1, disputes=0)


def test_within_tolerance_nothing_changes_beyond_it_the_agreed_penalty_applies():
    moisture = Spec("moisture", Decimal(10), True, Money.parse("1.50", "EUR"))
    ncv = Spec("ncv", Decimal("16.5"), False, Money.parse("4", "EUR"))
    assert deviation(moisture, Decimal("9.5")) == 0
    assert adjustment([moisture, ncv], {"moisture": Decimal("9.5"), "ncv": Decimal("17")},
                      Decimal(100), "EUR") == Money(0, "EUR")
    # 2 points too wet * 1.50 * 100 t + 0.5 MJ/kg short * 4 * 100 t = 300 + 200
    assert adjustment([moisture, ncv], {"moisture": Decimal(12), "ncv": Decimal(16)},
                      Decimal(100), "EUR") == Money(50000, "EUR")
    assert adjustment([moisture], {"moisture": Decimal("10.001")}, Decimal(1), "JPY") == Money(
        0, "JPY")
