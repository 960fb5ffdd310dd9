"""Public pages of requests for supply: `/requests` (open requests anyone may answer) and
`/requests/{id}` with what is asked, how sellers answer, the time left and an auction's best
price — kept current without reloading by `/requests/{id}/live`, a stream of server-sent events —
and links that open the same request in Telegram or Slack."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import UTC

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from bots.web.deps import ContainerDep
from bots.web.pages import render
from bots.web.site.errors import not_found
from bots.web.site.links import canonical, chat_links
from bots.web.site.live_board import LiveBoards
from config.container import Container
from core.catalog.taxonomy import UNITS, product
from core.deals import cards
from core.deals.offers.facts import payment_words
from core.deals.requests import auction_rules, auctions
from core.deals.requests import service as supply_requests
from core.errors import NotFound
from core.i18n import Visitor, _, dates
from core.ids import parse_id
from core.money.reading import read_for
from core.public import requests as public
from core.public.requests import PublicRequest

LIVE_FOR = 15 * 60  # a stream ends after this; the browser reconnects by itself
HEARTBEAT = 15  # a comment line this often keeps proxies from closing an idle stream

router = APIRouter(include_in_schema=False)


@router.get("/requests", response_class=HTMLResponse)
async def requests(request: Request, container: ContainerDep) -> HTMLResponse:
    async with container.uow() as uow:
        found = await public.open_requests(uow)
    return render(request, "site/requests.html", requests=[view(r) for r in found],
                  canonical=canonical(container.settings, "/requests"))


@router.get("/requests/{request_id}", response_class=HTMLResponse)
async def one(request: Request, container: ContainerDep, request_id: str,
              as_: str = Query("", alias="as")) -> HTMLResponse:
    """A request's page; a bidder's own (the link in their bid card) shows their rank too."""
    number = parse_id(request_id)
    try:
        if number is None:
            raise NotFound(_(public.GONE))
        async with container.uow() as uow:
            found = await public.public_request(uow, number)
            seller = await auctions.follower(uow, number, as_[:40]) if as_ else None
            mine = (await public.standings(uow, number)).of(seller) if seller else None
    except NotFound as exc:
        return not_found(request, str(exc))
    live = f"/requests/{number}/live" + (f"?as={as_[:40]}" if seller else "")
    return render(request, "site/request.html", r=view(found), mine=mine, live=live,
                  links=chat_links(request, "request", number),
                  canonical=canonical(container.settings, f"/requests/{number}"))


@router.get("/requests/{request_id}/live")
async def live(request: Request, container: ContainerDep, request_id: str,
               as_: str = Query("", alias="as")) -> Response:
    """A stream of server-sent events: the request's figures each time they change (and, on
    a bidder's own page — `as` is the secret of the link in their bid card — their rank)."""
    number = parse_id(request_id)
    try:
        if number is None:
            raise NotFound(_(public.GONE))
        async with container.uow() as uow:
            await public.public_request(uow, number)
            seller = await auctions.follower(uow, number, as_[:40]) if as_ else None
    except NotFound:
        return Response(status_code=404)
    return StreamingResponse(_events(request, container, number, seller),
                             media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


async def _events(request: Request, container: Container, number: int, seller: int | None
                  ) -> AsyncIterator[str]:
    """The figures each time they change, until the request closes or the stream has run long
    enough (the browser's EventSource reconnects); a comment line when quiet a while."""
    read_for(Visitor(request.state.language))  # prices in the page's language, as it shows them
    ends = time.monotonic() + LIVE_FOR
    async for found in boards(request, container).follow(number, HEARTBEAT):
        if await request.is_disconnected() or time.monotonic() > ends:
            return
        if found is None:
            yield ": still here\n\n"
            continue
        figures = {**found.of(seller), "now": container.clock.now().isoformat()}
        yield f"data: {json.dumps(figures)}\n\n"


def boards(request: Request, container: Container) -> LiveBoards:
    """This worker's live boards (made with the first page that follows a request)."""
    state = request.app.state
    if getattr(state, "live_boards", None) is None:
        state.live_boards = LiveBoards(container.uow)
    return state.live_boards


def view(r: PublicRequest) -> dict[str, object]:
    """A request's words for its page and card."""
    unit = _(UNITS.get(r.unit, r.unit))
    return {
        "id": r.id, "product": _(product(r.product_type).label), "open": r.open,
        "quantity": supply_requests.asked(r),
        "delivery": cards.delivery_text(r.incoterm, r.place, r.delivery_from, r.delivery_to),
        "ceiling": _("At most {price} per {unit}, excluding VAT.", price=r.ceiling, unit=unit)
        if r.ceiling else "",
        "mode": _(auction_rules.MODES.get(r.mode, r.mode)), "auction": r.mode == "auction",
        "bidding": r.mode in auction_rules.BIDDING, "unit": unit,
        "step": _("Each bid at least {step} under the best; a bid in the last {minutes} minutes "
                  "moves the close to {minutes} minutes after it.", step=r.step,
                  minutes=r.extend_minutes or auction_rules.EXTEND_MINUTES) if r.step else "",
        "payment": payment_words(r.payment_method, ()), "country": r.country or "",
        "closes_at": r.closes_at.isoformat(), "now": r.now.isoformat(),
        "closes": dates.shown(r.closes_at.astimezone(UTC), "yMMMdHm") + " UTC",
        "answers": r.answers, "best": str(r.best) if r.best else "",
        "live": json.dumps(r.live()),
        # The live script's words, in the page's language (it fills in the figures).
        "words": json.dumps({
            "per": _("{price} per {unit}", price="{price}", unit=unit),
            "left": _("{hours} h {minutes} min {seconds} s", hours="{hours}",
                      minutes="{minutes}", seconds="{seconds}"),
            "closed": _("closed"),
            "rank": _("{rank} of {bidders}", rank="{rank}", bidders="{bidders}")}),
    }
