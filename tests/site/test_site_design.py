"""The public site as people see it, in a real Chromium: every kind of page on a desktop and on
phones (320 and 375 px) without anything running off the screen, WCAG 2.2 AA by axe-core on
each in the light scheme on a desktop and in the dark scheme on a phone, a visible focus, cards
with their photo, prices and standing in one column on a phone, and a one-line search whose
chips and map work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bots.server import create_app
from core.catalog import media
from core.catalog.media import FileStore
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import consultant
from tests.market.helpers import published_index
from tests.site.conftest import jpeg_with_gps
from tests.site.test_site_requests import _market, _post
from tests.support.accessibility import violations
from tests.support.browser import chromium_page
from tests.support.servers import serve

pytestmark = pytest.mark.browser

PHONES = (320, 375)


async def _catalogue(app) -> dict[str, str]:
    """A few of each thing the site shows, and the address of every kind of page."""
    sam = await make_account(app, "sam", rating_x10=47)
    listing = await publish(app, sam, title="ENplus A1 wood pellets, 15 kg bags")
    async with app.uow() as uow:
        await media.attach(uow, FileStore(app.settings.data_dir), listing, kind="photo",
                           name="bags.jpg", mime="image/jpeg", data=jpeg_with_gps())
        await uow.commit()
    for n in range(4):
        await publish(app, sam, title=f"Pellet lot {n} with a rather long title that wraps",
                      price=str(220 + n * 10))
    buyer, __ = await _market(app)
    request = await _post(app, buyer)
    cora = await consultant(app, "cora")
    await published_index(app)
    return {"home": "/", "listings": "/listings", "search": "/listings?q=pellets&near=Riga",
            "listing": f"/listings/{listing}", "requests": "/requests",
            "request": f"/requests/{request}", "consultants": "/consultants",
            "consultant": f"/consultants/{cora.id}", "market": "/market",
            "product market": "/market/pellets", "boards": "/boards",
            "board": "/boards/pellet-quality", "events": "/events", "help": "/help",
            "indices": "/indices", "index": "/indices/pellets-a1-baltic-fca",
            "index method": "/indices/methodology",
            "not found": "/listings/999999"}


async def _overflowing(page: Any) -> list[str]:
    """Elements that reach past the right edge of the screen (a scrolling box's insides don't
    count: a table scrolls inside its own box)."""
    return await page.evaluate("""() => {
        const width = document.documentElement.clientWidth, found = [];
        for (const el of document.querySelectorAll('body *')) {
            if (el.closest('.table-wrap, .map, .chart-box, .tabs')) continue;
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1) found.push(el.tagName + '.' + el.className);
        }
        return found.slice(0, 5);
    }""")


async def _columns(page: Any) -> int:
    return await page.evaluate("""() => new Set([...document.querySelectorAll('.cards > li')]
        .map(li => Math.round(li.getBoundingClientRect().left))).size""")


async def test_every_kind_of_page_fits_desktops_and_phones_and_meets_wcag_aa(site_app, tmp_path):
    pages = await _catalogue(site_app)
    broken: dict[str, list[str]] = {}
    async with serve(create_app(site_app, run_workers=False)) as base, chromium_page() as page:
        for kind, path in pages.items():
            await page.set_viewport_size({"width": 1280, "height": 900})
            await page.goto(base + path)
            await page.wait_for_load_state("networkidle")
            if found := await violations(page):
                broken[f"{kind} (desktop)"] = found
            if kind == "listings":
                assert await _columns(page) >= 2  # a grid beside the map on a wide screen
                await _cards_show_their_facts(page)
                await _focus_is_visible(page)
            for width in PHONES:
                await page.set_viewport_size({"width": width, "height": 740})
                await page.wait_for_timeout(50)
                if found := await _overflowing(page):
                    broken[f"{kind} at {width} px"] = found
                if kind == "listings":
                    assert await _columns(page) == 1  # one column on a phone
            await page.screenshot(path=str(tmp_path / f"{kind}-{PHONES[0]}.png"), full_page=True)
            # the phone's layout has its own sizes, and the dark scheme its own colours
            await page.emulate_media(color_scheme="dark")
            if found := await violations(page):
                broken[f"{kind} (phone, dark)"] = found
            await page.emulate_media(color_scheme="light")
    assert broken == {}
    assert all(p.stat().st_size > 3000 for p in Path(tmp_path).glob("*.png"))  # noqa: ASYNC240 - a test reads its own screenshots


async def _cards_show_their_facts(page: Any) -> None:
    """The card with a photo shows it, both prices and the seller's standing."""
    card = page.locator(".card.item", has_text="ENplus A1 wood pellets, 15 kg bags")
    assert await card.locator("img.thumb").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "per t" in await card.locator(".price").inner_text()
    assert "per MWh" in await card.locator(".per-mwh").inner_text()
    assert "4.7" in await card.locator(".stars").inner_text()


async def _focus_is_visible(page: Any) -> None:
    """Tabbing shows where the focus is: a ring of at least 2 px that is not the background."""
    for __ in range(3):
        await page.keyboard.press("Tab")
    ring = await page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
                background: getComputedStyle(document.body).backgroundColor}; }""")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["colour"] != ring["background"], ring


async def test_a_one_line_search_shows_removable_chips_and_a_map_of_the_results(site_app):
    seller = await make_account(site_app, "sam")
    for title, price in (("Riga pellets", "240"), ("Dear Riga pellets", "320")):
        await publish(site_app, seller, title=title, price=price)
    async with serve(create_app(site_app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + "/listings")
        await page.fill("input[name=q]", "pellets under 300 eur near riga 200km")
        await page.press("input[name=q]", "Enter")
        await page.wait_for_url("**/listings?q=pellets&max=300&near=Riga&km=200&lang=en")
        chips = await page.locator(".chip").all_inner_texts()
        assert [c.replace("×", "").strip() for c in chips] == [
            "≤ 300 EUR/unit", "≤ 200 km of Riga", "near Riga"]
        assert await page.locator(".card.item h2").all_inner_texts() == ["Riga pellets"]
        await page.wait_for_selector("#map[data-ready='1']")  # Leaflet drew its one marker
        assert await page.locator("#map .leaflet-interactive").count() == 1
        await page.get_by_role("link", name="Remove the filter ≤ 300 EUR/unit").click()
        await page.wait_for_url("**/listings?q=pellets&near=Riga&km=200")
        titles = await page.locator(".card.item h2").all_inner_texts()
        assert sorted(titles) == ["Dear Riga pellets", "Riga pellets"]
        await page.wait_for_selector("#map[data-ready='2']")
        shift = await page.evaluate("""() => new Promise(done => {
            let total = 0;
            new PerformanceObserver(list => { for (const e of list.getEntries())
                if (!e.hadRecentInput) total += e.value; })
              .observe({type: 'layout-shift', buffered: true});
            setTimeout(() => done(total), 300);
        })""")
        assert shift < 0.05  # photos, map and fonts keep their boxes
