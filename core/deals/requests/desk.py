"""Requests for supply as operators see them: every request with its quotes, and cancelling
one with a reason — its open quotes declined, the buyer and every seller asked told why."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.catalog import rules as catalog_rules
from core.deals import request_award
from core.deals.events import RequestCancelled
from core.deals.offers.rounds import decline_open_quotes
from core.deals.request_rules import RequestState
from core.deals.requests import bid_deposits
from core.deals.requests.tables import BidDeposit, RequestBid
from core.deals.tables import Offer, SupplyRequest
from core.errors import InvalidField
from core.i18n import _
from core.operators import audit
from core.operators.roles import require
from core.storage.uow import UnitOfWork

SHOWN_AT_MOST = 100


@dataclass(frozen=True)
class RequestRow:
    request: SupplyRequest
    buyer: str
    quotes: int
    bidders: int = 0  # a tender's or auction's
    deposits: int = 0  # bid deposits held now


async def every_request(uow: UnitOfWork, operator_id: int) -> list[RequestRow]:
    """The newest requests with their buyer, how many quotes or bidders each has, and the bid
    deposits it holds."""
    await require(uow, operator_id, "view_deals")
    quotes = select(Offer.request_id, func.count().label("n")).where(
        Offer.request_id.is_not(None)).group_by(Offer.request_id).subquery()
    bidders = select(RequestBid.request_id, func.count(func.distinct(RequestBid.seller_id))
                     .label("n")).group_by(RequestBid.request_id).subquery()
    held = select(BidDeposit.request_id, func.count().label("n")).where(
        BidDeposit.state == bid_deposits.HELD).group_by(BidDeposit.request_id).subquery()
    rows = await uow.session.execute(
        select(SupplyRequest, Account.display_name, func.coalesce(quotes.c.n, 0),
               func.coalesce(bidders.c.n, 0), func.coalesce(held.c.n, 0))
        .join(Account, Account.id == SupplyRequest.buyer_id)
        .outerjoin(quotes, quotes.c.request_id == SupplyRequest.id)
        .outerjoin(bidders, bidders.c.request_id == SupplyRequest.id)
        .outerjoin(held, held.c.request_id == SupplyRequest.id)
        .order_by(SupplyRequest.id.desc()).limit(SHOWN_AT_MOST))
    return [RequestRow(request, name, int(count), int(bid), int(deposits))
            for request, name, count, bid, deposits in rows.all()]


async def cancel(uow: UnitOfWork, operator_id: int, request_id: int, reason: str
                 ) -> SupplyRequest:
    """A moderator stops an open request: no more quotes or awards; what was awarded stays."""
    await require(uow, operator_id, "moderate")
    reason = reason.strip()
    if not catalog_rules.reason_fits(reason):
        raise InvalidField("reason", _("Give a reason of 5 to 500 characters."))
    request = await request_award.held(uow, request_id)
    request.status = RequestState.CANCELLED
    await decline_open_quotes(uow, request_id, reason)  # told by the cancellation
    await bid_deposits.return_all(uow, request_id)
    uow.emit(RequestCancelled(request_id, reason))
    await audit.record(uow, operator_id, "request-cancelled", f"request:{request_id}", reason)
    return request
