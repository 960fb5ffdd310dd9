"""The bids' order: every seller's latest bid, best first, and the best bid so far."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.deals.requests import auction_rules
from core.deals.requests.auction_rules import Bid
from core.deals.requests.tables import RequestBid
from core.storage.uow import UnitOfWork

_COLUMNS = (RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at)


async def ranking(uow: UnitOfWork, request_id: int) -> list[Bid]:
    """Every seller's latest bid, best first."""
    rows = await uow.session.execute(select(*_COLUMNS).where(RequestBid.request_id == request_id))
    return auction_rules.standings(Bid(*row) for row in rows.all())


def best(bids: Iterable[Bid]) -> Bid | None:
    """The lowest bid so far, the earliest first (in an auction, always the latest accepted
    one)."""
    return min(bids, key=lambda b: (b.price_minor, b.placed_at, b.id), default=None)
