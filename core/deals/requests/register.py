"""The storage behind the requests' use cases: a protocol (`RequestRegister`), implemented on the
unit of work by `core.deals.requests.sql_register.SqlRequestRegister`, as learning's `Shelf` is.
(The operators' desk is `desk`.) Who may post, see, quote, ask, bid, close, see the bids and
award, the ranking and the close's decisions stay with the use cases (`service`, `quotes`,
`questions`, `auctions`, `auction_close`); the register reads, and does the guarded writes,
answering whether they wrote: a bid holds the open request (`hold_for_bid`), a close is claimed
once (`claim_close`), a question answered once (`answer`). Quotes and awards go through the
offers, deposits through the payments (`make_quote`, `award`, `end_quotes`, `settle_deposits`):
the tests' `MemoryRequests` (`tests/deals/fakes.py`) only records them, so money, deals and
races stay proven on the database; `tests/deals/test_register_contract.py` holds the two alike.
It works inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from core.deals.requests.auction_rules import Bid
from core.deals.requests.sql_register import SqlRequestRegister
from core.deals.requests.view import Asked, Lot, QuestionView, RequestView
from core.errors import NotFound
from core.events import Event
from core.i18n import _
from core.money.model import Money
from core.storage.stores import store_of
from core.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from core.catalog.gazetteer import Place
    from core.deals.offers.facts import Terms
    from core.deals.requests.drafts import Draft


class RequestRegister(Protocol):
    """What the requests' use cases ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        ...

    async def request(self, request_id: int, *, fresh: bool = False) -> RequestView | None:
        """The request's read model, the reserve included; `fresh`: as stored now."""
        ...

    async def mine(self, buyer_id: int, limit: int) -> list[RequestView]:
        """The buyer's requests, newest first."""
        ...

    async def may_answer(self, request_id: int, seller_id: int) -> bool:
        """Whether the seller was asked, or (an open request) has a published listing of its
        product; never its buyer."""
        ...

    async def invited(self, request_id: int) -> list[int]:
        """The sellers asked to answer the request."""
        ...

    async def timezone(self, account_id: int) -> str | None:
        """The account's time zone, when it set one."""
        ...

    async def country(self, account_id: int) -> str | None:
        ...

    async def names(self, account_ids: Sequence[int]) -> dict[int, str]:
        """Account → display name, of those of the accounts that exist."""
        ...

    async def payment_terms(self, buyer_id: int) -> Sequence[str]:
        """The on-terms payment methods the buyer's company was approved for."""
        ...

    async def spending_limit(self, buyer_id: int, total: Money) -> Money | None:
        """The buyer's spending limit when `total` is above it (NotAllowed: she may not buy)."""
        ...

    async def matching(self, buyer_id: int, draft: Draft, spot: Place | None,
                       limit: int | None) -> list[int]:
        """The sellers the request would reach, best matched first (`reach.matching_sellers`)."""
        ...

    async def put(self, buyer_id: int, draft: Draft, milli: int, place: str,
                  open_for: timedelta, spot: Place | None) -> RequestView:
        """The request, open from now for `open_for`."""
        ...

    async def invite(self, request_id: int, seller_ids: Sequence[int]) -> None:
        """Ask these sellers (not asked before) to answer, now."""
        ...

    async def end_quotes(self, request_id: int, reason: str) -> RequestView:
        """Close an open request, its open quotes declined with `reason` (Conflict, as
        `request_award.held` says, when it is not open)."""
        ...

    async def listing_quote(self, request_id: int, seller_id: int, listing_id: int,
                            price_minor: int) -> Lot | None:
        """The seller's listing, if it fits the request (published, its product, unit and
        currency), with what it lacks at this price."""
        ...

    async def awarded_milli(self, request_id: int) -> int:
        """What the request's awards still standing cover (`request_award.awarded_milli`)."""
        ...

    async def make_quote(self, request_id: int, listing_id: int, seller_id: int,
                         terms: Terms) -> int:
        """The quote, an offer to the buyer tied to the request (its rules are the offers'):
        its id."""
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

    async def bid(self, bid_id: int) -> Bid | None:
        """One bid, by its number (None when there is none)."""
        ...

    async def won(self, request_id: int) -> set[int]:
        """The bids an award was made from."""
        ...

    async def deposit_held(self, request_id: int, seller_id: int) -> bool:
        """Whether the seller's bid deposit is paid and held now."""
        ...

    async def lot(self, request_id: int, seller_id: int, price_minor: int) -> Lot | None:
        """The seller's fitting listing holding the whole quantity (one that answers the
        request first, then the most stock), with what it lacks at this price."""
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
    return store_of(uow, RequestRegister, SqlRequestRegister)
