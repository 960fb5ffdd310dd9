"""A consultant's figures: sessions, minutes, gross, commission and net earnings, the rating
trend, request-to-session conversion and response time, by month in their own time zone, and
a chart of them as a PNG (matplotlib, Agg). Amounts are integer minor units; floats appear only
inside the plotting call."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.clock import zone as clock_zone
from core.consulting.sessions.lifecycle import ENDED
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.consulting.tables import Booking
from core.errors import NotAllowed
from core.i18n import N_, _
from core.money.model import CommissionRule, Money
from core.money.reading import money_ticks
from core.operators.roles import is_admin
from core.storage.uow import UnitOfWork

MONTHS = 6  # months the trend and the chart cover


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


async def consultant_metrics(uow: UnitOfWork, consultant_id: int, actor_id: int, *,
                             currency: str | None = None, requests: int | None = None,
                             response_times: list[timedelta] | None = None) -> Metrics:
    """The consultant's figures, for them and admins. Requests and response times come from
    the bookings (or are given by the caller)."""
    if actor_id != consultant_id and not await is_admin(uow, actor_id):
        raise NotAllowed(_("Those figures are the consultant's."))
    rows = (await uow.session.execute(select(
        ConsultSession.started_at, ConsultSession.ended_at, ConsultSession.charged_minor,
        ConsultSession.currency).where(ConsultSession.consultant_id == consultant_id,
                                       ConsultSession.status.in_(ENDED))
        .order_by(ConsultSession.ended_at))).all()
    currency = currency or (rows[-1].currency if rows else await _currency(uow, consultant_id))
    reviews = (await uow.session.execute(select(SessionReview.stars, SessionReview.created_at)
                                         .where(SessionReview.consultant_id == consultant_id))).all()
    if requests is None and response_times is None:
        requests, response_times = await _requests(uow, consultant_id)
    rule = uow.policy.commission.get("consulting", CommissionRule(Decimal(0)))
    mine = [r for r in rows if r.currency == currency]
    gross = sum((r.charged_minor or 0 for r in mine), 0)
    commission = sum((rule.on(Money(r.charged_minor, currency)).amount
                      for r in mine if r.charged_minor), 0)
    zone = await _zone(uow, consultant_id)
    return Metrics(
        consultant_id, len(rows), sum(1 for r in rows if r.charged_minor), _minutes(rows),
        Money(gross, currency), Money(commission, currency), Money(gross - commission, currency),
        _average([s for s, __ in reviews]), len(reviews), requests,
        _ratio(len(rows), requests), _median(response_times),
        _months(uow.clock.now(), zone, mine, reviews, rule, currency))


def _minutes(rows: Sequence[Any]) -> int:
    seconds = sum(int((r.ended_at - r.started_at).total_seconds()) for r in rows
                  if r.started_at and r.ended_at)
    return seconds // 60


def _average(stars: list[int]) -> Decimal | None:
    if not stars:
        return None
    return (Decimal(sum(stars)) / len(stars)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _ratio(held: int, requests: int | None) -> Decimal | None:
    if not requests:
        return None
    return (Decimal(min(held, requests)) / requests).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _median(times: list[timedelta] | None) -> timedelta | None:
    return timedelta(seconds=median(t.total_seconds() for t in times)) if times else None


def _months(now: datetime, zone: ZoneInfo, rows: Sequence[Any], reviews: Sequence[Any],
            rule: CommissionRule, currency: str) -> list[Month]:
    """The last MONTHS months (in the consultant's zone), oldest first."""
    local = now.astimezone(zone)
    labels: list[str] = []
    year, month = local.year, local.month
    for __ in range(MONTHS):
        labels.insert(0, f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months = []
    for label in labels:
        held = [r for r in rows if r.ended_at and f"{r.ended_at.astimezone(zone):%Y-%m}" == label]
        net = sum((r.charged_minor - rule.on(Money(r.charged_minor, currency)).amount
                   for r in held if r.charged_minor), 0)
        stars = [s for s, at in reviews if f"{at.astimezone(zone):%Y-%m}" == label]
        months.append(Month(label, len(held), _minutes(held), Money(net, currency),
                            _average(stars)))
    return months


async def _zone(uow: UnitOfWork, account_id: int) -> ZoneInfo:
    account = await uow.get(Account, account_id)
    return clock_zone(account.timezone if account else None)


async def _currency(uow: UnitOfWork, account_id: int) -> str:
    account = await uow.get(Account, account_id)
    return account.currency if account is not None and account.currency else "EUR"


async def _requests(uow: UnitOfWork, consultant_id: int) -> tuple[int, list[timedelta]]:
    """Requests received (every booking asked of the consultant) and the times taken to
    confirm the ones they confirmed."""
    count = (await uow.session.execute(select(func.count(Booking.id)).where(
        Booking.consultant_id == consultant_id))).scalar_one()
    pairs = (await uow.session.execute(select(Booking.created_at, Booking.confirmed_at).where(
        Booking.consultant_id == consultant_id, Booking.confirmed_at.is_not(None)))).all()
    return int(count), [done - asked for asked, done in pairs if done is not None]


def chart_series(metrics: Metrics) -> dict[str, list[Any]]:
    """What the chart plots: month labels, net earnings (major units, as Decimal), sessions
    held and the average rating (None where a month has no review)."""
    return {"months": [m.label for m in metrics.months],
            "net": [m.net.decimal for m in metrics.months],
            "sessions": [m.sessions for m in metrics.months],
            "rating": [m.rating for m in metrics.months]}


def chart_png(metrics: Metrics, title: str = N_("Your sessions")) -> bytes:
    """The figures as a PNG: net earnings and sessions per month, with the rating trend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    series = chart_series(metrics)
    at = list(range(len(series["months"])))
    figure = Figure(figsize=(7, 3.6), dpi=100)
    money, stars = figure.subplots(1, 2)
    bars = money.bar(at, [float(v) for v in series["net"]], color="#3b7dd8")
    money.bar_label(bars, labels=[str(n) if n else "" for n in series["sessions"]], fontsize=8)
    money.set_title(_("Net earnings ({currency}), sessions on the bars",
                      currency=metrics.net.currency), fontsize=9)
    money.yaxis.set_major_formatter(money_ticks(metrics.net.currency))
    stars.plot(at, [float(v) if v is not None else float("nan") for v in series["rating"]],
               marker="o", color="#e0a100")
    stars.set_ylim(0.5, 5.5)
    stars.set_title(_("Average rating"), fontsize=9)
    for axes in (money, stars):
        axes.set_xticks(at, series["months"], rotation=45, fontsize=8)
        axes.set_xlim(-0.5, len(at) - 0.5)
    figure.suptitle(_(title))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
