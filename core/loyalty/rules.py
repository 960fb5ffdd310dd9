"""What earns points, what tiers need and what points are worth (plain values, no database)."""

from __future__ import annotations

from datetime import timedelta

from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money

EARN = {"deal": 100, "session": 50, "payment": 20, "rating": 10, "referral": 200}
REASONS = {"deal": "completed deal", "session": "completed session",
           "payment": "payment made on time", "rating": "rating given",
           "referral": "referral: first deal or session"}
# (name, points earned in the last 12 months needed), highest first.
TIERS = ((N_("Gold"), 2000), (N_("Silver"), 500), (N_("Bronze"), 0))
POINT_VALUE_CURRENCY = "EUR"
CENTS_PER_POINT = 1  # 100 points take €1 off a commission
MIN_REDEMPTION = 500
TIER_YEAR = timedelta(days=365)  # tiers count the points earned in this long


def tier_of(earned_in_year: int) -> str:
    return next(name for name, need in TIERS if earned_in_year >= need)


def next_tier(earned_in_year: int) -> tuple[str, int] | None:
    """The next tier up and how many more points reach it, or None at the top."""
    above = [(name, need - earned_in_year) for name, need in TIERS if need > earned_in_year]
    return above[-1] if above else None


def value_of(spent: int) -> Money:
    """What `spent` points take off a commission."""
    return Money(spent * CENTS_PER_POINT, POINT_VALUE_CURRENCY)


def check_redemption(spent: object) -> None:
    """A redemption is a whole number of points, at least MIN_REDEMPTION."""
    if not isinstance(spent, int) or spent < MIN_REDEMPTION:
        raise DomainError(_("Redeem at least {min_redemption} points.", min_redemption=MIN_REDEMPTION))
