"""Public pages of requests for supply: `/requests` (open requests anyone may answer) and
`/requests/{id}` with what is asked, how sellers answer, the time left and an auction's best
price — kept current without reloading by `/requests/{id}/live`, a stream of server-sent events —
and links that open the same request in Telegram or Slack."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import UTC
from decimal import Decimal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from bots.web.deps import ContainerDep
from bots.web.pages import render
from bots.web.site.errors import not_found
from bots.web.site.links import canonical, chat_links
from bots.web.site.live_board import LiveBoards
from config.container import Container
from conversations.fields import Also, FieldError
from conversations.flows.market.amount_and_date_fields import PriceField
from core.catalog.taxonomy import UNITS, product
from core.deals import cards
from core.deals.offers.facts import payment_words
from core.deals.requests import auction_rules, auctions
from core.deals.requests import service as supply_requests
from core.errors import DomainError, NotFound
from core.i18n import N_, Visitor, _, dates
from core.ids import parse_id
from core.money.model import Money
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
              as_: str = Query("", alias="as"), placed: str = "") -> HTMLResponse:
    """A request's page; a bidder's own (the link in their bid card) shows their rank too,
    and takes their bids."""
    return await _page(request, container, request_id, as_,
                       placed=_("🔨 Your bid is in.") if placed else "")


async def _page(request: Request, container: ContainerDep, request_id: str, as_: str,
                error: str = "", placed: str = "") -> HTMLResponse:
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
                  token=as_[:40] if seller else "", error=error, placed=placed,
                  links=chat_links(request, "request", number),
                  canonical=canonical(container.settings, f"/requests/{number}"),
                  status_code=400 if error else 200)


@router.post("/requests/{request_id}/bid", response_class=HTMLResponse)
async def bid(request: Request, container: ContainerDep, request_id: str) -> Response:
    """A bid from a bidder's own page: the secret of its link says who bids (no cookie, so no
    other site can bid for them); the bid is the chat's own (core.deals.requests.auctions.bid),
    refused with the same reasons, shown on the page."""
    form = await request.form()
    token, typed = str(form.get("as") or "")[:40], str(form.get("price") or "")[:40]
    number = parse_id(request_id)
    if number is None or not token:
        return Response(status_code=404)
    try:
        async with container.uow() as uow:
            bidder = await auctions.follower(uow, number, token)
            if bidder is None:
                return Response(status_code=404)
            request_ = await auctions.standing(uow, number, bidder)
            await auctions.bid(uow, number, bidder, typed_price(typed, request_.request.currency))
            await uow.commit()
    except (DomainError, FieldError) as exc:
        return await _page(request, container, request_id, token, error=str(exc))
    return RedirectResponse(f"/requests/{number}?as={token}&placed=1", status_code=303)


def typed_price(text: str, currency: str) -> Money:
    """A price as a person types it on the page, read as the chat reads it (its currency)."""
    parsed = PriceField("price", N_("Your price"), minimum=Decimal("0.01"),
                        maximum=Decimal(100_000_000), currency=currency).parse_raw(text)
    value = parsed.value if isinstance(parsed, Also) else parsed
    code = parsed.others.get("currency", currency) if isinstance(parsed, Also) else currency
    return Money.parse(str(value), code)


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
        "lot": r.lot, "reserve_met": r.reserve_met,
        "id": r.id, "product": _(product(r.product_type).label), "open": r.open,
        "quantity": supply_requests.asked(r),
        "delivery": cards.delivery_text(r.incoterm, r.place, r.delivery_from, r.delivery_to),
        "ceiling": _("At most {price} per {unit}, excluding VAT.", price=r.ceiling, unit=unit)
        if r.ceiling and not r.lot else "",
        "mode": _("Lot at auction") if r.lot else _(auction_rules.MODES.get(r.mode, r.mode)),
        "auction": r.mode == "auction", "bidding": r.mode in auction_rules.BIDDING,
        "unit": unit, "step": _step(r, unit),
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
            "closed": _("closed"), "met": _("✅ Reserve met."),
            "unmet": _("Reserve not met yet."),
            "rank": _("{rank} of {bidders}", rank="{rank}", bidders="{bidders}")}),
    }


def _step(r: PublicRequest, unit: str) -> str:
    """How bids move: under the best on a buyer's request, above the highest on a lot."""
    if not r.step:
        return ""
    minutes = r.extend_minutes or auction_rules.EXTEND_MINUTES
    if r.lot:
        return _("Bidding starts at {price} per {unit}, excluding VAT; each bid at least {step} "
                 "above the highest; a bid in the last {minutes} minutes moves the close to "
                 "{minutes} minutes after it. The highest bid wins.", price=r.ceiling,
                 unit=unit, step=r.step, minutes=minutes)
    return _("Each bid at least {step} under the best; a bid in the last {minutes} minutes "
             "moves the close to {minutes} minutes after it.", step=r.step, minutes=minutes)
