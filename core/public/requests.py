"""What the public website shows of requests for supply: open requests that are not private,
with what is asked, how sellers answer, how many have, an auction's best price and the time
left — never who asked or who bid (the buyer's country stands for the region). A closed tender
or auction shows the price it was awarded at, as its anonymised price record does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules
from core.deals.requests.bid_ranking import ranking
from core.deals.requests.tables import PriceRecord, RequestBid
from core.deals.tables import Offer, SupplyRequest
from core.errors import NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.storage.uow import UnitOfWork

SHOWN_AT_MOST = 50
GONE = N_("That request is not public.")


@dataclass(frozen=True)
class PublicRequest:
    id: int
    product_type: str
    quantity_milli: int
    unit: str
    incoterm: str
    place: str
    delivery_from: date | None
    delivery_to: date | None
    ceiling: Money | None
    mode: str
    step: Money | None
    extend_minutes: int | None
    payment_method: str
    country: str | None
    closes_at: datetime
    now: datetime  # the server's time when read: a page counts down by it, not by the device's
    open: bool
    answers: int  # sellers who bid, or quotes made
    best: Money | None  # an auction's best bid while open; a tender's or auction's award after
    side: str = auction_rules.BUYER  # a buyer's request, or a seller's lot (buyers bid it up)
    reserve_met: bool | None = None  # an open lot with a reserve: met or not (never its figure)

    @property
    def lot(self) -> bool:
        return self.side == auction_rules.SELLER

    def live(self) -> dict[str, object]:
        """What a page updates without reloading."""
        figures = {"open": self.open, "answers": self.answers,
                   "closes_at": self.closes_at.isoformat(), "now": self.now.isoformat(),
                   "best": str(self.best) if self.best else None}
        if self.reserve_met is not None:  # a lot's reserve: met or not, never its figure
            figures["reserve_met"] = self.reserve_met
        return figures


async def open_requests(uow: UnitOfWork) -> list[PublicRequest]:
    """Open requests anyone may answer, closing soonest first."""
    rows = list((await uow.session.execute(select(SupplyRequest).where(
        SupplyRequest.status == RequestState.OPEN, SupplyRequest.private.is_(False),
        SupplyRequest.closed_at.is_(None), SupplyRequest.deadline > uow.clock.now())
        .order_by(SupplyRequest.deadline, SupplyRequest.id).limit(SHOWN_AT_MOST))).scalars())
    return [await _public(uow, request) for request in rows]


async def public_request(uow: UnitOfWork, request_id: int) -> PublicRequest:
    """One request as the site shows it; NotFound for a private or cancelled one."""
    request = await uow.get(SupplyRequest, request_id)
    if request is None or request.private or request.status == RequestState.CANCELLED:
        raise NotFound(_(GONE))
    return await _public(uow, request)


async def _public(uow: UnitOfWork, request: SupplyRequest) -> PublicRequest:
    bidding, now = request.mode in auction_rules.BIDDING, uow.clock.now()
    open_now = request.status == RequestState.OPEN and request.closed_at is None and request.deadline > now
    if bidding:
        answers = await uow.session.scalar(select(func.count(func.distinct(
            RequestBid.seller_id))).where(RequestBid.request_id == request.id))
    else:
        answers = await uow.session.scalar(select(func.count()).select_from(Offer).where(
            Offer.request_id == request.id, Offer.made_by == "seller",
            Offer.previous_id.is_(None)))
    country = await uow.session.scalar(select(Account.country).where(
        Account.id == request.buyer_id))
    best = await _best(uow, request, open_now)
    lot = request.side == auction_rules.SELLER
    met = auction_rules.reserve_met(best.amount if best else None, request.reserve_minor,
                                    request.side) \
        if lot and open_now and request.reserve_minor is not None else None
    return PublicRequest(
        request.id, request.product_type, request.quantity_milli, request.unit,
        request.incoterm, request.place, request.delivery_from, request.delivery_to,
        _money(request.max_price_minor, request.currency), request.mode,
        _money(request.min_step_minor, request.currency), request.extend_minutes,
        request.payment_method, country, request.deadline, now, open_now, int(answers or 0),
        best, request.side or auction_rules.BUYER, met)


async def _best(uow: UnitOfWork, request: SupplyRequest, open_now: bool) -> Money | None:
    """An open auction's best bid (a tender's stay sealed; a lot's is its highest); what a
    closed one was awarded at."""
    if request.mode == auction_rules.AUCTION and open_now:
        best = func.max if request.side == auction_rules.SELLER else func.min
        return _money(await uow.session.scalar(select(best(RequestBid.price_minor)).where(
            RequestBid.request_id == request.id)), request.currency)
    if request.mode in auction_rules.BIDDING and not open_now:
        return _money(await uow.session.scalar(select(PriceRecord.price_minor).where(
            PriceRecord.request_id == request.id)), request.currency)
    return None


def _money(minor: int | None, currency: str) -> Money | None:
    return Money(minor, currency) if minor is not None else None


@dataclass(frozen=True)
class Standings:
    """An open request's live figures for everyone, and each bidder's own place in it."""

    figures: dict[str, object]  # every figure but the prices, which each reader's page formats
    places: dict[int, tuple[int, int]]  # seller: (rank, their bid in minor units); auctions
    currency: str = "EUR"
    best_minor: int | None = None

    def of(self, seller_id: int | None) -> dict[str, object]:
        """The figures in the reader's money format, with a bidder's own rank and bid when
        the page is theirs."""
        figures = {**self.figures, "best": str(Money(self.best_minor, self.currency))
                   if self.best_minor is not None else None}
        if seller_id is None:
            return figures
        place = self.places.get(seller_id)
        return {**figures, "rank": place[0] if place else None,
                "own": str(Money(place[1], self.currency)) if place else None}


async def marker(uow: UnitOfWork, request_id: int) -> tuple[object, ...] | None:
    """What changes whenever the standings may have: bids, the deadline, the close (one cheap
    query, so a page's look each tick costs little when nothing moved)."""
    row = (await uow.session.execute(select(
        func.count(RequestBid.id), func.max(RequestBid.id), SupplyRequest.deadline,
        SupplyRequest.closed_at, SupplyRequest.status).select_from(SupplyRequest)
        .outerjoin(RequestBid, RequestBid.request_id == SupplyRequest.id)
        .where(SupplyRequest.id == request_id, SupplyRequest.private.is_(False))
        .group_by(SupplyRequest.id))).first()
    return tuple(row) if row else None


async def standings(uow: UnitOfWork, request_id: int) -> Standings:
    """The figures of `public_request`, and in an open auction every bidder's rank and bid (a
    request no longer public reads as closed)."""
    try:
        shown = await public_request(uow, request_id)
    except NotFound:
        return Standings({"open": False, "answers": 0, "closes_at": None}, {})
    places: dict[int, tuple[int, int]] = {}
    figures = {k: v for k, v in shown.live().items() if k not in ("now", "best")}
    best = shown.best.amount if shown.best else None
    if shown.mode == auction_rules.AUCTION and shown.open:
        ranked = await ranking(uow, request_id, shown.side)
        places = {bid.seller_id: (rank, bid.price_minor) for rank, bid in enumerate(ranked, 1)}
        # The count and the best from the same read as the ranks: never "9 of 8".
        figures["answers"] = len(ranked)
        best = ranked[0].price_minor if ranked else None
    return Standings(figures, places, shown.ceiling.currency if shown.ceiling else "EUR", best)
