"""Public consultant pages: `/consultants` (the directory, filters as query parameters) and
`/consultants/{id}` for each live consultant, with quotable reviews and links into the chat."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep, FilesDep
from bots.web.pages import render
from bots.web.site.errors import not_found, page_number
from bots.web.site.links import canonical, chat_links
from bots.web.site.public_media import FORMATS, public_copy
from core.consulting.packages import view as package_view
from core.consulting.profiles.directory import DirectoryQuery
from core.consulting.profiles.taxonomy import CATEGORIES
from core.errors import NotFound
from core.i18n import _
from core.ids import parse_id
from core.public import consultants as public

PER_PAGE = 12
MIME_BY_SUFFIX = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                  ".webp": "image/webp"}


router = APIRouter(include_in_schema=False)


@router.get("/consultants", response_class=HTMLResponse)
async def directory(request: Request, container: ContainerDep, q: str = "", category: str = "",
                    page: str = "1") -> HTMLResponse:
    query = DirectoryQuery(text=q[:100], category=category if category in CATEGORIES else None,
                           page=page_number(page), per_page=PER_PAGE)
    assert container.directory is not None  # wired by the composition root
    async with container.uow() as uow:  # read only: promotion impressions aren't counted
        found = await container.directory.search(uow, query)
    filters = {"q": query.text, "category": query.category or ""}
    return render(request, "site/consultants.html", found=found, filters=filters,
                  categories=CATEGORIES, page_link=_page_link(filters),
                  canonical=canonical(container.settings, "/consultants"))


@router.get("/consultants/{consultant_id}", response_class=HTMLResponse)
async def consultant(request: Request, container: ContainerDep, consultant_id: str
                     ) -> HTMLResponse:
    number = parse_id(consultant_id)
    try:
        if number is None:
            raise NotFound(public.GONE)
        async with container.uow() as uow:
            page = await public.consultant(uow, number)
            offered = await package_view.offers(uow, number)
    except NotFound as exc:
        return not_found(request, str(exc))
    return render(request, "site/consultant.html", c=page, packages=offered.lines,
                  links=chat_links(request, "consultant", number),
                  canonical=canonical(container.settings, f"/consultants/{number}"))


@router.get("/consultants/{consultant_id}/photo")
async def photo(container: ContainerDep, files: FilesDep, consultant_id: str) -> Response:
    number = parse_id(consultant_id)
    try:
        if number is None:
            raise NotFound(_("No photo."))
        async with container.uow() as uow:
            path = await public.photo_path(uow, number)
        mime = MIME_BY_SUFFIX.get("." + path.rsplit(".", 1)[-1].lower(), "")
        data = files.read(path)
        if mime not in FORMATS:
            raise NotFound(_("No photo."))
    except (NotFound, OSError):
        return Response(_("No photo."), status_code=404, media_type="text/plain")
    clean = await public_copy(path.rsplit("/", 1)[-1], data, mime)
    if clean is None:
        return Response(_("No photo."), status_code=404, media_type="text/plain")
    return Response(clean, media_type=mime,
                    headers={"cache-control": "public, max-age=3600"})


def _page_link(filters: dict[str, str]) -> Any:
    def link(n: int) -> str:
        return "/consultants?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": n})
    return link
