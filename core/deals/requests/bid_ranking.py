"""The bids' order: every seller's latest bid, best first, and the best bid so far."""

from __future__ import annotations

from sqlalchemy import select

from core.deals.requests import auction_rules
from core.deals.requests.auction_rules import Bid
from core.deals.requests.tables import RequestBid
from core.storage.uow import UnitOfWork


async def ranking(uow: UnitOfWork, request_id: int) -> list[Bid]:
    """Every seller's latest bid, best first."""
    rows = await uow.session.execute(select(
        RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at)
        .where(RequestBid.request_id == request_id))
    return auction_rules.standings(Bid(*row) for row in rows.all())


async def _best(uow: UnitOfWork, request_id: int) -> Bid | None:
    """The lowest bid so far (in an auction, always the latest accepted one)."""
    row = (await uow.session.execute(select(
        RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at)
        .where(RequestBid.request_id == request_id)
        .order_by(RequestBid.price_minor, RequestBid.placed_at, RequestBid.id).limit(1))).first()
    return Bid(*row) if row else None
