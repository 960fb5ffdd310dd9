"""The bids' order: every seller's latest bid, best first, and the best bid so far."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.deals.requests import auction_rules
from core.deals.requests.auction_rules import Bid
from core.deals.requests.tables import RequestBid
from core.storage.uow import UnitOfWork

_COLUMNS = (RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at)


async def ranking(uow: UnitOfWork, request_id: int, side: str = auction_rules.BUYER
                  ) -> list[Bid]:
    """Every bidder's latest bid, best first (the side's way)."""
    rows = await uow.session.execute(select(*_COLUMNS).where(RequestBid.request_id == request_id))
    return auction_rules.standings((Bid(*row) for row in rows.all()), side)


def best(bids: Iterable[Bid], side: str = auction_rules.BUYER) -> Bid | None:
    """The best bid so far, the earliest first (in an auction, always the latest accepted
    one): the lowest, or on a seller's lot the highest."""
    return auction_rules.best(bids, side)
