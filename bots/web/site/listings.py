"""Public listing pages: `/listings`, the chat's one-line search with its filters in the address
(bots.web.site.search), as cards beside a map, and `/listings/{id}` with its photos, the
seller's reputation and links into the chat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bots.web.deps import ContainerDep, FilesDep
from bots.web.pages import render
from bots.web.site import search as site_search
from bots.web.site.errors import not_found, page_number
from bots.web.site.links import canonical, chat_links
from bots.web.site.public_media import public_copy
from bots.web.site.views import ListingCard, ResultCard, listing_card, reputation, result_card
from config.container import Container
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.deals.carbon import records as carbon_records
from core.deals.carbon.words import public_lines
from core.errors import NotFound
from core.i18n import _
from core.ids import parse_id
from core.public import listings as public
from core.public.listings import PublicSeller

router = APIRouter(include_in_schema=False)


@router.get("/listings", response_class=HTMLResponse)
async def listings(request: Request, container: ContainerDep, page: str = "1") -> Response:
    search = site_search.read(request.query_params)
    wanted = site_search.params(search)
    asked = {k: v for k, v in request.query_params.items() if k not in ("page", "lang")}
    if asked != wanted and not search.notes:  # the typed line read once: its shareable address
        return RedirectResponse(_kept(request, site_search.address(wanted, page_number(page) + 1)),
                                status_code=303)
    assert container.catalog is not None  # wired by the composition root
    async with container.uow() as uow:
        found = await public.latest(uow, container.catalog, search.query, page_number(page))
        cards = [result_card(result) for result in found.results]
    settings = container.settings
    return render(request, "site/listings.html", cards=cards, found=found, search=search,
                  filters=wanted, chips=site_search.chips(search), sorts=site_search.sorts(search),
                  types=TYPES, certifications=CERTIFICATIONS, deliveries=DELIVERY,
                  km_choices=site_search.KM_CHOICES, map_points=map_points(cards),
                  tiles=settings.map_tiles_url, attribution=settings.map_attribution,
                  page_link=lambda n: site_search.address(wanted, n),
                  canonical=canonical(settings, site_search.address(wanted)))


def _kept(request: Request, address: str) -> str:
    """The address with the visitor's chosen language kept."""
    lang = request.query_params.get("lang")
    if not lang:
        return address
    return address + ("&" if "?" in address else "?") + urlencode({"lang": lang})


def map_points(cards: list[ResultCard], base: str = "") -> list[dict[str, Any]]:
    """The map's markers: each listing at the centre of its town, with its title and price
    (`base`: where its page is, "/app" in the Mini App)."""
    return [{"lat": c.town[0], "lon": c.town[1], "title": c.title, "price": c.price,
             "place": c.place, "url": f"{base}/listings/{c.listing_id}"}
            for c in cards if c.town]


@dataclass(frozen=True)
class ListingPage:
    """What a published listing's page shows: its card and its seller (site and Mini App)."""

    card: ListingCard
    seller: PublicSeller
    seller_id: int
    carbon: tuple[str, ...] = ()  # the seller's CO₂e avoided, only if they show it

    @property
    def reputation(self) -> str:
        return reputation(self.seller)


async def listing_page(container: Container, listing_id: str) -> ListingPage:
    """The page of a published listing; NotFound for anything else."""
    number = parse_id(listing_id)
    if number is None:
        raise NotFound(public.GONE)
    async with container.uow() as uow:
        row = await public.published(uow, number)
        card = listing_card(row, await public.photos(uow, number),
                            await public.certified(uow, row.seller_id))
        carbon = await carbon_records.public_standing(uow, row.seller_id)
        return ListingPage(card, await public.seller(uow, row.seller_id), row.seller_id,
                           tuple(public_lines(carbon)) if carbon is not None else ())


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
async def listing(request: Request, container: ContainerDep, listing_id: str) -> HTMLResponse:
    try:
        page = await listing_page(container, listing_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    number = page.card.listing_id
    return render(request, "site/listing.html", card=page.card, seller=page.seller,
                  reputation=page.reputation, carbon=page.carbon,
                  links=chat_links(request, "listing", number),
                  canonical=canonical(container.settings, f"/listings/{number}"))


@router.get("/listings/{listing_id}/photos/{media_id}")
async def photo(container: ContainerDep, files: FilesDep, listing_id: str, media_id: str
                ) -> Response:
    number, media = parse_id(listing_id), parse_id(media_id)
    try:
        if number is None or media is None:
            raise NotFound(_("No such photo."))
        async with container.uow() as uow:
            found = await public.photo(uow, number, media)
            path, sha256, mime = found.path, found.sha256, found.mime_type
        data = files.read(path)
    except (NotFound, OSError):
        return Response(_("No such photo."), status_code=404, media_type="text/plain")
    clean = await public_copy(sha256, data, mime)
    if clean is None:
        return Response(_("No such photo."), status_code=404, media_type="text/plain")
    return Response(clean, media_type=mime,
                    headers={"cache-control": "public, max-age=3600"})
