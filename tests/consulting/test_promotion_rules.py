"""A consultant's promotions on plain values — packages, prices, who is featured where, the
payment reference: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.consulting.profiles import rules
from core.errors import DomainError
from core.money.model import Money

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_promotion_runs_seven_or_thirty_days_at_its_packages_price():
    assert rules.price(7) == Money(19_00, "EUR") and rules.price(30) == Money(59_00, "EUR")
    for days in rules.PACKAGES:
        rules.check_package(days)
    for days in (0, 1, 14, 31, -7):
        with pytest.raises(DomainError, match="7 or 30 days"):
            rules.check_package(days)
    assert rules.ends_at(NOW, 7) == NOW + timedelta(days=7)


def test_a_live_consultant_is_featured_only_in_a_field_of_their_own():
    rules.check_may_buy(live=True)
    with pytest.raises(DomainError, match="Go live"):
        rules.check_may_buy(live=False)
    rules.check_featured_in("biogas", ["pellets", "biogas"])
    for elsewhere in ("logistics", ""):
        with pytest.raises(DomainError, match="own expertise"):
            rules.check_featured_in(elsewhere, ["pellets", "biogas"])


def test_the_payment_reference_names_the_promotion_bought_and_nothing_else_does():
    reference = rules.reference(42, "biogas", 30, NOW)
    assert reference == f"promotion:42:biogas:30:{int(NOW.timestamp())}"
    assert rules.bought(reference) == (42, "biogas", 30)
    assert rules.reference(42, "biogas", 30, NOW + timedelta(seconds=1)) != reference
    for other in ("deal:12", "promotion:42:biogas:30", "promotion:x:biogas:30:1",
                  "promotion:42:biogas:month:1", "package:42:biogas:30:1", ""):
        assert rules.bought(other) is None


def page(ordered, featured, number, per_page=3):
    return rules.directory_page(list(ordered), list(featured), number, per_page)


def test_each_page_opens_with_at_most_two_featured_then_the_others_in_rank_order():
    ranked = [1, 2, 3, 4, 5, 6, 7]
    assert page(ranked, [5, 6, 7], 0) == ([5, 6, 1], [5, 6])
    assert page(ranked, [5, 6, 7], 1) == ([7, 2, 3], [7])
    assert page(ranked, [5, 6, 7], 2) == ([4], [])
    assert page(ranked, [], 0) == ([1, 2, 3], [])
    everyone = [i for n in range(4) for i in page(ranked, [5, 6, 7], n)[0]]
    assert sorted(everyone) == ranked  # each once


def test_when_the_others_run_out_the_featured_fill_the_page():
    assert page([1, 2, 3, 4], [2, 3, 4], 0) == ([2, 3, 1], [2, 3])
    assert page([1, 2, 3, 4], [2, 3, 4], 1) == ([4], [4])
    assert page([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 0) == ([1, 2, 3], [1, 2])


def test_a_page_past_the_end_is_empty():
    assert page([1, 2], [2], 1) == ([], [])
    assert page([], [], 0) == ([], [])
