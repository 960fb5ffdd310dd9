"""The Mini App's auctions: the open auctions — buyers' reverse auctions and sellers' lots — and
one auction's bid screen, which reads as the chat's bid card (the same words: the request or
lot, where the person stands, the limit a bid keeps to) and takes a price as the chat does; the
bid is core's (core.deals.requests.auctions.bid), refused with the same reasons, whichever
side's auction it is."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep
from bots.web.mini_app.auth import MemberDep, mini_app_person
from bots.web.mini_app.views import part
from bots.web.site.requests import typed_price, view
from config.container import Container
from conversations.fields import FieldError
from conversations.flows.deals.bid import standing_lines
from core.catalog.taxonomy import UNITS
from core.clock import local_time
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules, auctions
from core.deals.requests.notices import request_text
from core.errors import DomainError, NotFound
from core.i18n import _
from core.ids import parse_id
from core.public import requests as public

router = APIRouter(prefix="/app/part", include_in_schema=False,
                   dependencies=[Depends(mini_app_person)])


@router.get("/auctions", response_class=HTMLResponse)
async def open_auctions(request: Request, container: ContainerDep, person: MemberDep
                        ) -> Response:
    """The open auctions anyone may bid on, closing soonest first."""
    async with container.uow() as uow:
        found = await public.open_requests(uow)
    shown = [view(r) for r in found if r.mode == auction_rules.AUCTION]
    return part(request, "app/auctions.html", auctions=shown)


@router.get("/auctions/{request_id}", response_class=HTMLResponse)
async def auction(request: Request, container: ContainerDep, person: MemberDep,
                  request_id: str) -> Response:
    """One auction's bid screen, as the chat's bid card reads."""
    return await _screen(request, container, person.account.id, person.account.timezone,
                         request_id)


@router.post("/auctions/{request_id}", response_class=HTMLResponse)
async def bid(request: Request, container: ContainerDep, person: MemberDep,
              request_id: str) -> Response:
    """A bid from the screen: the chat's own, refused with the chat's reasons."""
    number = parse_id(request_id)
    typed = str((await request.form()).get("price") or "")[:40]
    if number is None:
        return part(request, "app/message.html", status_code=404,
                    message=_("That request doesn't exist."))
    try:
        async with container.uow() as uow:
            held = await auctions.standing(uow, number, person.account.id)
            placed = await auctions.bid(uow, number, person.account.id,
                                        typed_price(typed, held.request.currency))
            await uow.commit()
    except (DomainError, FieldError) as exc:
        return await _screen(request, container, person.account.id, person.account.timezone,
                             request_id, error=str(exc), status_code=400)
    unit = _(UNITS.get(placed.request.unit, placed.request.unit))
    return await _screen(request, container, person.account.id, person.account.timezone,
                         request_id, placed=_("🔨 Your bid of {price} per {unit} is in.",
                                              price=placed.own, unit=unit))


async def _screen(request: Request, container: Container, account_id: int,
                  timezone: str | None, request_id: str, error: str = "", placed: str = "",
                  status_code: int = 200) -> Response:
    number = parse_id(request_id)
    try:
        if number is None:
            raise NotFound(_("That request doesn't exist."))
        async with container.uow() as uow:
            standing = await auctions.standing(uow, number, account_id)
    except NotFound as exc:
        return part(request, "app/message.html", status_code=404, message=str(exc))
    shown = standing.request
    assert shown.deadline is not None  # a saved request
    open_now = shown.closed_at is None and shown.status == RequestState.OPEN and \
        container.clock.now() < shown.deadline
    most = standing.most
    unit = _(UNITS.get(shown.unit, shown.unit))
    ask = (_("Type your price per {unit}, at least {price}, for the whole lot.", unit=unit,
             price=most) if shown.lot else
           _("Type your price per {unit}, at most {price}, for the whole quantity.",
             unit=unit, price=most)) if most else \
        _("Type your price per {unit} for the whole quantity.", unit=unit)
    return part(request, "app/auction.html", status_code=status_code, id=number,
                card=request_text(shown, local_time(shown.deadline, timezone)),
                lines=standing_lines(standing), ask=ask, open=open_now, error=error,
                placed=placed, location=f"/app/auctions/{number}")
