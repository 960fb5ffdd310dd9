"""The close of tenders and reverse auctions (core.deals.requests.auctions takes their bids).

The close claims the request's row with a conditional update (`… AND deadline <= now`), so it is
decided once, by the one update that claims it, whatever the number of workers; it awards the
best bid within the reserve (a seller's lot: the highest at or above it) as a quote accepted on
the buyer's behalf: a deal under the same
frozen terms, escrow and timers as every other (core.deals.requests.awarding). A bid that can no
longer be awarded gives way to the next. The close asks the requests' register
(core.deals.requests.register), so its decisions are tested without a database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from core.deals.events import BiddingClosed
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules
from core.deals.requests.auction_rules import BIDDING
from core.deals.requests.register import RequestRegister, register_of
from core.deals.tables import SupplyRequest
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
    for candidate in auction_rules.standings(await register.bids(request_id), request.side):
        if auction_rules.winner([candidate], reserve, request.side) is None:
            break  # this one and every one after it miss the reserve (a lot: under it)
        if await register.award(request_id, candidate):
            won = candidate
            break
    if won is None:
        await register.close_unawarded(request_id)
    await register.settle_deposits(request_id, won.seller_id if won else None)
    register.emit(BiddingClosed(request_id, won.id if won else None))  # told after commit
    return True
