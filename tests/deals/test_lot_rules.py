"""A seller's lot at auction on plain values, the reverse auction's rules on the seller's side:
the highest bid first and ties to the earlier, the step above the highest, the starting price,
the reserve met or not, the late-bid extension and the lot's setup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.deals.requests import auction_rules as rules
from core.deals.requests.auction_rules import AUCTION, SELLER, Bid
from core.errors import DomainError
from core.money.model import Money

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def test_on_a_lot_the_highest_bid_ranks_first_and_a_tie_goes_to_the_earlier_bid():
    bids = [Bid(1, 10, 2000, T0), Bid(2, 11, 2100, T0 + timedelta(seconds=1)),
            Bid(3, 12, 2100, T0 + timedelta(seconds=2)), Bid(4, 10, 2050, T0 + timedelta(seconds=3))]
    ranked = rules.standings(bids, SELLER)
    assert [(b.seller_id, b.price_minor) for b in ranked] == [(11, 2100), (12, 2100), (10, 2050)]
    assert rules.best(bids, SELLER).id == 2 and rules.best(bids).id == 1  # the other side: lowest
    assert rules.rank_of(ranked, 12) == 2


def test_a_bid_on_a_lot_starts_at_the_starting_price_and_rises_by_the_step():
    start, step = eur("20"), 10
    rules.checked_bid(AUCTION, eur("20"), start, None, step, "t", SELLER)
    with pytest.raises(DomainError, match="starts at"):
        rules.checked_bid(AUCTION, eur("19.99"), start, None, step, "t", SELLER)
    rules.checked_bid(AUCTION, eur("21.10"), start, 2100, step, "t", SELLER)
    with pytest.raises(DomainError, match=r"Bid at least .*21.10.*highest bid is .*21.00"):
        rules.checked_bid(AUCTION, eur("21.05"), start, 2100, step, "t", SELLER)
    with pytest.raises(DomainError, match="at least"):  # matching the highest is no raise
        rules.checked_bid(AUCTION, eur("21.00"), start, 2100, step, "t", SELLER)
    assert rules.highest_bid(AUCTION, start, eur("21"), step, SELLER) == eur("21.10")
    assert rules.highest_bid(AUCTION, start, None, step, SELLER) == start


def test_a_lot_is_awarded_only_at_or_above_its_reserve():
    ranked = rules.standings([Bid(1, 10, 2000, T0), Bid(2, 11, 2200, T0)], SELLER)
    assert rules.winner(ranked, None, SELLER).id == 2
    assert rules.winner(ranked, 2200, SELLER).id == 2
    assert rules.winner(ranked, 2201, SELLER) is None
    assert rules.reserve_met(2200, 2200, SELLER) and not rules.reserve_met(2199, 2200, SELLER)
    assert not rules.reserve_met(None, 2200, SELLER)
    assert rules.reserve_met(2200, 2200) and not rules.reserve_met(2201, 2200)  # a buyer's


def test_a_late_bid_on_a_lot_extends_the_close_as_on_a_reverse_auction():
    close = T0 + timedelta(minutes=10)
    assert rules.extended_close(close, close - timedelta(minutes=2), 3) == \
        close + timedelta(minutes=1)
    assert rules.extended_close(close, close - timedelta(minutes=4), 3) is None


@pytest.mark.parametrize(("start", "step", "reserve", "hours", "minutes", "pct", "error"), [
    ("0", "0.10", None, 24, None, None, "more than zero"),
    ("20", "0", None, 24, None, None, "more than zero"),
    ("20", "0.10", "19", 24, None, None, "at least the starting price"),
    ("20", "0.10", None, 0, None, None, "1 to 720 hours"),
    ("20", "0.10", None, 24, 31, None, "1 to 30 minutes"),
    ("20", "0.10", None, 24, None, 3, "1, 2, 5 or 10"),
])
def test_a_lots_setup_is_refused_with_the_reason(start, step, reserve, hours, minutes, pct,
                                                 error):
    with pytest.raises(DomainError, match=error):
        rules.checked_lot(eur(start), eur(step), eur(reserve) if reserve else None, hours,
                          minutes, pct)
    rules.checked_lot(eur("20"), eur("0.10"), eur("25"), 24, 3, 2)
