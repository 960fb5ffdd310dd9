"""Reputation is a Bayesian average; quality adjustments follow the frozen terms exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.deals.after_sale import service as after_sale
from core.deals.ratings import service as ratings
from core.deals.ratings.reputation import Figures, reputation, stars_text
from core.deals.rules import Spec, adjustment, deviation
from core.money.model import Money
from core.process.deals import DealState
from tests.deals.after_sale_fakes import BOB, SAM, MemoryLogbook

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


# --- the figures a publication keeps, on the in-memory logbook (tests/deals/after_sale_fakes.py)


async def test_both_ratings_published_refresh_both_reputations_against_the_markets_mean():
    book = MemoryLogbook()
    deal_id = book.sale(DealState.COMPLETED)
    await after_sale.rate(book, deal_id, BOB, 4)
    assert book.stats == {} and book.told == []  # blind: nothing shown, nobody told
    await after_sale.rate(book, deal_id, SAM, 5)
    # the market's mean is 4.5: Sam (10 * 4.5 + 4) / 11 = 4.45, Bob (45 + 5) / 11 = 4.55
    assert book.stats == {SAM: Figures(45, 1, 1, 4), BOB: Figures(46, 1, 1, 5)}
    assert book.told == [(deal_id, {SAM: 4, BOB: 5})]
    assert stars_text(book.stats[SAM].stars_total, book.stats[SAM].ratings) == (
        "★ 4.0 from 1 rating")  # shown: the plain mean, not the Bayesian score


async def test_a_lone_rating_published_when_the_window_closes_refreshes_its_ratee_only():
    book = MemoryLogbook()
    book.sale(DealState.CLOSED)  # Sam's earlier deal counts as completed
    deal_id = book.sale(DealState.COMPLETED)
    book.sale(DealState.TO_SHIP)  # not yet
    await after_sale.rate(book, deal_id, BOB, 3)
    await book.take(deal_id, "close-reviews", None)  # the window closes: the system's move
    assert book.stats == {SAM: Figures(30, 1, 2, 3)}  # the mean is 3: (30 + 3) / 11; 2 completed
    assert book.told == [(deal_id, {SAM: 3})]
    assert await ratings.publish(book, deal_id) == 0 and len(book.told) == 1  # once
    assert await ratings.published_stars(book, SAM) == [3]


async def test_before_the_market_has_ratings_a_standing_starts_from_four_stars():
    book = MemoryLogbook()
    book.sale(DealState.COMPLETED)
    await ratings.refresh(book, SAM)
    assert book.stats == {SAM: Figures(40, 0, 1, 0)}
