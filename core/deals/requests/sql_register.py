"""The requests' register on the unit of work (`SqlRequestRegister`: the protocol is
`core.deals.requests.register.RequestRegister`): requests, invites, questions and bids on the
session, quotes and awards through the offers, deposits through `bid_deposits`. Which sellers
may answer a request is here too (`answers`), for `service.get` and the register alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.catalog.gazetteer import Place
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.deals import on_terms, request_award
from core.deals.offers import service as offers
from core.deals.offers import spending
from core.deals.offers.facts import Terms
from core.deals.offers.rounds import decline_open_quotes
from core.deals.request_rules import RequestState
from core.deals.requests import bid_deposits, fitting
from core.deals.requests.auction_rules import BIDDING, SELLER, Bid
from core.deals.requests.awarding import award_bid
from core.deals.requests.drafts import Draft, unsaved
from core.deals.requests.reach import matching_sellers
from core.deals.requests.tables import BidDeposit, RequestBid, RequestInvite, RequestQuestion
from core.deals.requests.view import (
    Asked,
    Lot,
    QuestionView,
    RequestView,
    question_view,
    request_view,
)
from core.deals.tables import SupplyRequest
from core.money.model import Money
from core.storage.stores import SqlStore
from core.storage.uow import UnitOfWork


class SqlRequestRegister(SqlStore):
    """The register on the unit of work's session."""

    async def _row(self, request_id: int, fresh: bool = False) -> SupplyRequest | None:
        return await self._uow.get(SupplyRequest, request_id, populate_existing=fresh)

    async def request(self, request_id: int, *, fresh: bool = False) -> RequestView | None:
        row = await self._row(request_id, fresh)
        return request_view(row) if row is not None else None

    async def may_answer(self, request_id: int, seller_id: int) -> bool:
        row = await self._row(request_id)
        return row is not None and await answers(self._uow, row, seller_id)

    async def mine(self, buyer_id: int, limit: int) -> list[RequestView]:
        return [request_view(request) for request in (await self._uow.session.execute(select(
            SupplyRequest).where(SupplyRequest.buyer_id == buyer_id)
            .order_by(SupplyRequest.id.desc()).limit(limit))).scalars()]

    async def invited(self, request_id: int) -> list[int]:
        return list((await self._uow.session.execute(select(RequestInvite.seller_id).where(
            RequestInvite.request_id == request_id))).scalars())

    async def country(self, account_id: int) -> str | None:
        buyer = await self._uow.get(Account, account_id)
        return buyer.country if buyer else None

    async def payment_terms(self, buyer_id: int) -> Sequence[str]:
        return await on_terms.methods_for(self._uow, buyer_id)

    async def spending_limit(self, buyer_id: int, total: Money) -> Money | None:
        seat = await spending.holding_seat(self._uow, buyer_id, total)
        return seat.limit if seat is not None else None

    async def matching(self, buyer_id: int, draft: Draft, spot: Place | None,
                       limit: int | None) -> list[int]:
        request = unsaved(draft)
        request.buyer_id = buyer_id
        request.latitude, request.longitude = (spot.lat, spot.lon) if spot else (None, None)
        return await matching_sellers(self._uow, request, limit)

    async def put(self, buyer_id: int, draft: Draft, milli: int, place: str,
                  open_for: timedelta, spot: Place | None) -> RequestView:
        request, now = unsaved(draft), self.now()
        request.buyer_id, request.quantity_milli, request.place = buyer_id, milli, place
        request.deadline, request.status = now + open_for, RequestState.OPEN
        request.created_at = request.updated_at = now
        request.latitude, request.longitude = (spot.lat, spot.lon) if spot else (None, None)
        await self._uow.insert(request)
        return request_view(request)

    async def invite(self, request_id: int, seller_ids: Sequence[int]) -> None:
        for seller_id in seller_ids:
            self._uow.add(RequestInvite(request_id=request_id, seller_id=seller_id,
                                        invited_at=self.now()))
        await self._uow.session.flush()

    async def end_quotes(self, request_id: int, reason: str) -> RequestView:
        request = await request_award.held(self._uow, request_id)
        request.status = RequestState.CLOSED
        await decline_open_quotes(self._uow, request_id, reason)
        return request_view(request)

    async def listing_quote(self, request_id: int, seller_id: int, listing_id: int,
                            price_minor: int) -> Lot | None:
        request = await self._row(request_id)
        listing = (await self._uow.session.execute(select(Listing).where(
            Listing.id == listing_id, *fitting.fits(request, seller_id)))).scalar() \
            if request is not None else None
        if request is None or listing is None:
            return None
        return Lot(listing.id, tuple(fitting.unmet(request, listing, price_minor)))

    async def awarded_milli(self, request_id: int) -> int:
        return await request_award.awarded_milli(self._uow, request_id)

    async def make_quote(self, request_id: int, listing_id: int, seller_id: int,
                         terms: Terms) -> int:
        request = await self._row(request_id)
        assert request is not None
        return (await offers.quote(self._uow, listing_id, seller_id, request.buyer_id, terms,
                                   request_id=request_id)).id

    async def timezone(self, account_id: int) -> str | None:
        return await self._uow.session.scalar(select(Account.timezone).where(
            Account.id == account_id))

    async def names(self, account_ids: Sequence[int]) -> dict[int, str]:
        return dict((await self._uow.session.execute(select(
            Account.id, Account.display_name).where(Account.id.in_(list(account_ids))))).all())

    async def ask(self, request_id: int, asker_id: int, text: str) -> QuestionView:
        question = RequestQuestion(request_id=request_id, asker_id=asker_id, text=text,
                                   public=True, asked_at=self.now())
        await self._uow.insert(question)
        return question_view(question)

    async def question(self, question_id: int) -> Asked | None:
        row = await self._uow.get(RequestQuestion, question_id)
        return Asked(row.asker_id, question_view(row)) if row is not None else None

    async def answer(self, question_id: int, text: str, public: bool) -> QuestionView | None:
        now = self.now()
        moved = await self._uow.session.execute(update(RequestQuestion).where(
            RequestQuestion.id == question_id, RequestQuestion.answer.is_(None))
            .values(answer=text, public=public, answered_at=now))
        row = await self._uow.get(RequestQuestion, question_id)
        if moved.rowcount != 1 or row is None:  # type: ignore[attr-defined]
            return None
        for name, value in (("answer", text), ("public", public), ("answered_at", now)):
            set_committed_value(row, name, value)
        return question_view(row)

    async def answered(self, request_id: int) -> list[Asked]:
        return [Asked(q.asker_id, question_view(q)) for q in (await self._uow.session.execute(
            select(RequestQuestion).where(RequestQuestion.request_id == request_id,
                                          RequestQuestion.answer.is_not(None))
            .order_by(RequestQuestion.id))).scalars()]

    async def bids(self, request_id: int) -> list[Bid]:
        rows = await self._uow.session.execute(select(
            RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at)
            .where(RequestBid.request_id == request_id))
        return [Bid(*row) for row in rows.all()]

    async def bid(self, bid_id: int) -> Bid | None:
        row = await self._uow.get(RequestBid, bid_id)
        return Bid(row.id, row.seller_id, row.price_minor, row.placed_at) if row else None

    async def won(self, request_id: int) -> set[int]:
        return set((await self._uow.session.execute(select(RequestBid.id).where(
            RequestBid.request_id == request_id, RequestBid.offer_id.is_not(None)))).scalars())

    async def deposit_held(self, request_id: int, seller_id: int) -> bool:
        row = await self._uow.get(BidDeposit, (request_id, seller_id))
        return row is not None and row.state == bid_deposits.HELD

    async def lot(self, request_id: int, seller_id: int, price_minor: int) -> Lot | None:
        request = await self._row(request_id)
        listing = await fitting.lot_listing(self._uow, request, seller_id) if request else None
        if request is None or listing is None:
            return None
        return Lot(listing.id, tuple(fitting.unmet(request, listing, price_minor)))

    async def hold_for_bid(self, request_id: int) -> bool:
        moved = await self._uow.session.execute(update(SupplyRequest).where(
            SupplyRequest.id == request_id, SupplyRequest.status == RequestState.OPEN,
            SupplyRequest.closed_at.is_(None)).values(updated_at=self.now()))
        return bool(moved.rowcount == 1)  # type: ignore[attr-defined]

    async def place_bid(self, request_id: int, seller_id: int, listing_id: int,
                        price_minor: int, at: datetime) -> int:
        now = at
        placed = RequestBid(request_id=request_id, seller_id=seller_id, listing_id=listing_id,
                            price_minor=price_minor, placed_at=now)
        self._uow.add(placed)
        if not await is_invited(self._uow, request_id, seller_id):
            self._uow.add(RequestInvite(request_id=request_id, seller_id=seller_id,
                                        invited_at=now))
        await self._uow.session.flush()
        return placed.id

    async def extend(self, request_id: int, deadline: datetime) -> None:
        row = await self._row(request_id)
        assert row is not None
        row.deadline, row.extensions = deadline, row.extensions + 1
        await self._uow.session.flush()

    async def claim_close(self, request_id: int) -> bool:
        now = self.now()
        claimed = await self._uow.session.execute(update(SupplyRequest).where(
            SupplyRequest.id == request_id, SupplyRequest.mode.in_(BIDDING),
            SupplyRequest.status == RequestState.OPEN, SupplyRequest.closed_at.is_(None),
            SupplyRequest.deadline <= now).values(closed_at=now, updated_at=now))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self._row(request_id, fresh=True)
        return True

    async def award(self, request_id: int, bid: Bid) -> bool:
        row = await self._row(request_id)
        assert row is not None
        return await award_bid(self._uow, row, bid)

    async def close_unawarded(self, request_id: int) -> None:
        row = await self._row(request_id)
        assert row is not None
        row.status = RequestState.CLOSED

    async def settle_deposits(self, request_id: int, winner_id: int | None) -> None:
        row = await self._row(request_id)
        assert row is not None
        await bid_deposits.at_close(self._uow, row, winner_id)


async def answers(uow: UnitOfWork, request: SupplyRequest, seller_id: int | None) -> bool:
    """A seller asked to answer; or, for an open request, any seller with a published
    listing of the product; on a seller's lot, anyone but its seller."""
    if seller_id is None or seller_id == request.buyer_id:
        return False
    if await is_invited(uow, request.id, seller_id):
        return True
    if request.side == SELLER:  # a seller's lot: every buyer but its seller may bid
        return not request.private
    return not request.private and await uow.session.scalar(select(Listing.id).where(
        Listing.seller_id == seller_id, Listing.product_type == request.product_type,
        Listing.status == ListingState.PUBLISHED).limit(1)) is not None


async def is_invited(uow: UnitOfWork, request_id: int, seller_id: int | None) -> bool:
    if seller_id is None:
        return False
    return await uow.get(RequestInvite, (request_id, seller_id)) is not None
