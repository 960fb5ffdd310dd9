"""Tenders and reverse auctions on a request for supply, on plain values (no database).

A request is answered in one of three ways (`MODES`): quotes to negotiate (core.deals.
supply_requests), a sealed-bid tender, or a reverse auction. In both of the last, a bid is a price
per unit for the whole quantity (one lot), and a seller's standing is their latest bid:
- a tender's bids are sealed: nobody sees another's until the deadline; a seller may replace
  theirs until then;
- an auction's best price is shown (not who bid it) with each seller's rank; a bid must be at
  least the minimum step under the best, and a bid in the last N minutes moves the close to N
  minutes after it (N is `extend_minutes`, 3 unless the buyer chose otherwise), so the auction
  ends only when nobody has bid for N minutes — Baltpool's rule for biomass auctions.
At the close the standings are ranked by price, ties by time (the earlier bid wins); the best
bid at or under the buyer's hidden reserve wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.catalog.taxonomy import UNITS
from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money

QUOTES, TENDER, AUCTION = "quotes", "tender", "auction"
MODES = {QUOTES: N_("Quotes to negotiate"), TENDER: N_("Sealed-bid tender"),
         AUCTION: N_("Reverse auction")}
BIDDING = (TENDER, AUCTION)
EXTEND_MINUTES = 3
EXTEND_AT_MOST = 30
DEPOSIT_PERCENTS = (1, 2, 5, 10)


@dataclass(frozen=True)
class Bid:
    """One bid as the ranking reads it."""

    id: int
    seller_id: int
    price_minor: int
    placed_at: datetime


def standings(bids: Iterable[Bid]) -> list[Bid]:
    """Each seller's latest bid, best first: the lowest price, then the earliest."""
    latest: dict[int, Bid] = {}
    for bid in bids:
        held = latest.get(bid.seller_id)
        if held is None or (bid.placed_at, bid.id) > (held.placed_at, held.id):
            latest[bid.seller_id] = bid
    return sorted(latest.values(), key=lambda b: (b.price_minor, b.placed_at, b.id))


def rank_of(ranked: list[Bid], seller_id: int) -> int | None:
    """A seller's place in the standings (1 is the best), None if they have not bid."""
    return next((place for place, bid in enumerate(ranked, 1) if bid.seller_id == seller_id),
                None)


def winner(ranked: list[Bid], reserve_minor: int | None) -> Bid | None:
    """The best bid, if it is at or under the reserve (when there is one)."""
    if not ranked or (reserve_minor is not None and ranked[0].price_minor > reserve_minor):
        return None
    return ranked[0]


def checked_setup(mode: str, ceiling: Money | None, step: Money | None,
                  extend_minutes: int | None, reserve: Money | None,
                  deposit_pct: int | None = None) -> None:
    """What a tender or auction needs besides the request: an auction its step and a
    starting price (the ceiling); a reserve, if any, no higher than the ceiling; a deposit a
    percentage of the lot at the ceiling, so a ceiling."""
    if mode not in MODES:
        raise DomainError(_("Choose quotes, a sealed-bid tender or a reverse auction."))
    if deposit_pct is not None:
        if mode not in BIDDING:
            raise DomainError(_("A bid deposit is for tenders and auctions."))
        if deposit_pct not in DEPOSIT_PERCENTS:
            raise DomainError(_("A bid deposit is 1, 2, 5 or 10 % of the lot."))
        if ceiling is None:
            raise DomainError(_("A bid deposit is a share of the lot at your highest price: "
                                "give the most you pay per unit."))
    if mode == AUCTION:
        if ceiling is None:
            raise DomainError(_("A reverse auction starts from your highest price: give "
                                "the most you pay per unit."))
        if step is None or step.amount <= 0:
            raise DomainError(_("Give the minimum step, more than zero."))
        if step.amount >= ceiling.amount:
            raise DomainError(_("The minimum step must be less than the starting price "
                                "({price}).", price=ceiling))
        if extend_minutes is not None and not 1 <= extend_minutes <= EXTEND_AT_MOST:
            raise DomainError(_("A late bid extends the auction by 1 to {most} minutes.",
                                most=EXTEND_AT_MOST))
    if reserve is not None:
        if reserve.amount <= 0:
            raise DomainError(_("The price must be more than zero."))
        if ceiling is not None and reserve.amount > ceiling.amount:
            raise DomainError(_("The reserve must be at most your highest price ({price}).",
                                price=ceiling))


def highest_bid(mode: str, ceiling: Money | None, best: Money | None,
                step_minor: int | None) -> Money | None:
    """The highest price a bid may have now: in an auction one step under the best bid, else
    the buyer's ceiling (None: no ceiling)."""
    if mode == AUCTION and best is not None and step_minor is not None:
        return Money(best.amount - step_minor, best.currency)
    return ceiling


def checked_bid(mode: str, price: Money, ceiling: Money | None, best_minor: int | None,
                step_minor: int | None, unit: str) -> None:
    """A bid's price: more than zero, at most the ceiling, and in an auction at least one
    step under the best bid so far."""
    per = _(UNITS.get(unit, unit))
    if price.amount <= 0:
        raise DomainError(_("The price must be more than zero."))
    if ceiling is not None and price.currency == ceiling.currency \
            and price.amount > ceiling.amount:
        raise DomainError(_("The buyer pays at most {price} per {unit}.", price=ceiling,
                            unit=per))
    if mode == AUCTION and best_minor is not None and step_minor is not None \
            and price.amount > best_minor - step_minor:
        raise DomainError(_("Bid at most {price} per {unit}: the best bid is {best}, and a bid "
                            "must be at least {step} under it.",
                            price=Money(best_minor - step_minor, price.currency), unit=per,
                            best=Money(best_minor, price.currency),
                            step=Money(step_minor, price.currency)))


def extended_close(closes_at: datetime, bid_at: datetime, minutes: int | None
                   ) -> datetime | None:
    """The auction's new close when a bid comes in its last N minutes (N minutes after the
    bid), or None when the bid leaves the close where it is."""
    window = timedelta(minutes=minutes or EXTEND_MINUTES)
    return bid_at + window if closes_at - bid_at < window else None
