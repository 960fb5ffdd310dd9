"""Public listing pages: `/listings` (newest published first, filters as query parameters) and
`/listings/{id}` with its photos, the seller's reputation and links into the chat."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep, FilesDep
from bots.web.pages import render
from bots.web.public_media import public_copy
from bots.web.site_errors import not_found, page_number
from bots.web.site_links import canonical, chat_links
from bots.web.site_views import listing_card, reputation
from core.catalog.query import SORTS
from core.catalog.taxonomy import TYPES
from core.errors import NotFound
from core.i18n import _
from core.ids import parse_id
from core.public import listings as public

SITE_SORTS = {k: SORTS[k] for k in ("newest", "price_mwh", "price")}


router = APIRouter(include_in_schema=False)


@router.get("/listings", response_class=HTMLResponse)
async def listings(request: Request, container: ContainerDep, q: str = "", type: str = "",
                   sort: str = "newest", page: str = "1") -> HTMLResponse:
    query = public.query(q, type or None, sort)
    assert container.catalog is not None  # wired by the composition root
    async with container.uow() as uow:
        found = await public.latest(uow, container.catalog, query, page_number(page))
        cards = [listing_card(listing) for listing in found.listings]
    filters = {"q": query.text, "type": query.product_type or "", "sort": query.sort}
    return render(request, "site/listings.html", cards=cards, found=found, filters=filters,
                  types=TYPES, sorts=SITE_SORTS, page_link=_page_link(filters),
                  canonical=canonical(container.settings, "/listings"))


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
async def listing(request: Request, container: ContainerDep, listing_id: str) -> HTMLResponse:
    number = parse_id(listing_id)
    try:
        if number is None:
            raise NotFound(public.GONE)
        async with container.uow() as uow:
            row = await public.published(uow, number)
            card = listing_card(row, await public.photos(uow, number))
            seller = await public.seller(uow, row.seller_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    return render(request, "site/listing.html", card=card, seller=seller,
                  reputation=reputation(seller), links=chat_links(request, "listing", number),
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


def _page_link(filters: dict[str, str]) -> Any:
    """The address of page `n` with the same filters."""
    def link(n: int) -> str:
        kept = {k: v for k, v in filters.items() if v and not (k == "sort" and v == "newest")}
        return "/listings?" + urlencode({**kept, "page": n})
    return link
