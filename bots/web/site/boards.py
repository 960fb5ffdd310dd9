"""Public community pages: `/boards` lists the topic boards, `/boards/{slug}` shows a board's
posts with their replies (hidden posts absent, contact details masked, authors by first name);
`/events` lists the webinars, trade shows and meetups to come (never a webinar's join link)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bots.web.deps import ContainerDep
from bots.web.pages import render
from bots.web.site.errors import not_found, page_number
from bots.web.site.links import canonical
from core.errors import NotFound
from core.learning import gatherings
from core.learning import rules as learning_rules
from core.public import boards as public

router = APIRouter(include_in_schema=False)


@router.get("/boards", response_class=HTMLResponse)
async def board_list(request: Request, container: ContainerDep) -> HTMLResponse:
    async with container.uow() as uow:
        found = await public.board_list(uow)
        await uow.commit()  # the first visit seeds the starting boards
    return render(request, "site/boards.html", boards=found,
                  canonical=canonical(container.settings, "/boards"))


@router.get("/boards/{slug}", response_class=HTMLResponse)
async def board(request: Request, container: ContainerDep, slug: str, page: str = "1"
                ) -> HTMLResponse:
    try:
        async with container.uow() as uow:
            found = await public.board_page(uow, slug[:60], page_number(page))
            await uow.commit()
    except NotFound as exc:
        return not_found(request, str(exc))
    path = f"/boards/{found.board.slug}"
    return render(request, "site/board.html", b=found,
                  page_link=lambda n: f"{path}?page={n}",
                  canonical=canonical(container.settings, path))


@router.get("/events", response_class=HTMLResponse)
async def events(request: Request, container: ContainerDep) -> HTMLResponse:
    async with container.uow() as uow:  # the rows are read while the page renders
        found = await gatherings.listed(uow, None)
        return render(request, "site/events.html", events=found, kinds=learning_rules.KINDS,
                      canonical=canonical(container.settings, "/events"))
