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
bid at or under the buyer's hidden reserve wins.

A seller's lot at auction is the mirror (`side` SELLER; a buyer's request is BUYER): buyers bid
prices up from the starting price, each bid at least the step above the highest; the highest
bid at or above the seller's hidden reserve wins (bidders see only whether it is met). Every
rule here takes the side, so both auctions share one ranking, one extension and one close."""

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
BUYER, SELLER = "buyer", "seller"  # whose auction: a buyer's reverse one, a seller's lot
SIDES = (BUYER, SELLER)
LOT_HOURS_AT_MOST = 720


@dataclass(frozen=True)
class Bid:
    """One bid as the ranking reads it."""

    id: int
    seller_id: int
    price_minor: int
    placed_at: datetime


def better(side: str) -> int:
    """+1 when a lower price is better (a buyer's reverse auction), -1 when a higher one is
    (a seller's lot)."""
    return -1 if side == SELLER else 1


def order(bid: Bid, side: str = BUYER) -> tuple[int, datetime, int]:
    """A bid's place in the order, best first: its price the side's way, then the earliest."""
    return (better(side) * bid.price_minor, bid.placed_at, bid.id)


def beats(price_minor: int, other_minor: int, side: str = BUYER) -> bool:
    """Whether `price_minor` is strictly better than `other_minor` on this side."""
    return better(side) * price_minor < better(side) * other_minor


def standings(bids: Iterable[Bid], side: str = BUYER) -> list[Bid]:
    """Each bidder's latest bid, best first: the lowest price (a lot: the highest), then the
    earliest."""
    latest: dict[int, Bid] = {}
    for bid in bids:
        held = latest.get(bid.seller_id)
        if held is None or (bid.placed_at, bid.id) > (held.placed_at, held.id):
            latest[bid.seller_id] = bid
    return sorted(latest.values(), key=lambda b: order(b, side))


def best(bids: Iterable[Bid], side: str = BUYER) -> Bid | None:
    """The best bid so far, the earliest first (in an auction, always the latest accepted)."""
    return min(bids, key=lambda b: order(b, side), default=None)


def rank_of(ranked: list[Bid], seller_id: int) -> int | None:
    """A seller's place in the standings (1 is the best), None if they have not bid."""
    return next((place for place, bid in enumerate(ranked, 1) if bid.seller_id == seller_id),
                None)


def reserve_met(price_minor: int | None, reserve_minor: int | None, side: str = BUYER) -> bool:
    """Whether a price may be awarded: at or under a buyer's reserve, at or above a lot's."""
    if price_minor is None:
        return False
    return reserve_minor is None or not beats(reserve_minor, price_minor, side)


def winner(ranked: list[Bid], reserve_minor: int | None, side: str = BUYER) -> Bid | None:
    """The best bid, if it is within the reserve (when there is one)."""
    if not ranked or not reserve_met(ranked[0].price_minor, reserve_minor, side):
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
                step_minor: int | None, side: str = BUYER) -> Money | None:
    """The limit a bid must keep to now: in an auction one step past the best bid (under it;
    on a lot, above it), else the buyer's ceiling or the lot's starting price (None: none)."""
    if mode == AUCTION and best is not None and step_minor is not None:
        return Money(best.amount - better(side) * step_minor, best.currency)
    return ceiling


def checked_bid(mode: str, price: Money, ceiling: Money | None, best_minor: int | None,
                step_minor: int | None, unit: str, side: str = BUYER) -> None:
    """A bid's price: more than zero, at most the ceiling, and in an auction at least one
    step under the best bid so far (a lot: at least its starting price, and the step above
    the highest bid)."""
    per = _(UNITS.get(unit, unit))
    if price.amount <= 0:
        raise DomainError(_("The price must be more than zero."))
    if side == SELLER:
        _checked_rise(price, ceiling, best_minor, step_minor, per)
        return
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


def _checked_rise(price: Money, start: Money | None, best_minor: int | None,
                  step_minor: int | None, per: str) -> None:
    """A bid on a lot: at least the starting price, and at least the step above the highest."""
    if start is not None and price.currency == start.currency and price.amount < start.amount:
        raise DomainError(_("Bidding on this lot starts at {price} per {unit}.", price=start,
                            unit=per))
    if best_minor is not None and step_minor is not None \
            and price.amount < best_minor + step_minor:
        raise DomainError(_("Bid at least {price} per {unit}: the highest bid is {best}, and a "
                            "bid must be at least {step} above it.",
                            price=Money(best_minor + step_minor, price.currency), unit=per,
                            best=Money(best_minor, price.currency),
                            step=Money(step_minor, price.currency)))


def checked_lot(start: Money, step: Money, reserve: Money | None, hours: int,
                extend_minutes: int | None, deposit_pct: int | None) -> None:
    """What a seller's lot at auction needs: a starting price and a step more than zero, a
    reserve (if any) no lower than the start, a window of 1 hour to 30 days, the extension
    and deposit a reverse auction allows."""
    if start.amount <= 0 or step.amount <= 0:
        raise DomainError(_("The price must be more than zero."))
    if reserve is not None and reserve.amount < start.amount:
        raise DomainError(_("The reserve must be at least the starting price ({price}).",
                            price=start))
    if not 1 <= hours <= LOT_HOURS_AT_MOST:
        raise DomainError(_("A lot is open for bids for 1 to {most} hours.",
                            most=LOT_HOURS_AT_MOST))
    if extend_minutes is not None and not 1 <= extend_minutes <= EXTEND_AT_MOST:
        raise DomainError(_("A late bid extends the auction by 1 to {most} minutes.",
                            most=EXTEND_AT_MOST))
    if deposit_pct is not None and deposit_pct not in DEPOSIT_PERCENTS:
        raise DomainError(_("A bid deposit is 1, 2, 5 or 10 % of the lot."))


def extended_close(closes_at: datetime, bid_at: datetime, minutes: int | None
                   ) -> datetime | None:
    """The auction's new close when a bid comes in its last N minutes (N minutes after the
    bid), or None when the bid leaves the close where it is."""
    window = timedelta(minutes=minutes or EXTEND_MINUTES)
    return bid_at + window if closes_at - bid_at < window else None
