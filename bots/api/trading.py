"""Trading as the key's colleague: offers and Buy now on listings, withdrawing an offer, and
bids in auctions and tenders (buyers' reverse auctions and sellers' lots alike). Each is the
chat's own core service — the offer through purchase approval, so a purchase above the
colleague's spending limit waits for an approver exactly as it would from the chat (202,
`awaiting_approval`) — and the chat's form checks the offer's fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bots.api import models
from bots.api.auth import KeyUow, Reader, Trader, local_now
from bots.api.idempotency import IdempotencyKey, once
from bots.api.problems import ApiProblem
from bots.web.deps import ContainerDep
from conversations.fields import Raw
from conversations.flows.deals.offering import offering
from core.deals import dashboard
from core.deals.approvals import service as approvals
from core.deals.offers import service as offers
from core.deals.requests import auctions
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork

router = APIRouter(tags=["trading"])
ANSWERED: dict[int | str, dict[str, Any]] = {
    202: {"model": models.Placed, "description": "Held for an approver"}}


def _raw(offer: models.NewOffer) -> dict[str, Raw]:
    """The request's fields as the chat's offer form reads typed answers."""
    given = {"quantity": offer.quantity, "price": offer.price, "incoterm": offer.incoterm,
             "place": offer.place, "delivery_from": offer.delivery_from,
             "delivery_to": offer.delivery_to, "payment_method": offer.payment_method,
             "expires": offer.expires_hours}
    return {name: str(value) for name, value in given.items() if value is not None}


def _placed(placed: approvals.Placed) -> tuple[int, models.Placed]:
    if placed.held is not None:
        return 202, models.Placed(status="awaiting_approval", approval=models.Approval(
            id=placed.held, total=models.amount(placed.total), limit=models.amount(placed.limit),
            approvers=list(placed.approvers)))
    if placed.deal_id is not None:
        return 201, models.Placed(status="deal_agreed", deal_id=placed.deal_id)
    return 201, models.Placed(status="offer_sent", offer_id=placed.offer_id)


@router.post("/offers", status_code=201, response_model=models.Placed, responses=ANSWERED)
async def make_offer(request: Request, container: ContainerDep, key: Trader, uow: KeyUow,
                     body: models.NewOffer, idempotency_key: IdempotencyKey = None) -> Response:
    """An offer on a listing, or Buy now (`buy_now`): sent, agreed, or held for approval."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Placed]:
        today = local_now(key, container.clock.now()).date()
        found = await offering(uow, body.listing_id, key.account_id, body.buy_now, today)
        start = {k: str(v) for k, v in found.start.items() if v is not None}
        values, errors = found.checked({**start, **_raw(body)})
        if errors:
            raise ApiProblem("invalid_field", _("Some fields of the offer need changing."),
                             errors=errors)
        place = approvals.buy if found.fixed else approvals.offer
        return _placed(await place(uow, found.listing.id, key.account_id, found.terms(values)))

    return await once(request, uow, key, idempotency_key, body, work)


@router.get("/offers", response_model=models.Offers)
async def open_offers(key: Reader, uow: KeyUow) -> models.Offers:
    """The colleague's open offers: those they made and those waiting for their answer."""
    found = []
    for row in await dashboard.open_offers(uow, key.account_id):
        offer, role = await offers.summary(uow, row.id, key.account_id)
        found.append(models.Offer.of(offer, role))
    return models.Offers(offers=found)


@router.get("/offers/{offer_id}", response_model=models.Offer)
async def offer(key: Reader, uow: KeyUow, offer_id: int) -> models.Offer:
    """One offer the colleague is a party to."""
    found, role = await offers.summary(uow, offer_id, key.account_id)
    return models.Offer.of(found, role)


@router.post("/offers/{offer_id}/withdraw", response_model=models.Offer)
async def withdraw(request: Request, key: Trader, uow: KeyUow, offer_id: int,
                   idempotency_key: IdempotencyKey = None) -> Response:
    """Withdraw an offer the colleague made, while it waits for an answer."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Offer]:
        await offers.withdraw(uow, offer_id, key.account_id)
        found, role = await offers.summary(uow, offer_id, key.account_id)
        return 200, models.Offer.of(found, role)

    return await once(request, uow, key, idempotency_key, None, work)


@router.post("/requests/{request_id}/bids", status_code=201, response_model=models.Standing)
async def bid(request: Request, key: Trader, uow: KeyUow, request_id: int,
              body: models.NewBid, idempotency_key: IdempotencyKey = None) -> Response:
    """A bid in an auction or tender — on a buyer's request (as a seller, from a listing that
    covers it) or on a seller's lot (as a buyer, within the spending limit)."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Standing]:
        held = await auctions.standing(uow, request_id, key.account_id)
        price = Money.parse(body.price, held.request.currency)
        placed = await auctions.bid(uow, request_id, key.account_id, price)
        return 201, models.Standing(
            request_id=request_id, own=models.amount(placed.own), rank=placed.rank,
            best=models.amount(placed.best), bidders=placed.bidders,
            reserve_met=placed.reserve_met)

    return await once(request, uow, key, idempotency_key, body, work)
