"""The market charts as one PNG (matplotlib, Agg): price per MWh (deals' median and range,
listings' median, the forecast with its interval), volume traded, demand and supply by month.
The series plotted are returned with the image, so what a chart shows can be checked."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from core.catalog.taxonomy import product
from core.i18n import _, countries, present
from core.market.analytics import MarketAnalytics
from core.money.model import Money
from core.money.reading import money_ticks


@dataclass(frozen=True)
class Chart:
    png: bytes
    series: dict[str, list[Any]]
    alt: str  # what the image shows, in words


def _major(minor: int | None, currency: str) -> float | None:
    return float(Money(minor, currency).decimal) if minor is not None else None


def region_name(country: str | None) -> str:
    """The region in the current reader's language (“Latvia”, “Lettland”, “all regions”)."""
    return countries.country_name(country) if country else _("all regions")


def chart_series(a: MarketAnalytics) -> dict[str, list[Any]]:
    """What the chart plots: month labels; prices per MWh in major units (None where there
    is none); MWh traded and listed; searches, saved searches and offers; the forecast."""
    c = a.currency
    f = a.forecast
    return {
        "months": [m.label for m in a.months],
        "deal_median": [_major(m.deals.median, c) for m in a.months],
        "deal_low": [_major(m.deals.low, c) for m in a.months],
        "deal_high": [_major(m.deals.high, c) for m in a.months],
        "ask_median": [_major(m.asks.median, c) for m in a.months],
        "volume_mwh": [float(m.volume_mwh) for m in a.months],
        "supply_mwh": [float(m.supply_mwh) for m in a.months],
        "searches": [m.searches for m in a.months],
        "saved": [m.saved for m in a.months],
        "offers": [m.offers for m in a.months],
        "forecast_months": list(f.labels) if f else [],
        "forecast_mean": [_major(v, c) for v in f.mean] if f else [],
        "forecast_low": [_major(v, c) for v in f.low] if f else [],
        "forecast_high": [_major(v, c) for v in f.high] if f else [],
    }


def alt_text(a: MarketAnalytics) -> str:
    """What the charts show, in words, in the current reader's language."""
    facts = {"product": _(product(a.product_type).label), "region": region_name(a.country),
             "start": month_name(a.months[0].label), "end": month_name(a.months[-1].label),
             "currency": a.currency,
             "deals": a.deals}
    if not a.forecast:
        return _("Charts of {product} in {region}, {start} to {end}: price per MWh in {currency} "
                 "from {deals} completed deals and listings; MWh traded; searches, saved searches "
                 "and offers; MWh listed.", **facts)
    f = a.forecast
    return _("Charts of {product} in {region}, {start} to {end}: price per MWh in {currency} "
             "from {deals} completed deals and listings; forecast for {month}: {mean} per MWh "
             "({low}–{high}); MWh traded; searches, saved searches and offers; MWh listed.",
             month=month_name(f.labels[-1]), mean=str(Money(f.mean[-1], a.currency)),
             low=str(Money(f.low[-1], a.currency)), high=str(Money(f.high[-1], a.currency)),
             **facts)


month_name = present.month


def _short(label: str) -> str:
    return present.month(label, short=True)


def _nan(values: list[float | None]) -> list[float]:
    return [v if v is not None else float("nan") for v in values]


def render(a: MarketAnalytics) -> Chart:
    """Four small charts in one image: price, volume, demand, supply."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    s = chart_series(a)
    months = s["months"]
    at = list(range(len(months)))
    ahead = list(range(len(months), len(months) + len(s["forecast_months"])))
    figure = Figure(figsize=(9, 6), dpi=80)
    (price, volume), (demand, supply) = figure.subplots(2, 2)
    price.fill_between(at, _nan(s["deal_low"]), _nan(s["deal_high"]), color="#3b7dd8",
                       alpha=0.18, label=_("deal range"), step=None)
    price.plot(at, _nan(s["deal_median"]), marker="o", color="#3b7dd8",
               label=_("deals (median)"))
    price.plot(at, _nan(s["ask_median"]), linestyle="--", color="#888888",
               label=_("listings (median)"))
    if ahead:
        last = next((i for i in reversed(at) if s["deal_median"][i] is not None), None)
        joined = ([last] if last is not None else []) + ahead
        start = [s["deal_median"][last]] if last is not None else []
        price.fill_between(ahead, s["forecast_low"], s["forecast_high"], color="#e0a100",
                           alpha=0.25, label=_("forecast, {level} interval",
                                               level=present.percent(a.forecast.level))
                           if a.forecast else "")
        price.plot(joined, start + s["forecast_mean"], linestyle=":", marker=".",
                   color="#e0a100", label=_("forecast"))
    price.set_title(_("Price per MWh ({currency})", currency=a.currency), fontsize=9)
    price.yaxis.set_major_formatter(money_ticks(a.currency))
    price.legend(fontsize=7, loc="best")
    volume.bar(at, s["volume_mwh"], color="#3b7dd8")
    volume.set_title(_("Traded (MWh, completed deals)"), fontsize=9)
    width = 0.28
    demand.bar([x - width for x in at], s["searches"], width, label=_("searches"),
               color="#6a3d9a")
    demand.bar(at, s["saved"], width, label=_("saved searches"), color="#b15928")
    demand.bar([x + width for x in at], s["offers"], width, label=_("offers"), color="#33a02c")
    demand.set_title(_("Demand"), fontsize=9, pad=20)
    demand.legend(fontsize=7, loc="lower center", ncol=3, bbox_to_anchor=(0.5, 1.0),
                  frameon=False)
    supply.bar(at, s["supply_mwh"], color="#33a02c")
    supply.set_title(_("Supply (MWh listed)"), fontsize=9)
    labels = [_short(m) for m in months + s["forecast_months"]]
    for axes in (price, volume, demand, supply):
        ticks = at + (ahead if axes is price else [])
        axes.set_xticks(ticks, labels[:len(ticks)], rotation=60, fontsize=7)
        axes.tick_params(axis="y", labelsize=7)
    figure.suptitle(_("{product} — {region}", product=_(product(a.product_type).label),
                      region=region_name(a.country)), fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), s, alt_text(a))
