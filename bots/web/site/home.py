"""The public site: what Agora is, help from the one help base, testimonials, the market's
prices, robots.txt and the sitemap. Listings, consultants and “Open in Slack” have their own
modules; every page is server-rendered and works without JavaScript."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep, SettingsDep
from bots.web.language import speaking
from bots.web.pages import render
from bots.web.site import boards as site_boards
from bots.web.site import consultants as site_consultants
from bots.web.site import indices as site_indices
from bots.web.site import listings as site_listings
from bots.web.site import market as site_market
from bots.web.site import requests as site_requests
from bots.web.site.links import bot_links, canonical
from bots.web.site.views import result_card
from conversations.help_base import by_topic
from core.catalog.query import SearchQuery
from core.catalog.taxonomy import TYPES, product
from core.indices.definitions import INDICES
from core.market.analytics import PUBLIC_MIN_DEALS
from core.market.prices import prices_by_product
from core.public import consultants as public_consultants
from core.public import listings as public_listings
from core.public import testimonials

HOME_CARDS = 6  # the newest listings, to browse by looking
PAGES = ("/", "/help", "/market", "/indices", "/indices/methodology", "/listings", "/requests",
         "/consultants", "/boards", "/events")
ROBOTS = """User-agent: *
Allow: /
Disallow: /admin
Disallow: /open/
Disallow: /pay/
Disallow: /invoices/
Sitemap: {sitemap}
"""


# Every public page: this module's routes and those of the site's other modules, each in its
# visitor's language (bots.web.language).
router = APIRouter(include_in_schema=False, dependencies=[Depends(speaking)])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, container: ContainerDep) -> HTMLResponse:
    assert container.catalog is not None  # wired by the composition root
    async with container.uow() as uow:
        quotes = await testimonials.latest(uow)
        newest = await public_listings.latest(uow, container.catalog, SearchQuery(sort="newest"),
                                              0, HOME_CARDS)
        cards = [result_card(result) for result in newest.results]
    settings = container.settings
    facts = {"goods_fee": settings.commission_bioenergy_percent,
             "session_fee": settings.commission_consulting_percent,
             "free_minutes": settings.free_minutes_rule != "never",
             "direct": settings.direct_payment}
    return render(request, "site/home.html", canonical=canonical(settings, "/"),
                  bots=bot_links(request), testimonials=quotes, facts=facts, cards=cards)


@router.get("/help", response_class=HTMLResponse)
async def help_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(request, "site/help.html", topics=by_topic(),
                  canonical=canonical(settings, "/help"))


@router.get("/faq", include_in_schema=False)
async def faq() -> Response:
    return Response(status_code=308, headers={"location": "/help"})


@router.get("/market", response_class=HTMLResponse)
async def market(request: Request, container: ContainerDep) -> HTMLResponse:
    async with container.uow() as uow:
        prices = await prices_by_product(uow)
    return render(request, "site/market.html", prices=prices, label=lambda k: product(k).label,
                  canonical=canonical(container.settings, "/market"), min_deals=PUBLIC_MIN_DEALS)


@router.get("/robots.txt")
async def robots(settings: SettingsDep) -> Response:
    sitemap = canonical(settings, "/sitemap.xml")
    return Response(ROBOTS.format(sitemap=sitemap), media_type="text/plain")


@router.get("/sitemap.xml")
async def sitemap(request: Request, container: ContainerDep) -> Response:
    async with container.uow() as uow:
        listings = await public_listings.published_ids(uow)
        consultants = await public_consultants.live_ids(uow)
    settings = container.settings
    # (address, last change): a page of its own has none to give
    entries: list[tuple[str, datetime | None]] = [(canonical(settings, path), None)
                                                  for path in PAGES]
    entries += [(canonical(settings, f"/listings/{i}"), changed) for i, changed in listings]
    entries += [(canonical(settings, f"/consultants/{i}"), changed) for i, changed in consultants]
    entries += [(canonical(settings, f"/market/{code}"), None) for code in TYPES]
    entries += [(canonical(settings, f"/indices/{code}"), None) for code in INDICES]
    page = render(request, "site/sitemap.xml", entries=entries)
    return Response(page.body, media_type="application/xml")


router.include_router(site_listings.router)
router.include_router(site_requests.router)
router.include_router(site_consultants.router)
router.include_router(site_boards.router)
router.include_router(site_market.router)
router.include_router(site_indices.router)
