"""A consultant's figures: sessions, minutes, gross, commission and net earnings, the rating
trend, request-to-session conversion and response time, by month in their own time zone, and
a chart of them as a PNG (matplotlib, Agg). Amounts are integer minor units; floats appear only
inside the plotting call."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.clock import zone as clock_zone
from core.consulting.profiles.figures import Held, Metrics, Review, figures
from core.consulting.sessions.lifecycle import ENDED
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.consulting.tables import Booking
from core.errors import NotAllowed
from core.i18n import N_, _
from core.money.model import CommissionRule
from core.money.reading import money_ticks
from core.operators.roles import is_admin
from core.storage.uow import UnitOfWork


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
    return figures(consultant_id, [Held(*row) for row in rows],
                   [Review(stars, at) for stars, at in reviews], requests, response_times,
                   rule, currency, await _zone(uow, consultant_id), uow.clock.now())


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
