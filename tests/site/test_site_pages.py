"""The public site: what Agora is, help from the one help base, listing and consultant pages
with their chat links, prices per MWh, the sitemap — and nothing private, everything escaped."""

from __future__ import annotations

import html
import re
import time
from io import BytesIO

from PIL import Image

from conversations.help_base import ARTICLES
from core.catalog import lifecycle, listings, media
from core.catalog.media import FileStore
from tests.catalog.helpers import make_account, publish, values
from tests.site.conftest import BOT, PUBLIC_URL, jpeg_with_gps


def meta(page: str, name: str) -> str | None:
    """The content of `<meta property|name="name">` in the page."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


async def test_the_home_page_says_what_agora_is_and_links_to_the_bot(web):
    page = (await web.get("/")).text
    assert page.count("<h1") == 1 and "A marketplace that lives in chat" in page
    for heading in ("For sellers", "For buyers", "For consultants"):
        assert heading in page
    assert f'href="https://t.me/{BOT}"' in page
    assert "Open in Slack" not in page  # Slack's sign-in is not configured: no dead button
    assert '<link rel="canonical" href="https://agora.example/">' in page
    assert "What members say" not in page  # nobody has allowed a quote yet


async def test_the_help_page_shows_every_article_of_the_help_base_by_topic(web):
    page = (await web.get("/help")).text
    for article in ARTICLES:
        assert html.escape(article.question) in page and f'id="{article.slug}"' in page
    assert '<h2 id="deals-and-payment">Deals and payment</h2>' in page
    moved = await web.get("/faq")
    assert moved.status_code == 308 and moved.headers["location"] == "/help"


async def test_a_listing_page_shows_price_per_mwh_the_sellers_reputation_and_chat_links(
        site_app, web):
    seller = await make_account(site_app, "sam", rating_x10=47)
    listing_id = await publish(site_app, seller)
    response = await web.get(f"/listings/{listing_id}")
    page = response.text
    assert response.status_code == 200 and page.count("<h1") == 1
    assert "<h1>ENplus A1 wood pellets</h1>" in page
    assert "€47.92 per MWh" in page and "€230.00 per t" in page  # 230 EUR/t at 4.8 MWh/t
    assert "Riga, Latvia" in page
    assert "★ 4.7 from 12 ratings · 9 deals completed" in page
    assert f'href="https://t.me/{BOT}?start=view-{listing_id}"' in page
    assert meta(page, "og:title") == "ENplus A1 wood pellets"
    assert meta(page, "og:url") == f"{PUBLIC_URL}/listings/{listing_id}"
    assert meta(page, "og:type") == "product"
    assert "€47.92 per MWh" in meta(page, "og:description")
    assert meta(page, "og:image") is None and meta(page, "twitter:card") == "summary"
    assert f'<link rel="canonical" href="{PUBLIC_URL}/listings/{listing_id}">' in page


async def test_nothing_private_reaches_a_listing_page(site_app, web):
    seller = await make_account(site_app, "sam")  # email sam@ex.com
    listing_id = await publish(site_app, seller, incoterm_place="Brivibas iela 12, Riga",
                               description="Call +371 2612 3456 or mail sales@pellets.lv today.")
    page = (await web.get(f"/listings/{listing_id}")).text
    for private in ("sam@ex.com", "+371 2612 3456", "2612 3456", "sales@pellets.lv",
                    "Brivibas", "56.9496", "24.1052"):
        assert private not in page, private
    assert "Call [contact details hidden] or mail [contact details hidden] today." in page


async def test_what_users_wrote_is_escaped(site_app, web):
    seller = await make_account(site_app, "sam")
    listing_id = await publish(site_app, seller, title="<script>alert(1)</script> pellets",
                               description='"><img src=x onerror=alert(2)>')
    page = (await web.get(f"/listings/{listing_id}")).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; pellets" in page
    assert 'content="&lt;script&gt;alert(1)&lt;/script&gt; pellets"' in page  # og:title too
    listed = (await web.get("/listings")).text
    assert "<script>alert" not in listed and "&lt;script&gt;" in listed


async def test_drafts_expired_and_unknown_listings_are_not_found(site_app, web, clock):
    seller = await make_account(site_app, "sam")
    async with site_app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values(title="Secret draft"))
        await uow.commit()
    live = await publish(site_app, seller, valid_until="2026-12-10")
    for path in (f"/listings/{draft.id}", "/listings/999999", "/listings/abc",
                 "/listings/99999999999999999999"):
        response = await web.get(path)
        assert response.status_code == 404 and "Secret draft" not in response.text, path
    assert (await web.get(f"/listings/{live}")).status_code == 200
    async with site_app.uow() as uow:
        expires = (await listings.own_listing(uow, live, seller.id)).expires_at
    clock.advance(seconds=(expires - clock.now()).total_seconds() + 60)  # before the job runs
    assert (await web.get(f"/listings/{live}")).status_code == 404
    assert f"/listings/{live}<" not in (await web.get("/sitemap.xml")).text


async def test_the_listings_index_filters_and_pages_with_plain_links(site_app, web):
    seller = await make_account(site_app, "sam")
    for n in range(13):
        await publish(site_app, seller, title=f"Pellet lot {n:02d}")
    chips = await publish(site_app, seller, product_type="chips", title="Spruce chips",
                          grade="ISO 17225 A1", price="75", unit="t")
    first = (await web.get("/listings")).text
    assert first.count('<li class="card item">') == 12 and "14 listings" in first
    assert '<form class="filters" method="get" action="/listings"' in first
    assert 'href="/listings?page=2" rel="next"' in first
    second = (await web.get("/listings?page=2")).text
    assert second.count('<li class="card item">') == 2 and 'rel="prev"' in second
    only_chips = (await web.get("/listings?type=chips")).text
    assert f'href="/listings/{chips}"' in only_chips and "Pellet lot" not in only_chips
    hostile = await web.get("/listings?page=x&type=<b>&sort=';drop&max=-5&km=1e99")
    assert hostile.status_code == 303 and hostile.headers["location"] == "/listings"


async def test_a_typed_search_becomes_a_shareable_address_with_removable_chips(site_app, web):
    seller = await make_account(site_app, "sam")
    cheap = await publish(site_app, seller, title="Cheap pellets", price="200")
    await publish(site_app, seller, title="Dear pellets", price="300")
    typed = await web.get("/listings", params={"q": "pellets under 250 eur cheapest"})
    assert typed.status_code == 303
    shared = typed.headers["location"]
    assert shared == "/listings?q=pellets&max=250&sort=price"
    page = (await web.get(shared)).text
    assert f'href="/listings/{cheap}"' in page and "Dear pellets" not in page
    assert 'aria-label="Remove the filter ≤ €250.00/unit"' in page or "≤ 250" in page
    assert 'href="/listings?q=pellets&amp;sort=price"' in page  # the ✕ of the price chip
    assert 'href="/listings?q=pellets&amp;max=250"' in page  # the ✕ of the sort chip
    everything = (await web.get("/listings?q=pellets&sort=price")).text
    assert "Dear pellets" in everything and "Cheap pellets" in everything
    assert everything.index("Cheap pellets") < everything.index("Dear pellets")


async def test_a_place_in_the_search_filters_by_distance_and_shows_it(site_app, web):
    seller = await make_account(site_app, "sam")
    await publish(site_app, seller, title="Pellets by Riga")
    typed = await web.get("/listings", params={"q": "pellets near riga 300km"})
    assert typed.headers["location"] == "/listings?q=pellets&near=Riga&km=300"
    page = (await web.get(typed.headers["location"])).text
    assert "near Riga" in page and "km away" in page
    assert '<section class="map" id="map"' in page and "map-points" in page
    unknown = (await web.get("/listings?q=pellets&near=Qwzxv")).text
    assert "know the place “Qwzxv”; searched everywhere" in unknown


async def test_the_sitemap_lists_published_pages_and_robots_points_to_it(site_app, web):
    seller = await make_account(site_app, "sam")
    listing_id = await publish(site_app, seller)
    async with site_app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values())
        await uow.commit()
    sitemap = await web.get("/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"<loc>{PUBLIC_URL}/listings/{listing_id}</loc>" in sitemap.text
    assert f"<loc>{PUBLIC_URL}/listings/{draft.id}</loc>" not in sitemap.text
    assert f"<loc>{PUBLIC_URL}/help</loc>" in sitemap.text
    assert f"<loc>{PUBLIC_URL}/market/pellets</loc>" in sitemap.text
    robots = (await web.get("/robots.txt")).text
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in robots and "Disallow: /admin" in robots


async def test_the_market_page_shows_price_per_mwh_ranges_by_product(site_app, web):
    seller = await make_account(site_app, "sam")
    await publish(site_app, seller, price="230")
    await publish(site_app, seller, price="260")
    page = (await web.get("/market")).text
    assert "Wood pellets" in page and "€47.92 – €54.17" in page
    assert "Wood chips" not in page  # nothing listed


async def test_a_listing_photo_is_published_without_its_gps_metadata_and_with_alt_text(
        site_app, web):
    seller = await make_account(site_app, "sam")
    listing_id = await publish(site_app, seller)
    async with site_app.uow() as uow:
        await media.attach(uow, FileStore(site_app.settings.data_dir), listing_id, kind="photo",
                           name="bags.jpg", mime="image/jpeg", data=jpeg_with_gps())
        await uow.commit()
    page = (await web.get(f"/listings/{listing_id}")).text
    [src] = re.findall(r'<img src="([^"]+)" alt="Photo 1 of ENplus A1 wood pellets"', page)
    assert meta(page, "og:image") == PUBLIC_URL + src
    assert meta(page, "twitter:card") == "summary_large_image"
    photo = await web.get(src)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    picture = Image.open(BytesIO(photo.content))
    assert picture.size == (64, 48) and not dict(picture.getexif()) and "exif" not in picture.info
    async with site_app.uow() as uow:
        await lifecycle.act(uow, listing_id, seller.id, "pause")
        await uow.commit()
    assert (await web.get(src)).status_code == 404  # gone with its listing


async def test_the_listing_page_answers_quickly(site_app, web):
    seller = await make_account(site_app, "sam")
    listing_id = await publish(site_app, seller)
    await web.get(f"/listings/{listing_id}")
    started = time.perf_counter()
    for _ in range(10):
        await web.get(f"/listings/{listing_id}")
    assert (time.perf_counter() - started) / 10 < 0.25  # seconds a page, on a slow CI core
