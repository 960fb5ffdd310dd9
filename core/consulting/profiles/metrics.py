"""A consultant's figures: sessions, minutes, gross, commission and net earnings, the rating
trend, request-to-session conversion and response time, by month in their own time zone, and
a chart of them as a PNG (matplotlib, Agg). What they are read from is a `Tally`
(`core.consulting.profiles.tally`). Amounts are integer minor units; floats appear only
inside the plotting call."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from core.clock import zone as clock_zone
from core.consulting.profiles.figures import Metrics, figures
from core.consulting.profiles.tally import Tally, tally_of
from core.errors import NotAllowed
from core.i18n import N_, _
from core.money.reading import money_ticks
from core.storage.uow import UnitOfWork


async def consultant_metrics(uow: UnitOfWork | Tally, consultant_id: int, actor_id: int, *,
                             currency: str | None = None, requests: int | None = None,
                             response_times: list[timedelta] | None = None) -> Metrics:
    """The consultant's figures, for them and admins. Requests and response times come from
    the bookings (or are given by the caller)."""
    tally = tally_of(uow)
    if actor_id != consultant_id and not await tally.is_admin(actor_id):
        raise NotAllowed(_("Those figures are the consultant's."))
    held = await tally.held(consultant_id)
    zone, own_currency = await tally.account(consultant_id)
    currency = currency or (held[-1].currency if held else own_currency or "EUR")
    if requests is None and response_times is None:
        requests, response_times = await tally.requests(consultant_id)
    return figures(consultant_id, held, await tally.reviews(consultant_id), requests,
                   response_times, tally.commission(), currency, clock_zone(zone), tally.now())


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
