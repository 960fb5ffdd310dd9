"""A consultant's figures, on plain values (no database): from the sessions they held and the
reviews they got — sessions, minutes, gross, the platform's commission and their net, the
average rating, request-to-session conversion, the median response time, and each of the last
months in their own time zone. `core.consulting.profiles.metrics` reads the rows and asks
`figures`; amounts are integer minor units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from core.money.model import CommissionRule, Money

MONTHS = 6  # months the trend and the chart cover
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Held:
    """A session that ended: when it ran, and what it charged (None or 0: free)."""

    started_at: datetime | None
    ended_at: datetime | None
    charged_minor: int | None
    currency: str


@dataclass(frozen=True)
class Review:
    stars: int
    at: datetime


@dataclass(frozen=True)
class Month:
    label: str  # "2026-11"
    sessions: int
    minutes: int
    net: Money
    rating: Decimal | None  # the month's average stars, if reviewed


@dataclass(frozen=True)
class Metrics:
    consultant_id: int
    sessions: int  # held: ended in the free minutes or paid
    paid_sessions: int
    minutes: int
    gross: Money
    commission: Money
    net: Money
    rating: Decimal | None  # the average of all reviews
    reviews: int
    requests: int | None  # booking requests received, when known
    conversion: Decimal | None  # sessions held ÷ requests, 0 to 1
    response: timedelta | None  # the median time to answer a request
    months: list[Month] = field(default_factory=list)


def figures(consultant_id: int, held: Sequence[Held], reviews: Sequence[Review],
            requests: int | None, response_times: list[timedelta] | None,
            rule: CommissionRule, currency: str, zone: tzinfo, now: datetime) -> Metrics:
    """The figures: every session held counts (sessions, minutes, conversion); money counts
    only the sessions charged in `currency`, commission by `rule` on each session."""
    mine = [h for h in held if h.currency == currency]
    gross = sum((h.charged_minor or 0 for h in mine), 0)
    commission = sum((rule.on(Money(h.charged_minor, currency)).amount
                      for h in mine if h.charged_minor), 0)
    return Metrics(
        consultant_id, len(held), sum(1 for h in held if h.charged_minor), minutes(held),
        Money(gross, currency), Money(commission, currency), Money(gross - commission, currency),
        average([r.stars for r in reviews]), len(reviews), requests,
        ratio(len(held), requests), median_time(response_times),
        months(now, zone, mine, reviews, rule, currency))


def minutes(held: Sequence[Held]) -> int:
    """Whole minutes of the sessions together (seconds summed first, then cut)."""
    seconds = sum(int((h.ended_at - h.started_at).total_seconds()) for h in held
                  if h.started_at and h.ended_at)
    return seconds // 60


def average(stars: list[int]) -> Decimal | None:
    """The average of the stars to the cent, half up; None without a review."""
    if not stars:
        return None
    return (Decimal(sum(stars)) / len(stars)).quantize(CENT, ROUND_HALF_UP)


def ratio(held: int, requests: int | None) -> Decimal | None:
    """Sessions held per request, to the cent and at most 1; None without requests."""
    if not requests:
        return None
    return (Decimal(min(held, requests)) / requests).quantize(CENT, ROUND_HALF_UP)


def median_time(times: list[timedelta] | None) -> timedelta | None:
    return timedelta(seconds=median(t.total_seconds() for t in times)) if times else None


def months(now: datetime, zone: tzinfo, held: Sequence[Held], reviews: Sequence[Review],
           rule: CommissionRule, currency: str) -> list[Month]:
    """The last MONTHS months (in the consultant's zone), oldest first: a session counts in
    the month it ended, a review in the month it was written."""
    local = now.astimezone(zone)
    labels: list[str] = []
    year, month = local.year, local.month
    for __ in range(MONTHS):
        labels.insert(0, f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    found = []
    for label in labels:
        ended = [h for h in held if h.ended_at and f"{h.ended_at.astimezone(zone):%Y-%m}" == label]
        net = sum((h.charged_minor - rule.on(Money(h.charged_minor, currency)).amount
                   for h in ended if h.charged_minor), 0)
        stars = [r.stars for r in reviews if f"{r.at.astimezone(zone):%Y-%m}" == label]
        found.append(Month(label, len(ended), minutes(ended), Money(net, currency),
                           average(stars)))
    return found
