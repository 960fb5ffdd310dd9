"""Awarding a closed tender's or auction's bid: the bid made a quote accepted on the buyer's
behalf (a deal under the same frozen terms, escrow and timers as every other), or nothing at
all; and the bids left to award after an award ended unfulfilled. The close decides which bid
(core.deals.requests.auction_close), the buyer the next (core.deals.requests.auctions)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.requests import auction_rules, price_records
from core.deals.requests.auction_rules import Bid
from core.deals.requests.bid_ranking import ranking
from core.deals.requests.tables import RequestBid
from core.deals.tables import SupplyRequest
from core.errors import DomainError
from core.money.model import Money
from core.storage.uow import UnitOfWork


async def award_bid(uow: UnitOfWork, request: SupplyRequest, candidate: Bid) -> bool:
    """The bid made a quote and accepted for the buyer, or nothing at all (a savepoint). On a
    seller's lot the same deal is made the other way round: the lot's seller quotes the
    winning bidder from the lot's listing, accepted on the bidder's behalf (their bid was
    their acceptance; a company's spending limit still applies to it)."""
    row = await uow.get(RequestBid, candidate.id)
    assert row is not None
    terms = Terms(Decimal(request.quantity_milli) / 1000,
                  Money(candidate.price_minor, request.currency), request.incoterm,
                  request.place, request.delivery_from, request.delivery_to,
                  request.payment_method)
    lot = request.side == auction_rules.SELLER
    seller, buyer = (request.buyer_id, row.seller_id) if lot else (row.seller_id,
                                                                   request.buyer_id)
    events = len(uow.events)
    step = await uow.savepoint()
    try:
        offer = await offers.quote(uow, row.listing_id, seller, buyer, terms,
                                   request_id=request.id)
        # Within a company's spending limit: checked at posting against the ceiling (when the
        # request has one, no bid can be above it); a lot's bidder, at the award.
        await offers.accept(uow, offer.id, buyer,
                            approved=not lot and request.max_price_minor is not None)
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
    return [b for b in await ranking(uow, request.id, request.side)
            if b.seller_id not in awarded
            and auction_rules.winner([b], request.reserve_minor, request.side) is not None]
