"""Public market pages: `/market/{product}` (optionally `?country=LV`) with the market chart —
price per MWh over 12 months from completed deals and listings, volume, demand, supply and
the forecast — its alt text and the same figures as a table; `/market/{product}.png` is the
chart. Only aggregates are shown: a month's deal prices and volume need at least three deals."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep
from bots.web.pages import render
from bots.web.site.errors import not_found
from bots.web.site.links import canonical
from config.container import Container
from core.catalog.taxonomy import TYPES, product
from core.i18n import READER_LOCALE, _
from core.market import analytics
from core.market.analytics import PUBLIC_MIN_DEALS
from core.market.chart import alt_text, region_name
from core.market.chart import render as render_chart
from core.money.model import Money
from core.money.reading import shown, shown_number

CACHE_SECONDS = 600  # a chart is drawn again at most this often per product and region
_KEEP = 256


def _country(value: str) -> str | None:
    value = value.strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else None


Charts = dict[tuple[str, str | None], tuple[float, bytes]]


def _charts(request: Request) -> Charts:
    """This app's drawn charts by (product, region), each with the time it is good until."""
    state = request.app.state
    if not hasattr(state, "market_charts"):
        state.market_charts = {}
    charts: Charts = state.market_charts
    return charts


def chart_data(a: analytics.MarketAnalytics) -> dict[str, Any]:
    """What static/market.js draws: the month labels (the forecast's after the year's), and
    each series' values to plot (money in major units per MWh, MWh) with the same values
    written for the reader ("€47.92") for the legend; None where a month has none (a gap).
    The forecast starts from the last month with a deal median, as the PNG's does."""
    c, f = a.currency, a.forecast
    past, ahead = len(a.months), len(f.labels) if f else 0

    def money(minors: list[int | None]) -> dict[str, list[Any]]:
        return {"values": [None if v is None else float(Money(v, c).decimal) for v in minors],
                "shown": [None if v is None else shown(Money(v, c)) for v in minors]}

    def months(values: list[Any]) -> list[Any]:
        return values + [None] * ahead

    deals = [m.deals.median for m in a.months]
    last = next((i for i in reversed(range(past)) if deals[i] is not None), None)

    def forecast(minors: list[int]) -> list[int | None]:
        start: list[int | None] = [None] * past
        if last is not None:
            start[last] = deals[last]
        return start + list(minors)

    # A month's volume is as private as its deal prices (the table's "—").
    volume: list[Decimal | None] = months(
        [m.volume_mwh if m.deals.median is not None or not m.deals.count else None
         for m in a.months])
    series = [
        {"key": "volume", "label": _("Traded (MWh)"),
         "values": [None if v is None else float(v) for v in volume],
         "shown": [None if v is None else shown_number(v) for v in volume]},
        {"key": "deal", "label": _("Deal median"), **money(months(deals))},
        {"key": "ask", "label": _("Listing median"),
         **money(months([m.asks.median for m in a.months]))},
        {"key": "awarded", "label": _("Tenders and auctions: median"),
         **money(months([m.awarded.median for m in a.months]))},
    ]
    if f:
        series += [{"key": "forecast", "label": _("Forecast"), **money(forecast(f.mean))},
                   {"key": "low", "label": _("Low"), **money(forecast(f.low))},
                   {"key": "high", "label": _("High"), **money(forecast(f.high))}]
    return {"labels": [m.label for m in a.months] + (list(f.labels) if f else []),
            "past": past, "currency": c, "locale": READER_LOCALE.get().replace("_", "-"),
            "month": _("Month"), "price": _("Price per MWh"), "volume": _("Traded (MWh)"),
            "series": series}


ChartsDep = Annotated[Charts, Depends(_charts)]
router = APIRouter(include_in_schema=False)


async def _figures(container: Container, code: str, country: str | None
                   ) -> analytics.MarketAnalytics:
    async with container.uow() as uow:
        return await analytics.market_analytics(uow, code, country, "EUR", public=True)


@router.get("/market/{code}.png")
async def chart(container: ContainerDep, charts: ChartsDep, code: str, country: str = ""
                ) -> Response:
    if code not in TYPES:
        return Response(status_code=404)
    key = (code, _country(country))
    found = charts.get(key)
    if found is None or found[0] < time.monotonic():
        chart = await asyncio.to_thread(render_chart, await _figures(container, *key))
        png = chart.png
        found = charts[key] = (time.monotonic() + CACHE_SECONDS, png)
        while len(charts) > _KEEP:
            charts.pop(next(iter(charts)))
    return Response(found[1], media_type="image/png",
                    headers={"cache-control": f"public, max-age={CACHE_SECONDS}"})


@router.get("/market/{code}", response_class=HTMLResponse)
async def page(request: Request, container: ContainerDep, code: str, country: str = ""
               ) -> HTMLResponse:
    if code not in TYPES:
        return not_found(request, _("There is no such product."))
    region = _country(country)
    a = await _figures(container, code, region)
    async with container.uow() as uow:
        regions = await analytics.regions(uow, code, 8)
    query = f"?{urlencode({'country': region})}" if region else ""
    return render(
        request, "site/market_product.html", a=a, label=_(product(code).label),
        where=region_name(region), regions=[(r, region_name(r)) for r in regions], code=code,
        region=region, chart_src=f"/market/{code}.png{query}", alt=alt_text(a),
        money=lambda minor: shown(None if minor is None else Money(minor, a.currency)),
        min_deals=PUBLIC_MIN_DEALS, chart_data=chart_data(a),
        canonical=canonical(container.settings, f"/market/{code}{query}"))
