"""Trading as the key's colleague: offers and Buy now on listings, answering an offer received
(accept, decline, counter) or withdrawing one's own, and bids in auctions and tenders (buyers'
reverse auctions and sellers' lots alike). Each is the chat's own core service — offers,
counter-offers and acceptances through purchase approval, so a purchase above the colleague's
spending limit waits for an approver exactly as it would from the chat (202,
`awaiting_approval`) — and the chat's form checks an offer's fields. An offer answered
meanwhile is a 409 carrying the offer as it is now."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bots.api import models
from bots.api.auth import KeyUow, Reader, Trader, local_now
from bots.api.idempotency import IdempotencyKey, once
from bots.api.problems import ApiProblem
from bots.web.deps import ContainerDep
from conversations.fields import Raw
from conversations.flows.deals.offering import Offering, countering, offering
from core.companies.api_keys import KeyHolder
from core.deals import dashboard
from core.deals.approvals import service as approvals
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.requests import auctions
from core.errors import Conflict
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork

router = APIRouter(tags=["trading"])
Answer = TypeVar("Answer")
ANSWERED: dict[int | str, dict[str, Any]] = {
    202: {"model": models.Placed, "description": "Held for an approver"}}


def _raw(offer: models.OfferTerms) -> dict[str, Raw]:
    """The request's fields as the chat's offer form reads typed answers."""
    given = {"quantity": offer.quantity, "price": offer.price, "incoterm": offer.incoterm,
             "place": offer.place, "delivery_from": offer.delivery_from,
             "delivery_to": offer.delivery_to, "payment_method": offer.payment_method,
             "expires": offer.expires_hours}
    return {name: str(value) for name, value in given.items() if value is not None}


def placed(made: approvals.Placed) -> tuple[int, models.Placed]:
    """What became of an offer, a counter-offer or an acceptance, and its status."""
    if made.held is not None:
        return 202, models.Placed(status="awaiting_approval", approval=models.Approval(
            id=made.held, total=models.amount(made.total), limit=models.amount(made.limit),
            approvers=list(made.approvers)))
    if made.deal_id is not None:
        return 201, models.Placed(status="deal_agreed", deal_id=made.deal_id)
    return 201, models.Placed(status="offer_sent", offer_id=made.offer_id)


@router.post("/offers", status_code=201, response_model=models.Placed, responses=ANSWERED)
async def make_offer(request: Request, container: ContainerDep, key: Trader, uow: KeyUow,
                     body: models.NewOffer, idempotency_key: IdempotencyKey = None) -> Response:
    """An offer on a listing, or Buy now (`buy_now`): sent, agreed, or held for approval."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Placed]:
        today = local_now(key, container.clock.now()).date()
        found = await offering(uow, body.listing_id, key.account_id, body.buy_now, today)
        place = approvals.buy if found.fixed else approvals.offer
        return placed(await place(uow, found.listing.id, key.account_id,
                                   _terms(found, body)))

    return await once(request, uow, key, idempotency_key, body, work)


def _terms(found: Offering, body: models.OfferTerms) -> Terms:
    """The request's terms over the form's starting answers, checked as the chat checks them."""
    start = {k: str(v) for k, v in found.start.items() if v is not None}
    values, errors = found.checked({**start, **_raw(body)})
    if errors:
        raise ApiProblem("invalid_field", _("Some fields of the offer need changing."),
                         errors=errors)
    return found.terms(values)


async def answering(uow: UnitOfWork, key: KeyHolder, offer_id: int,
                    step: Awaitable[Answer]) -> Answer:
    """An answer to an offer; when the offer was answered meanwhile (core's Conflict), 409
    with the offer as it is now — read afresh, past this transaction's refused work."""
    try:
        return await step
    except Conflict as exc:
        await uow.rollback()
        found, role = await offers.summary(uow, offer_id, key.account_id)
        raise ApiProblem("conflict", str(exc), offer=models.Offer.of(found, role)) from exc


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
        await answering(uow, key, offer_id, offers.withdraw(uow, offer_id, key.account_id))
        return 200, await _offer(uow, key, offer_id)

    return await once(request, uow, key, idempotency_key, None, work)


async def _offer(uow: UnitOfWork, key: KeyHolder, offer_id: int) -> models.Offer:
    found, role = await offers.summary(uow, offer_id, key.account_id)
    return models.Offer.of(found, role)


@router.post("/offers/{offer_id}/accept", status_code=201, response_model=models.Placed,
             responses=ANSWERED)
async def accept(request: Request, key: Trader, uow: KeyUow, offer_id: int,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """Accept an offer the other party made: a deal — or, a company buyer's acceptance above
    her spending limit, held for an approver (202)."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Placed]:
        return placed(await answering(uow, key, offer_id,
                                       approvals.accept(uow, offer_id, key.account_id)))

    return await once(request, uow, key, idempotency_key, None, work)


@router.post("/offers/{offer_id}/decline", response_model=models.Offer)
async def decline(request: Request, key: Trader, uow: KeyUow, offer_id: int,
                  body: models.Decline, idempotency_key: IdempotencyKey = None) -> Response:
    """Decline an offer the other party made, with a reason they read (or none)."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Offer]:
        reason = " ".join(body.reason.split())
        await answering(uow, key, offer_id,
                        offers.decline(uow, offer_id, key.account_id, reason))
        return 200, await _offer(uow, key, offer_id)

    return await once(request, uow, key, idempotency_key, body, work)


@router.post("/offers/{offer_id}/counter", status_code=201, response_model=models.Placed,
             responses=ANSWERED)
async def counter(request: Request, container: ContainerDep, key: Trader, uow: KeyUow,
                  offer_id: int, body: models.Counter,
                  idempotency_key: IdempotencyKey = None) -> Response:
    """Answer an offer with new terms (what is left out stays as in the offer): the
    counter-offer is sent, or — a company buyer's above her limit — held for an approver."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Placed]:
        today = local_now(key, container.clock.now()).date()
        terms = _terms(await countering(uow, offer_id, key.account_id, today), body)
        return placed(await answering(uow, key, offer_id,
                                       approvals.counter(uow, offer_id, key.account_id, terms)))

    return await once(request, uow, key, idempotency_key, body, work)


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
