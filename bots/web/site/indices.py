"""Agora's price indices on the public site: `/indices` (every index with its latest value),
`/indices/{code}` (the chart drawn on the server, the latest value and its change, the weeks
as a table, “Follow in chat”), `/indices/{code}.csv` (the same weeks for machines: ISO dates,
dot decimals, UTF-8, whatever the reader's language) and `/indices/methodology`."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from bots.web.deps import ContainerDep
from bots.web.pages import render
from bots.web.site.errors import not_found
from bots.web.site.links import canonical, chat_links
from core.errors import NotFound
from core.i18n import _, countries, present
from core.indices.definitions import INDICES, REGIONS
from core.market import index_rules
from core.market.index_chart import svg
from core.market.index_view import IndexView, IndexWeek, all_views, index_view
from core.market.index_words import change_words, value_words, volume_words, week_words
from core.money.model import Money

router = APIRouter(include_in_schema=False)
THOUSANDTHS = Decimal("0.001")  # tonnes in the CSV: to the kilogram
CSV_COLUMNS = ("week", "week_start", "status", "eur_per_t", "eur_per_mwh", "tonnes", "trades",
               "outliers_dropped", "computed_at")


# The index's words a template writes (the presenter's, in the reader's language).
WORDS: dict[str, Any] = {"value_words": value_words, "week_words": week_words,
                         "change_words": change_words, "volume_words": volume_words}


@router.get("/indices", response_class=HTMLResponse)
async def index_list(request: Request, container: ContainerDep) -> HTMLResponse:
    async with container.uow() as uow:
        views = await all_views(uow)
    return render(request, "site/indices.html", views=views,
                  canonical=canonical(container.settings, "/indices"), **WORDS)


@router.get("/indices/methodology", response_class=HTMLResponse)
async def methodology(request: Request, container: ContainerDep) -> HTMLResponse:
    rules = {"band": index_rules.TRIM_BAND, "sellers": index_rules.MIN_SELLERS,
             "buyers": index_rules.MIN_BUYERS, "share": index_rules.MAX_SHARE}
    regions = [(_(r.label), ", ".join(sorted(countries.country_name(c) for c in r.countries)))
               for r in REGIONS.values()]
    return render(request, "site/index_method.html", rules=rules, indices=INDICES.values(),
                  regions=regions, share=present.share,
                  canonical=canonical(container.settings, "/indices/methodology"))


async def _view(container: ContainerDep, code: str) -> IndexView | None:
    try:
        async with container.uow() as uow:
            return await index_view(uow, code)
    except NotFound:
        return None


@router.get("/indices/{code}.csv")
async def index_csv(container: ContainerDep, code: str) -> Response:
    view = await _view(container, code) if code in INDICES else None
    if view is None:
        return Response(status_code=404)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(w) for w in view.weeks)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="agora-index-{code}.csv"'})


def _plain(amount: Money | None) -> str:
    """An amount for a machine: dot decimals, no sign or grouping (“212.50”)."""
    return "" if amount is None else f"{amount.decimal:f}"


def _csv_row(week: IndexWeek) -> list[str]:
    status = "published" if week.published else f"not-published:{week.unpublished}"
    return [index_rules.week_label(week.week), week.week.isoformat(), status,
            _plain(week.per_t), _plain(week.per_mwh), f"{week.tonnes.quantize(THOUSANDTHS):f}",
            str(week.deals), str(week.dropped), week.published_at.isoformat()]


@router.get("/indices/{code}", response_class=HTMLResponse)
async def index_page(request: Request, container: ContainerDep, code: str) -> HTMLResponse:
    view = await _view(container, code) if code in INDICES else None
    if view is None:
        return not_found(request, _("There is no such index."))
    return render(request, "site/price_index.html", view=view, chart=Markup(svg(view)),
                  weeks=list(reversed(view.history)),
                  links=chat_links(request, "index", view.index.number),
                  canonical=canonical(container.settings, f"/indices/{code}"), **WORDS)
