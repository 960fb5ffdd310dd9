"""Loyalty's rules on plain values — tiers, points' worth, redemptions: no database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import DomainError
from core.loyalty import rules
from core.money.model import Money


@pytest.mark.parametrize("earned, tier", [(0, "Bronze"), (499, "Bronze"), (500, "Silver"),
                                          (1999, "Silver"), (2000, "Gold"), (10**6, "Gold")])
def test_tiers_begin_exactly_at_their_points(earned, tier):
    assert rules.tier_of(earned) == tier


def test_the_next_tier_and_how_far_it_is():
    assert rules.next_tier(0) == ("Silver", 500)
    assert rules.next_tier(499) == ("Silver", 1)
    assert rules.next_tier(500) == ("Gold", 1500)
    assert rules.next_tier(2000) is None


def test_a_point_is_worth_a_cent_and_none_nothing():
    assert rules.value_of(500) == Money(5_00, "EUR")
    assert rules.value_of(1) == Money(1, "EUR")
    assert rules.value_of(0) == Money(0, "EUR")


def test_a_redemption_is_a_whole_number_of_at_least_500_points():
    rules.check_redemption(500)
    rules.check_redemption(10_000)
    for spent in (499, 0, -500, 500.0, "500", None):
        with pytest.raises(DomainError, match="at least 500"):
            rules.check_redemption(spent)


def test_what_earns_points_each_has_a_reason_and_tiers_count_a_year():
    assert set(rules.EARN) == set(rules.REASONS)
    assert all(points > 0 for points in rules.EARN.values())
    assert rules.TIER_YEAR == timedelta(days=365)
