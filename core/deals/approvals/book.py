"""The storage behind purchase approval (`core.deals.approvals.service`, its card and its
notices' words): a protocol (`ApprovalBook`); its SQL implementation on the unit of work is
`SqlApprovalBook` (`core.deals.approvals.sql_book`), as the offers' negotiation is. Who may
see, decide or withdraw a held purchase, when a purchase is held and what becomes of it stay
with the use cases; the book reads the seats, approvers and names of the buyer's company,
keeps a held purchase (mapped rows, kept as plain objects by the tests' fake, as the offers'
are), decides one once (`decide -> bool`: a conditional update on the database), hands the
offers' negotiation an approved purchase is made through, and undoes a failed attempt to make
it (`attempt`: a savepoint on the database).

The tests' `MemoryApprovalBook` (`tests/companies/approval_fakes.py`) runs on the companies'
`MemoryRoster` and the offers' `MemoryNegotiation`; `tests/companies/test_approval_book_contract.py`
holds the two alike. A book lives inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from core.companies.seats import Seat
from core.deals.offers.negotiation import Negotiation
from core.deals.tables import PurchaseRequest
from core.events import Event


class ApprovalBook(Protocol):
    """What purchase approval asks of storage, of the buyer's company and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...

    def negotiation(self) -> Negotiation:
        """The offers' negotiation in the same transaction: an approved purchase is made
        through it, in the buyer's name."""
        ...

    def attempt(self) -> AbstractAsyncContextManager[None]:
        """`async with book.attempt():` what the block writes and announces (through this book
        or its negotiation) is undone when it raises; the exception goes on out of it."""
        ...

    async def seat(self, account_id: int) -> Seat | None:
        """The account's place in a company (roles, spending limit), or None."""
        ...

    async def approvers(self, company_id: int, excluding: int) -> list[int]:
        """The company's members whose roles allow approving, but `excluding`."""
        ...

    async def names(self, account_ids: list[int]) -> dict[int, str]:
        """The display names of the accounts found."""
        ...

    async def put(self, request: PurchaseRequest) -> None:
        """Keep a new held purchase; it has its id from now on."""
        ...

    async def request(self, request_id: int) -> PurchaseRequest | None:
        ...

    async def pending(self, company_id: int, requester_id: int | None) -> list[PurchaseRequest]:
        """The company's purchases still waiting (only `requester_id`'s, unless None), oldest
        first."""
        ...

    async def decide(self, request: PurchaseRequest, status: str, actor_id: int,
                     reason: str | None) -> bool:
        """pending → `status`, by `actor_id` now, only while it is pending; False when it was
        decided meanwhile. The request then reads as stored."""
        ...

    async def settle(self, request: PurchaseRequest, status: str, reason: str) -> None:
        """An approved request that could not be made ends as `status`, saying why."""
        ...

    async def made(self, request: PurchaseRequest, offer_id: int | None,
                   deal_id: int | None) -> None:
        """What an approved request made: the offer sent or the deal agreed."""
        ...

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        """One line of the company's audit trail, in the same transaction."""
        ...
