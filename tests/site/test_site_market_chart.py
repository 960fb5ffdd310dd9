"""The market chart of `/market/{product}` on the screen it is on: uPlot draws it in its box
with the legend under the plot, on a phone too, with no sideways scroll but the tables'; the
PNG stays for a reader without JavaScript; the page's data block holds the months and money
written as money."""

from __future__ import annotations

import html
import json
import re

import pytest

from bots.server import create_app
from core.i18n import present
from tests.catalog.helpers import make_account, publish
from tests.market.helpers import monthly
from tests.support.browser import chromium_page
from tests.support.servers import serve

pytestmark = pytest.mark.browser

PRICES = ["50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61"]


async def _market(app) -> None:
    """A year of deals, three a month (so every month's prices are public and there is a
    forecast), on a listing at 230 a tonne (€47.92 per MWh)."""
    sam = await make_account(app, "sam")
    bob = await make_account(app, "bob", roles=("buyer",))
    listing = await publish(app, sam, price="230")
    for step in (0, 1, 2):
        await monthly(app, listing, bob.id, app.clock.now(),
                      [str(int(p) + step) for p in PRICES])


def _data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="market-data">(.*?)</script>',
                      page, re.S)
    assert found, "no data block"
    return json.loads(html.unescape(found.group(1)))


async def test_the_data_block_holds_the_months_and_money_written_as_money(site_app, web):
    await _market(site_app)
    page = (await web.get("/market/pellets")).text
    data = _data(page)
    # the table names each month as a reader does (“Dec 2025”); the chart's data keeps "2025-12"
    months = re.findall(r'<tr><th scope="row">([A-Z][a-z]{2,3} \d{4})</th>', page)
    named = [present.month(label) for label in data["labels"]]
    assert len(months) > 12 and named[:12] == months[:12]  # then the forecast's
    assert named[12:] == months[12:] and data["past"] == 12
    series = {s["key"]: s for s in data["series"]}
    assert {"volume", "deal", "ask", "awarded", "forecast", "low", "high"} <= set(series)
    assert series["ask"]["values"][11] == 47.92 and series["ask"]["shown"][11] == "€47.92"
    assert series["ask"]["values"][12:] == [None] * (len(months) - 12)  # none ahead
    assert series["deal"]["values"][11] == 62.0 and series["deal"]["shown"][11] == "€62.00"
    assert series["awarded"]["values"][0] is None  # no tenders: a gap, not a zero
    assert series["forecast"]["values"][:11] == [None] * 11  # it starts from the last month
    assert page.count('tabindex="0" role="region" aria-label=') == 2
    assert '<script src="/static/vendor/uPlot.iife.min.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/vendor/uPlot.min.css">' in page
    assert not re.search(r'<(script src|link rel="stylesheet" href)="(https?:)?//', page)  # no CDN


async def _boxes(page) -> dict:
    return await page.evaluate("""() => {
        const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                           return {top: r.top, bottom: r.bottom, width: r.width}; };
        const wrap = document.querySelector('.table-wrap');
        return {chart: box('#market-chart'), plot: box('#market-chart .u-wrap'),
                legend: box('#market-chart .u-legend'), caption: box('figure figcaption'),
                scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                table: [wrap.scrollWidth, wrap.clientWidth]};
    }""")


async def test_the_chart_is_drawn_for_the_screen_with_its_legend_under_it(site_app, tmp_path):
    await _market(site_app)
    async with serve(create_app(site_app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + "/market/pellets")
        await page.wait_for_selector("#market-chart[data-ready] canvas")
        assert await page.locator("#market-chart img").count() == 0  # the PNG made way
        assert await page.locator("#market-chart .u-legend").count() == 1
        await page.screenshot(path=str(tmp_path / "market-1280.png"), full_page=True)
        for width in (1280, 375, 320):
            await page.set_viewport_size({"width": width, "height": 800})
            await page.wait_for_timeout(150)  # the ResizeObserver's frame
            b = await _boxes(page)
            assert b["legend"]["top"] >= b["plot"]["bottom"] - 0.5, (width, b)
            assert b["legend"]["bottom"] <= b["chart"]["bottom"] + 1, (width, b)  # in its box
            assert b["caption"]["top"] >= b["chart"]["bottom"], (width, b)
            assert b["plot"]["width"] <= b["chart"]["width"] + 1, (width, b)
            assert b["scroll"] <= b["inner"], (width, b)  # no sideways scroll of the page
            if width == 375:
                assert b["table"][0] > b["table"][1], b  # the table scrolls in its box
                await page.screenshot(path=str(tmp_path / "market-375.png"), full_page=True)
        wrap = page.locator(".table-wrap").first
        await wrap.focus()
        assert await wrap.evaluate("e => e === document.activeElement")  # keyboard can scroll it
        # Hovering a month writes its money in the legend, as money.
        await page.set_viewport_size({"width": 1280, "height": 800})
        await page.wait_for_timeout(150)
        over = page.locator("#market-chart .u-over")
        box = await over.bounding_box()
        await page.mouse.move(box["x"] + box["width"] * 11.5 / 15, box["y"] + box["height"] / 2)
        legend = await page.inner_text("#market-chart .u-legend")
        assert "€62.00" in legend, legend


async def test_without_javascript_the_chart_is_the_png_with_its_alt_text(site_app):
    await _market(site_app)
    async with serve(create_app(site_app, run_workers=False)) as base, \
            chromium_page(java_script_enabled=False) as page:
        await page.goto(base + "/market/pellets")
        image = page.locator("#market-chart img")
        assert await image.is_visible()
        alt = await image.get_attribute("alt")
        assert alt and alt.startswith("Charts of Wood pellets")
        assert await image.evaluate("e => e.complete && e.naturalWidth") == 720
        assert await page.inner_text("figure figcaption") == alt
        assert await page.locator("#market-chart canvas").count() == 0
