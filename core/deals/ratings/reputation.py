"""Reputation from ratings: a Bayesian average, so two 5-star ratings do not outrank fifty
4.8s — every seller starts from the market's mean, weighted as if rated `PRIOR_WEIGHT` times."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.i18n import _, n_, present

PRIOR_WEIGHT = 10  # how many ratings the market's mean counts for


@dataclass(frozen=True)
class Reputation:
    score: Decimal  # 1.00 to 5.00, the Bayesian average
    ratings: int
    completed: int
    dispute_rate: Decimal  # disputes per completed deal, 0 to 1


def bayesian(total: int, count: int, market_mean: Decimal, weight: int = PRIOR_WEIGHT) -> Decimal:
    """(weight * mean + sum of stars) / (weight + number of ratings), to two decimals."""
    value = (Decimal(weight) * market_mean + Decimal(total)) / Decimal(weight + count)
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def reputation(stars: list[int], market_mean: Decimal, completed: int, disputes: int, *,
               total: int = 0, count: int = 0) -> Reputation:
    """A seller's (or buyer's) standing from their published ratings (each, or their `total`
    and `count` as the database sums them) and deal record."""
    if any(not 1 <= s <= 5 for s in stars):
        raise ValueError("ratings are 1 to 5 stars")
    total, count = total + sum(stars), count + len(stars)
    rate = (Decimal(disputes) / Decimal(completed)).quantize(Decimal("0.001")) if completed \
        else Decimal(0)
    return Reputation(bayesian(total, count, market_mean), count, completed, rate)


@dataclass(frozen=True)
class Standing:
    """What an account's reputation is made of, as stored: the sum and number of the stars it
    was given (published ones), its completed deals, the disputes over its deals, and the mean
    of every published rating on the market (None before the first)."""

    total: int
    count: int
    completed: int
    disputes: int
    market_mean: Decimal | None


@dataclass(frozen=True)
class Figures:
    """The reputation kept for cards and search: the Bayesian score times ten, rounded, the
    number of ratings and of completed deals, and the stars' sum (to show their plain mean)."""

    rating_x10: int
    ratings: int
    deals: int
    stars_total: int


def standing_figures(standing: Standing, prior_mean: Decimal) -> Figures:
    """The figures of a standing; the market's mean is `prior_mean` until it has ratings."""
    rep = reputation([], standing.market_mean or prior_mean, standing.completed,
                     standing.disputes, total=standing.total, count=standing.count)
    return Figures(int((rep.score * 10).quantize(Decimal(1), ROUND_HALF_UP)), rep.ratings,
                   rep.completed, standing.total)


def mean_stars(total: int, count: int) -> Decimal | None:
    """What a rating displays: the plain mean of the published ratings, to one decimal (None
    without any). The Bayesian average above only ranks; shown, it would turn one 4★ into 4.5."""
    if count <= 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def stars_text(total: int, count: int, noun: str = "rating") -> str:
    """“★ 4.0 from 1 rating”, “★ 4.5 from 2 reviews”; no stars at all without one."""
    mean = mean_stars(total, count)
    if noun == "review":
        if mean is None:
            return _("No reviews yet")
        return n_("★ {mean} from {n} review", "★ {mean} from {n} reviews", count,
                  mean=present.stars_value(mean))
    if noun == "rating":
        if mean is None:
            return _("No ratings yet")
        return n_("★ {mean} from {n} rating", "★ {mean} from {n} ratings", count,
                  mean=present.stars_value(mean))
    if mean is None:  # another noun: as named, in English
        return f"No {noun}s yet"
    return f"★ {present.stars_value(mean)} from {count} {noun}{'s' if count != 1 else ''}"
