"""The storage behind the requests' bidding and questions: a protocol (`RequestRegister`) and
its SQL implementation on the unit of work (`SqlRequestRegister`), as learning's `Shelf` is.
(The operators' desk is `desk`.) Who may see, ask, bid, see the bids and award, the ranking and
the close's decisions stay with the use cases (`auctions`, `auction_close`, `questions`); the
register reads, and does the guarded writes answering whether they wrote: a bid holds the open
request (`hold_for_bid`), a close is claimed once (`claim_close`), a question answered once
(`answer`). An award goes through the offers, deposits through the payments (`award`,
`settle_deposits`): the tests' `MemoryRequests` (`tests/deals/fakes.py`) only records them, so
money, deals and races stay proven on the database; `tests/deals/test_register_contract.py`
holds the two alike. It works inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals.request_rules import RequestState
from core.deals.requests import bid_deposits
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.requests.auction_rules import BIDDING, Bid
from core.deals.requests.awarding import award_bid
from core.deals.requests.tables import BidDeposit, RequestBid, RequestInvite, RequestQuestion
from core.deals.requests.view import QuestionView, RequestView, question_view, request_view
from core.deals.tables import SupplyRequest
from core.errors import NotFound
from core.events import Event
from core.i18n import _
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Asked:
    """A question with its asker (a private answer's reader; never shown to others)."""

    asker_id: int
    question: QuestionView


@dataclass(frozen=True)
class Lot:
    """The listing a bid for the whole quantity comes from; what it lacks at the price bid."""

    listing_id: int
    unmet: tuple[str, ...]


class RequestRegister(Protocol):
    """What the requests' bidding and questions ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        ...

    async def request(self, request_id: int, *, fresh: bool = False) -> RequestView | None:
        """The request's read model, the reserve included; `fresh`: as stored now."""
        ...

    async def may_answer(self, request_id: int, seller_id: int) -> bool:
        """Whether the seller was asked, or (an open request) has a published listing of its
        product; never its buyer."""
        ...

    async def timezone(self, account_id: int) -> str | None:
        """The account's time zone, when it set one."""
        ...

    async def names(self, account_ids: Sequence[int]) -> dict[int, str]:
        """Account → display name, of those of the accounts that exist."""
        ...

    async def ask(self, request_id: int, asker_id: int, text: str) -> QuestionView:
        """A question, public until answered otherwise, asked now."""
        ...

    async def question(self, question_id: int) -> Asked | None:
        """The question and its asker."""
        ...

    async def answer(self, question_id: int, text: str, public: bool) -> QuestionView | None:
        """Answer the question now, only if it has no answer yet: None otherwise."""
        ...

    async def answered(self, request_id: int) -> list[Asked]:
        """The request's answered questions, in the order asked."""
        ...

    async def bids(self, request_id: int) -> list[Bid]:
        """Every bid on the request (each seller's earlier ones too)."""
        ...

    async def won(self, request_id: int) -> set[int]:
        """The bids an award was made from."""
        ...

    async def deposit_held(self, request_id: int, seller_id: int) -> bool:
        """Whether the seller's bid deposit is paid and held now."""
        ...

    async def lot(self, request_id: int, seller_id: int, price_minor: int) -> Lot | None:
        """The seller's published listing of the product, in its unit and currency, holding
        the whole quantity (one that answers the request first, then the most stock)."""
        ...

    async def hold_for_bid(self, request_id: int) -> bool:
        """Hold the request for a bid, only while it is open and not closed: False otherwise."""
        ...

    async def place_bid(self, request_id: int, seller_id: int, listing_id: int,
                        price_minor: int, at: datetime) -> int:
        """The bid, placed `at` (the moment its extension is reckoned from); a seller not asked
        before is invited by it (a party now)."""
        ...

    async def extend(self, request_id: int, deadline: datetime) -> None:
        """Move the close to `deadline`, counting one more extension."""
        ...

    async def claim_close(self, request_id: int) -> bool:
        """Close a tender or auction now, only if it is open, not closed, and due: False
        otherwise (so it is decided once)."""
        ...

    async def award(self, request_id: int, bid: Bid) -> bool:
        """Make the bid a deal for the buyer (a quote accepted on her behalf); False, with
        nothing written or told, when it can no longer be."""
        ...

    async def close_unawarded(self, request_id: int) -> None:
        """The request closes without an award."""
        ...

    async def settle_deposits(self, request_id: int, winner_id: int | None) -> None:
        """Every held deposit but the winner's goes back (through the payments)."""
        ...


async def seen(register: RequestRegister, request_id: int, actor_id: int | None) -> RequestView:
    """The request, for its buyer and the sellers who may answer it; NotFound for anyone else
    (a private request's existence included), as `service.get` says."""
    request = await register.request(request_id)
    if request is None or (actor_id != request.buyer_id and (
            actor_id is None or not await register.may_answer(request_id, actor_id))):
        raise NotFound(_("That request doesn't exist."))
    return request


def register_of(uow: UnitOfWork | RequestRegister) -> RequestRegister:
    """The requests' register in this unit of work: the database's, or the one given (a
    test's in-memory one)."""
    return SqlRequestRegister(uow) if isinstance(uow, UnitOfWork) else uow


class SqlRequestRegister:
    """The register on the unit of work's session."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def now(self) -> datetime:
        return self._uow.clock.now()

    def emit(self, event: Event) -> None:
        self._uow.emit(event)

    async def _row(self, request_id: int, fresh: bool = False) -> SupplyRequest | None:
        return await self._uow.get(SupplyRequest, request_id, populate_existing=fresh)

    async def request(self, request_id: int, *, fresh: bool = False) -> RequestView | None:
        row = await self._row(request_id, fresh)
        return request_view(row) if row is not None else None

    async def may_answer(self, request_id: int, seller_id: int) -> bool:
        row = await self._row(request_id)
        return row is not None and await supply_requests.may_answer(self._uow, row, seller_id)

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

    async def won(self, request_id: int) -> set[int]:
        return set((await self._uow.session.execute(select(RequestBid.id).where(
            RequestBid.request_id == request_id, RequestBid.offer_id.is_not(None)))).scalars())

    async def deposit_held(self, request_id: int, seller_id: int) -> bool:
        row = await self._uow.get(BidDeposit, (request_id, seller_id))
        return row is not None and row.state == bid_deposits.HELD

    async def lot(self, request_id: int, seller_id: int, price_minor: int) -> Lot | None:
        request = await self._row(request_id)
        listing = await lot_listing(self._uow, request, seller_id) if request else None
        if request is None or listing is None:
            return None
        return Lot(listing.id, tuple(request_quotes.unmet(request, listing, price_minor)))

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
        if not await supply_requests.is_invited(self._uow, request_id, seller_id):
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


async def lot_listing(uow: UnitOfWork, request: SupplyRequest, seller_id: int) -> Listing | None:
    """The seller's published listing of the product that holds the whole quantity."""
    return request_quotes.best_listing(request, list((await uow.session.execute(select(
        Listing).where(*request_quotes.fits(request, seller_id),
                       Listing.quantity_milli >= request.quantity_milli))).scalars()))
