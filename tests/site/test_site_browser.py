"""A person on the public site in a real Chromium: from the home page to a listing, what they
see on it, and the same pages with JavaScript turned off."""

from __future__ import annotations

from datetime import date

import pytest

from bots.server import create_app
from core.catalog import media
from core.catalog.media import FileStore
from core.certificates import service as certificates
from tests.catalog.helpers import make_account, publish
from tests.site.conftest import BOT, jpeg_with_gps
from tests.support.browser import chromium_page
from tests.support.servers import serve

pytestmark = pytest.mark.browser


async def _listing_with_photo(app, *, certified: bool = False) -> int:
    seller = await make_account(app, "sam", rating_x10=47)
    if certified:  # an ENplus certificate on Sam's profile, which the listing claims
        async with app.uow() as uow:
            await certificates.add(uow, seller.id, "enplus", "LV 012 0042", "Sam Pellets SIA",
                                   date(2027, 6, 30), certificates.Document(
                                       "ab/ab.pdf", "enplus.pdf", "application/pdf"))
            await uow.commit()
    listing_id = await publish(app, seller, certifications=["enplus"] if certified else [])
    async with app.uow() as uow:
        await media.attach(uow, FileStore(app.settings.data_dir), listing_id, kind="photo",
                           name="bags.jpg", mime="image/jpeg", data=jpeg_with_gps())
        await uow.commit()
    return listing_id


async def test_a_person_goes_from_the_home_page_to_a_listing_and_its_telegram_link(
        site_app, tmp_path):
    listing_id = await _listing_with_photo(site_app, certified=True)
    async with serve(create_app(site_app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + "/")
        assert "A marketplace that lives in chat" in await page.inner_text("h1")
        await page.click("text=See the published listings")
        await page.click("text=ENplus A1 wood pellets")
        await page.wait_for_load_state()
        await page.screenshot(path=str(tmp_path / "listing.png"), full_page=True)
        assert await page.inner_text("h1") == "ENplus A1 wood pellets"
        assert "€47.92 per MWh" in await page.inner_text(".price-mwh")
        assert "★ 4.7 from 12 ratings · 9 deals completed" in await page.inner_text(".reputation")
        certified = await page.inner_text(".certified")  # the certificate on Sam's profile
        assert "ENplus certified, valid until" in certified and "2027" in certified
        link = page.get_by_role("link", name="Open in Telegram")
        assert await link.get_attribute("href") == f"https://t.me/{BOT}?start=view-{listing_id}"
        images = await page.eval_on_selector_all(
            "img", "els => els.map(e => [e.alt, e.complete && e.naturalWidth])")
        assert images == [["Photo 1 of ENplus A1 wood pellets", 64]]  # shown, described
    assert (tmp_path / "listing.png").stat().st_size > 5000


async def test_the_site_works_with_javascript_turned_off(site_app):
    listing_id = await _listing_with_photo(site_app)
    await publish(site_app, await make_account(site_app, "ola"), product_type="chips",
                  title="Spruce chips", grade="ISO 17225 A1", price="75")
    async with serve(create_app(site_app, run_workers=False)) as base, \
            chromium_page(java_script_enabled=False) as page:
        await page.goto(base + "/listings")
        await page.click("text=Filters and sort")
        await page.select_option("select[name=type]", "chips")
        await page.click("form.filters button[type=submit]")
        await page.wait_for_load_state()
        assert "type=chips" in page.url
        titles = await page.locator(".card.item h2").all_inner_texts()
        assert titles == ["Spruce chips"]
        await page.goto(f"{base}/listings/{listing_id}")
        assert await page.inner_text("h1") == "ENplus A1 wood pellets"
        assert await page.locator("main h1").count() == 1
        assert await page.locator("img:not([alt])").count() == 0
        await page.goto(base + "/help")
        assert await page.locator("article h3").count() > 10
