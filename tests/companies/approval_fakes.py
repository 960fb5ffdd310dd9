"""Purchase approval's storage in memory (`core.deals.approvals.book.ApprovalBook`): held
purchases in a dict, the buyer's company read from the companies' `MemoryRoster`, and an
approved purchase made through the offers' `MemoryNegotiation`, whose seats are the roster's.
`test_approval_book_contract.py` holds it to what the SQL one does."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect

from core.companies.seats import Seat
from core.deals.approvals.book import ApprovalBook
from core.deals.company_deals import ColleaguesDeals, CompanyDeal
from core.deals.offers.negotiation import Negotiation
from core.deals.tables import PurchaseRequest
from core.errors import DomainError
from core.events import Event
from tests.companies.fakes import MemoryRoster
from tests.deals.offer_fakes import MemoryNegotiation

PENDING = "pending"


class _RosterSeats(dict[int, Seat]):
    """The negotiation's seats, read live from the roster: a limit set, a member gone, are in
    the next purchase, as on the database where both read the same rows."""

    def __init__(self, roster: MemoryRoster) -> None:
        super().__init__()
        self.roster = roster

    def get(self, account_id: int, default: Any = None) -> Any:  # type: ignore[override]
        placement = self.roster.seats.get(account_id)
        if placement is None:
            return default
        return Seat(self.roster.companies[placement.company_id], placement.roles,
                    placement.limit)

    def __setitem__(self, account_id: int, seat: Seat) -> None:
        raise AssertionError("seat people through the roster (companies.found, invite, join)")


@dataclass
class MemoryApprovalBook:
    """Held purchases (mapped `PurchaseRequest` objects built without a session, ids given in
    order) on a roster and a negotiation; the clock is the negotiation's, standing still."""

    roster: MemoryRoster = field(default_factory=MemoryRoster)
    offers: MemoryNegotiation = field(default_factory=MemoryNegotiation)
    requests: dict[int, PurchaseRequest] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.offers.seats = _RosterSeats(self.roster)

    def stores(self) -> dict[Any, Any]:
        """The fakes a chat in memory holds (`MemoryChat(stores=…)`) for purchase approval's
        flows and the company's."""
        from core.companies.roster import Roster

        return {ApprovalBook: self, ColleaguesDeals: self, Negotiation: self.offers,
                Roster: self.roster}

    def now(self) -> Any:
        return self.offers.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def negotiation(self) -> MemoryNegotiation:
        return self.offers

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        saved = _Snapshot(self)
        try:
            yield
        except DomainError:
            saved.restore()
            raise

    async def seat(self, account_id: int) -> Seat | None:
        return await self.roster.seat(account_id)

    async def approvers(self, company_id: int, excluding: int) -> list[int]:
        return [a for a in await self.roster.with_role(company_id, "approve") if a != excluding]

    async def names(self, account_ids: list[int]) -> dict[int, str]:
        people = self.roster.people
        return {a: people[a].display_name for a in account_ids if a in people}

    async def put(self, request: PurchaseRequest) -> None:
        request.id = len(self.requests) + 1
        self.requests[request.id] = request

    async def request(self, request_id: int) -> PurchaseRequest | None:
        return self.requests.get(request_id)

    async def pending(self, company_id: int, requester_id: int | None) -> list[PurchaseRequest]:
        return [r for __, r in sorted(self.requests.items()) if r.company_id == company_id
                and r.status == PENDING and requester_id in (None, r.requester_id)]

    async def decide(self, request: PurchaseRequest, status: str, actor_id: int,
                     reason: str | None) -> bool:
        kept = self.requests.get(request.id)
        if kept is None or kept.status != PENDING:
            return False
        for each in {id(kept): kept, id(request): request}.values():
            each.status, each.decided_by, each.decided_at, each.reason = (
                status, actor_id, self.now(), reason)
        return True

    async def settle(self, request: PurchaseRequest, status: str, reason: str) -> None:
        request.status, request.reason = status, reason

    async def made(self, request: PurchaseRequest, offer_id: int | None,
                   deal_id: int | None) -> None:
        request.result_offer_id, request.result_deal_id = offer_id, deal_id

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        await self.roster.audit(company_id, actor_id, action, subject, **detail)

    # --- a company's deals, as its colleagues see them (core.deals.company_deals) ----------

    async def company_deals(self, company_id: int, buyer_other_than: int,
                            approved_by: int | None, limit: int) -> list[CompanyDeal]:
        deals = [d for d in self.offers.deals.values()
                 if d.company_id == company_id and d.buyer_id != buyer_other_than
                 and (approved_by is None or self._approved(d.id, d.offer_id, approved_by))]
        deals.sort(key=lambda d: (d.updated_at, d.id), reverse=True)
        people = self.roster.people
        return [CompanyDeal(d, self.offers.listings[d.listing_id].title,
                            people[d.buyer_id].display_name) for d in deals[:limit]]

    def _approved(self, deal_id: int, offer_id: int | None, actor_id: int) -> bool:
        return any(r.decided_by == actor_id and (r.result_deal_id == deal_id or (
            offer_id is not None and r.result_offer_id == offer_id))
            for r in self.requests.values())


class _Snapshot:
    """What an attempt may change — the negotiation's listings, offers, deals, timers and
    events, the book's requests and events, the roster's audit — to put back when it fails, as
    a savepoint's rollback does."""

    def __init__(self, book: MemoryApprovalBook) -> None:
        self.book, made = book, book.offers
        self.dicts = {name: dict(getattr(made, name))
                      for name in ("listings", "offers", "deals", "expiries")}
        self.rows = [(row, _columns(row)) for name in ("listings", "offers", "deals")
                     for row in getattr(made, name).values()]
        self.rows += [(row, _columns(row)) for row in book.requests.values()]
        self.requests = dict(book.requests)
        self.told = (len(made.events), len(book.events), len(book.roster.audited),
                     len(book.roster.events))

    def restore(self) -> None:
        book, made = self.book, self.book.offers
        for name, kept in self.dicts.items():
            setattr(made, name, kept)
        for row, values in self.rows:
            for key, value in values.items():
                setattr(row, key, value)
        book.requests = self.requests
        offers_told, book_told, audited, roster_told = self.told
        del made.events[offers_told:], book.events[book_told:]
        del book.roster.audited[audited:], book.roster.events[roster_told:]


def _columns(row: Any) -> dict[str, Any]:
    return {attr.key: copy.copy(getattr(row, attr.key))
            for attr in inspect(row).mapper.column_attrs}
