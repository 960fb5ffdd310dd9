"""Purchase approval's `ApprovalBook` in the database: held purchases as rows of
`purchase_requests`, seats and approvers as `core.companies.seats` reads them, the audit in
the company's roster, in the caller's unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.companies.seats import Seat, seat_of, with_role
from core.companies.sql_roster import SqlRoster
from core.deals.approvals.book import ApprovalBook
from core.deals.offers.negotiation import Negotiation
from core.deals.offers.sql_negotiation import SqlNegotiation
from core.deals.tables import PurchaseRequest
from core.errors import DomainError
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork

PENDING = "pending"  # core.deals.approvals.service.PurchaseState.PENDING


class SqlApprovalBook(SqlStore):
    """Held purchases as rows, in the caller's unit of work."""

    def negotiation(self) -> Negotiation:
        return SqlNegotiation(self._uow)

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        """A savepoint; when it fails, what it announced did not happen, nor what it set on
        the objects it touched (they are read again)."""
        told = len(self._uow.events)
        try:
            async with self._uow.nested():
                yield
        except DomainError:
            del self._uow.events[told:]
            self._uow.session.expire_all()
            raise

    async def seat(self, account_id: int) -> Seat | None:
        return await seat_of(self._uow, account_id)

    async def approvers(self, company_id: int, excluding: int) -> list[int]:
        return await with_role(self._uow, company_id, "approve", excluding=excluding)

    async def names(self, account_ids: list[int]) -> dict[int, str]:
        if not account_ids:
            return {}
        found = await self._uow.session.execute(select(Account.id, Account.display_name).where(
            Account.id.in_(account_ids)))
        return {account_id: name for account_id, name in found.all()}

    async def put(self, request: PurchaseRequest) -> None:
        await self._uow.insert(request)

    async def request(self, request_id: int) -> PurchaseRequest | None:
        return await self._uow.get(PurchaseRequest, request_id)

    async def pending(self, company_id: int, requester_id: int | None) -> list[PurchaseRequest]:
        query = select(PurchaseRequest).where(PurchaseRequest.company_id == company_id,
                                              PurchaseRequest.status == PENDING)
        if requester_id is not None:
            query = query.where(PurchaseRequest.requester_id == requester_id)
        return list((await self._uow.session.execute(query.order_by(PurchaseRequest.id)))
                    .scalars())

    async def decide(self, request: PurchaseRequest, status: str, actor_id: int,
                     reason: str | None) -> bool:
        now = self.now()
        done = await self._uow.session.execute(update(PurchaseRequest).where(
            PurchaseRequest.id == request.id, PurchaseRequest.status == PENDING)
            .values(status=status, decided_by=actor_id, decided_at=now, reason=reason))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for name, value in (("status", status), ("decided_by", actor_id), ("decided_at", now),
                            ("reason", reason)):
            set_committed_value(request, name, value)
        return True

    async def settle(self, request: PurchaseRequest, status: str, reason: str) -> None:
        await self._uow.session.execute(update(PurchaseRequest).where(
            PurchaseRequest.id == request.id).values(status=status, reason=reason))
        set_committed_value(request, "status", status)
        set_committed_value(request, "reason", reason)

    async def made(self, request: PurchaseRequest, offer_id: int | None,
                   deal_id: int | None) -> None:
        request.result_offer_id, request.result_deal_id = offer_id, deal_id

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        await SqlRoster(self._uow).audit(company_id, actor_id, action, subject, **detail)


def approval_book_of(uow: UnitOfWork | ApprovalBook) -> ApprovalBook:
    """Purchase approval's book in this unit of work: the database's, or the one given (a
    test's in-memory one)."""
    return store_of(uow, ApprovalBook, SqlApprovalBook)
