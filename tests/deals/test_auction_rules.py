"""Tender and auction rules on plain values: standings, ranks, the reserve, the setup, a bid's
price and the late-bid extension."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.deals.requests import auction_rules as rules
from core.deals.requests.auction_rules import Bid
from core.errors import DomainError
from core.money.model import Money

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def test_a_sellers_standing_is_their_latest_bid_and_ties_go_to_the_earlier():
    bids = [Bid(1, 10, 2000, T0), Bid(2, 11, 1900, T0 + timedelta(seconds=1)),
            Bid(3, 10, 2100, T0 + timedelta(seconds=2)),  # a tender's bid replaced upwards
            Bid(4, 12, 1900, T0 + timedelta(seconds=3))]
    ranked = rules.standings(bids)
    assert [(b.seller_id, b.price_minor) for b in ranked] == [(11, 1900), (12, 1900), (10, 2100)]
    assert rules.rank_of(ranked, 12) == 2 and rules.rank_of(ranked, 99) is None


def test_the_winner_is_the_best_bid_within_the_reserve():
    ranked = rules.standings([Bid(1, 10, 2000, T0), Bid(2, 11, 2100, T0)])
    assert rules.winner(ranked, None).id == 1
    assert rules.winner(ranked, 2000).id == 1
    assert rules.winner(ranked, 1999) is None
    assert rules.winner([], None) is None


@pytest.mark.parametrize(("mode", "ceiling", "step", "minutes", "reserve", "error"), [
    ("lottery", None, None, None, None, "Choose quotes"),
    ("auction", None, "0.10", None, None, "starts from your highest price"),
    ("auction", "22", None, None, None, "minimum step"),
    ("auction", "22", "0", None, None, "minimum step"),
    ("auction", "22", "22", None, None, "less than the starting price"),
    ("auction", "22", "0.10", 0, None, "1 to 30 minutes"),
    ("auction", "22", "0.10", 31, None, "1 to 30 minutes"),
    ("tender", "22", None, None, "23", "at most your highest price"),
    ("tender", None, None, None, "0", "more than zero"),
])
def test_a_tender_or_auction_is_refused_at_its_wrong_setting(mode, ceiling, step, minutes,
                                                              reserve, error):
    with pytest.raises(DomainError, match=error):
        rules.checked_setup(mode, eur(ceiling) if ceiling else None,
                            eur(step) if step else None, minutes,
                            eur(reserve) if reserve else None)


def test_good_settings_pass():
    assert rules.checked_setup("auction", eur("22"), eur("0.10"), 3, eur("20"), 2) is None
    assert rules.checked_setup("tender", None, None, None, None) is None
    assert rules.checked_setup("quotes", None, None, None, None) is None


def test_an_auction_bid_must_be_a_step_under_the_best_and_within_the_ceiling():
    rules.checked_bid("auction", eur("21.90"), eur("22"), None, 10, "t")  # the first bid
    rules.checked_bid("auction", eur("19.90"), eur("22"), 2000, 10, "t")  # exactly a step
    with pytest.raises(DomainError, match=r"Bid at most €19.90 per t: the best bid is €20.00"):
        rules.checked_bid("auction", eur("19.95"), eur("22"), 2000, 10, "t")
    with pytest.raises(DomainError, match=r"pays at most €22\.00 per t"):
        rules.checked_bid("auction", eur("22.01"), eur("22"), None, 10, "t")
    with pytest.raises(DomainError, match="more than zero"):
        rules.checked_bid("tender", eur("0"), None, None, None, "t")
    rules.checked_bid("tender", eur("21.99"), eur("22"), 1000, None, "t")  # sealed: any price


def test_a_bid_in_the_last_minutes_moves_the_close_to_that_many_minutes_after_it():
    close = T0 + timedelta(minutes=10)
    assert rules.extended_close(close, T0, 3) is None
    assert rules.extended_close(close, close - timedelta(minutes=3), 3) is None  # not inside
    late = close - timedelta(seconds=20)
    assert rules.extended_close(close, late, 3) == late + timedelta(minutes=3)
    assert rules.extended_close(close, late, None) == late + timedelta(minutes=3)
    assert rules.extended_close(close, late, 5) == late + timedelta(minutes=5)


def test_a_listing_reaches_a_request_by_its_delivery_and_radius():
    from core.deals.request_rules import reaches

    assert reaches(["pickup"], None, 900.0, "EXW")  # the buyer collects: anyone
    assert reaches(["DAP"], None, 900.0, "DAP")  # delivered on Incoterms: anywhere
    assert reaches(["delivery"], 150, 120.0, "DAP")
    assert not reaches(["delivery"], 150, 151.0, "DAP")  # beyond the radius
    assert reaches(["delivery"], 150, None, "DAP")  # a place the gazetteer doesn't know
    assert not reaches(["pickup", "EXW"], None, 10.0, "DAP")  # hands over at home only
