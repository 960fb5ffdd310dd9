"""The close of tenders and reverse auctions (core.deals.requests.auctions takes their bids).

The close claims the request's row with a conditional update (`… AND deadline <= now`), so it is
decided once, by the one update that claims it, whatever the number of workers; it awards the
best bid within the reserve as a quote accepted on the buyer's behalf: a deal under the same
frozen terms, escrow and timers as every other. A bid that can no longer be awarded gives way
to the next."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core.deals.events import BiddingClosed
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules, price_records
from core.deals.requests.auction_rules import BIDDING, Bid
from core.deals.requests.bid_ranking import ranking
from core.deals.requests.register import RequestRegister, register_of
from core.deals.requests.tables import RequestBid
from core.deals.tables import SupplyRequest
from core.errors import DomainError
from core.money.model import Money
from core.storage.uow import UnitOfWork, UowFactory


async def close_due(uow_factory: UowFactory) -> list[int]:
    """Close every tender and auction whose deadline has passed, each in its own transaction;
    returns those this run closed (another worker's run closes none of them again)."""
    async with uow_factory() as uow:
        due = list((await uow.session.execute(select(SupplyRequest.id).where(
            SupplyRequest.mode.in_(BIDDING), SupplyRequest.status == RequestState.OPEN,
            SupplyRequest.closed_at.is_(None), SupplyRequest.deadline <= uow.clock.now())
            .order_by(SupplyRequest.deadline))).scalars())
    closed = []
    for request_id in due:
        async with uow_factory() as uow:
            if await close(uow, request_id):
                await uow.commit()
                closed.append(request_id)
    return closed


async def next_deadline(uow_factory: UowFactory) -> datetime | None:
    """The earliest deadline of the tenders and auctions still to close (None: none open)."""
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.min(SupplyRequest.deadline)).where(
            SupplyRequest.mode.in_(BIDDING), SupplyRequest.status == RequestState.OPEN,
            SupplyRequest.closed_at.is_(None)))


async def close(uow: UnitOfWork | RequestRegister, request_id: int) -> bool:
    """Claim the close (False when it is not due, or was claimed already) and award the best
    bid within the reserve; a bid that can no longer be awarded (its seller's stock sold
    meanwhile) gives way to the next."""
    register = register_of(uow)
    if not await register.claim_close(request_id):
        return False
    request = await register.request(request_id)
    assert request is not None
    reserve = request.reserve.amount if request.reserve is not None else None
    won = None
    for candidate in auction_rules.standings(await register.bids(request_id)):
        if auction_rules.winner([candidate], reserve) is None:
            break  # this one and every one after it are above the reserve
        if await register.award(request_id, candidate):
            won = candidate
            break
    if won is None:
        await register.close_unawarded(request_id)
    await register.settle_deposits(request_id, won.seller_id if won else None)
    register.emit(BiddingClosed(request_id, won.id if won else None))  # told after commit
    return True


async def award_bid(uow: UnitOfWork, request: SupplyRequest, candidate: Bid) -> bool:
    """The bid made a quote and accepted for the buyer, or nothing at all (a savepoint)."""
    row = await uow.get(RequestBid, candidate.id)
    assert row is not None
    terms = Terms(Decimal(request.quantity_milli) / 1000,
                  Money(candidate.price_minor, request.currency), request.incoterm,
                  request.place, request.delivery_from, request.delivery_to,
                  request.payment_method)
    events = len(uow.events)
    step = await uow.savepoint()
    try:
        offer = await offers.quote(uow, row.listing_id, row.seller_id, request.buyer_id, terms,
                                   request_id=request.id)
        # Within a company's spending limit: checked at posting against the ceiling (when the
        # request has one, no bid can be above it).
        await offers.accept(uow, offer.id, request.buyer_id,
                            approved=request.max_price_minor is not None)
    except DomainError:
        await step.rollback()
        del uow.events[events:]  # nothing of the failed award is told
        await uow.session.refresh(request)  # its values were expired with the savepoint
        return False
    await step.commit()
    row.offer_id = offer.id
    await price_records.record(uow, request, row)
    return True


async def next_bids(uow: UnitOfWork, request: SupplyRequest) -> list[Bid]:
    """After a closed tender's or auction's award ended unfulfilled, the bids left, best
    first: none from a seller awarded before, none above the reserve."""
    awarded = set((await uow.session.execute(select(RequestBid.seller_id).where(
        RequestBid.request_id == request.id, RequestBid.offer_id.is_not(None)))).scalars())
    return [b for b in await ranking(uow, request.id) if b.seller_id not in awarded
            and auction_rules.winner([b], request.reserve_minor) is not None]
