"""The colleague's own requests for supply — quotes, sealed-bid tenders and reverse auctions —
posted, listed and closed through the chat's core service (core.deals.requests.service): its
checks, the sellers it asks, and, for a tender or auction with a ceiling, the colleague's
spending limit, which must cover the whole ceiling as in the chat. The quotes received are
compared as the chat's request card compares them (core.deals.requests.quotes) and one is
awarded as the card's ✅ Award does: by accepting it (trading.accept's path, through purchase
approval and the request's own award rules, core.deals.request_award)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bots.api import models
from bots.api.auth import KeyUow, Reader, Trader
from bots.api.idempotency import IdempotencyKey, once
from bots.api.trading import ANSWERED, answering, placed
from core.deals.approvals import service as approvals
from core.deals.offers import service as offers
from core.deals.requests import auction_rules
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.requests.drafts import Draft
from core.errors import NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork

router = APIRouter(tags=["requests"])


def draft_of(body: models.NewRequest) -> Draft:
    """The request as core's command, in its currency."""
    currency = body.currency.upper()

    def money(value: object) -> Money | None:
        return Money.parse(str(value), currency) if value is not None else None

    return Draft(product_type=body.product_type, quantity=body.quantity, unit=body.unit,
                 place=body.place, currency=currency, incoterm=body.incoterm,
                 delivery_from=body.delivery_from, delivery_to=body.delivery_to,
                 max_price=money(body.max_price), deadline_days=body.deadline_days,
                 payment_method=body.payment_method, mode=body.mode,
                 min_step=money(body.min_step),
                 extend_minutes=body.extend_minutes or auction_rules.EXTEND_MINUTES,
                 reserve=money(body.reserve))


@router.post("/requests", status_code=201, response_model=models.OwnRequest)
async def post(request: Request, key: Trader, uow: KeyUow,
               body: models.NewRequest, idempotency_key: IdempotencyKey = None) -> Response:
    """Post a request for supply, a tender or a reverse auction; the matching sellers are
    asked as from the chat."""

    async def work(uow: UnitOfWork) -> tuple[int, models.OwnRequest]:
        return 201, models.OwnRequest.of(
            await supply_requests.post(uow, key.account_id, draft_of(body)))

    return await once(request, uow, key, idempotency_key, body, work)


@router.get("/requests/mine", response_model=models.OwnRequests)
async def mine(key: Reader, uow: KeyUow) -> models.OwnRequests:
    """The colleague's own requests, newest first."""
    found = await supply_requests.mine(uow, key.account_id)
    return models.OwnRequests(requests=[models.OwnRequest.of(r) for r in found])


@router.post("/requests/{request_id}/close", response_model=models.OwnRequest)
async def close(request: Request, key: Trader, uow: KeyUow, request_id: int,
                idempotency_key: IdempotencyKey = None) -> Response:
    """Stop taking quotes on one of the colleague's requests (a tender or auction closes at
    its deadline)."""

    async def work(uow: UnitOfWork) -> tuple[int, models.OwnRequest]:
        return 200, models.OwnRequest.of(
            await supply_requests.close(uow, request_id, key.account_id))

    return await once(request, uow, key, idempotency_key, None, work)


@router.get("/requests/{request_id}/quotes", response_model=models.Quotes)
async def quotes(key: Reader, uow: KeyUow, request_id: int) -> models.Quotes:
    """The sellers' quotes on one of the colleague's requests for supply, open ones first,
    cheapest first, and those awarded."""
    found = await request_quotes.compare(uow, request_id, key.account_id)
    return models.Quotes(quotes=[models.Quote.of(row) for row in found])


@router.post("/requests/{request_id}/quotes/{offer_id}/award", status_code=201,
             response_model=models.Placed, responses=ANSWERED)
async def award(request: Request, key: Trader, uow: KeyUow, request_id: int, offer_id: int,
                idempotency_key: IdempotencyKey = None) -> Response:
    """Award a quote: it is accepted, a deal (or, above the colleague's spending limit, held
    for an approver: 202); a request covered in full stops taking quotes."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Placed]:
        quote, __ = await offers.summary(uow, offer_id, key.account_id)
        if quote.request_id != request_id:
            raise NotFound(_("That offer doesn't exist."))
        return placed(await answering(uow, key, offer_id,
                                      approvals.accept(uow, offer_id, key.account_id)))

    return await once(request, uow, key, idempotency_key, None, work)
