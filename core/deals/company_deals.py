"""A company's deals as its colleagues see them: finance and admins every deal bought for the
company (with its documents), an approver those she approved, a buyer her own (as a party).

The list (`company_deals`) asks a narrow store (`ColleaguesDeals`): in the database
`SqlColleaguesDeals`, on the tests' in-memory approval book (`tests/companies/approval_fakes.py`)
its deals; who sees which stays here. `tests/companies/test_approval_book_contract.py` holds the
two alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.companies.seats import Seat, seat_of
from core.deals.rules import line_total
from core.deals.tables import Deal, PurchaseRequest
from core.money.model import Money
from core.process.deals import state_words
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class CompanyDealRow:
    id: int
    title: str
    buyer: str  # the colleague who bought it
    status_label: str
    total: Money


async def sees(uow: UnitOfWork, deal: Deal, actor_id: int | None) -> bool:
    """Whether a colleague of the deal's buyer may open it (read only)."""
    if deal.company_id is None or actor_id is None:
        return False
    seat = await seat_of(uow, actor_id)
    if seat is None or seat.company.id != deal.company_id:
        return False
    return seat.may("see_all") or await _approved(uow, deal, actor_id)


@dataclass(frozen=True)
class CompanyDeal:
    """A deal bought for a company, with its listing's title and its buyer's name."""

    deal: Deal
    title: str
    buyer: str


class ColleaguesDeals(Protocol):
    """What the list of a company's deals asks of storage."""

    async def seat(self, account_id: int) -> Seat | None:
        ...

    async def company_deals(self, company_id: int, buyer_other_than: int,
                            approved_by: int | None, limit: int) -> list[CompanyDeal]:
        """The company's deals bought by anyone but `buyer_other_than` (only those
        `approved_by` approved, unless None), the latest changed first."""
        ...


class SqlColleaguesDeals(SqlStore):
    """A company's deals as rows, in the caller's unit of work."""

    async def seat(self, account_id: int) -> Seat | None:
        return await seat_of(self._uow, account_id)

    async def company_deals(self, company_id: int, buyer_other_than: int,
                            approved_by: int | None, limit: int) -> list[CompanyDeal]:
        query = (select(Deal, Listing.title, Account.display_name)
                 .join(Listing, Listing.id == Deal.listing_id)
                 .join(Account, Account.id == Deal.buyer_id)
                 .where(Deal.company_id == company_id, Deal.buyer_id != buyer_other_than))
        if approved_by is not None:
            query = query.where(_approved_by(approved_by))
        rows = await self._uow.session.execute(
            query.order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(limit))
        return [CompanyDeal(deal, title, name) for deal, title, name in rows.all()]


async def company_deals(uow: UnitOfWork | ColleaguesDeals, actor_id: int, limit: int = 30
                        ) -> list[CompanyDealRow]:
    """The company's deals the actor may see beyond her own, newest first (none outside one)."""
    store = store_of(uow, ColleaguesDeals, SqlColleaguesDeals)
    seat = await store.seat(actor_id)
    if seat is None:
        return []
    found = await store.company_deals(seat.company.id, actor_id,
                                      None if seat.may("see_all") else actor_id, limit)
    return [CompanyDealRow(d.deal.id, d.title, d.buyer,
                           state_words(d.deal.status, bool(d.deal.payment_days)),
                           line_total(Money(d.deal.price_minor, d.deal.currency),
                                      d.deal.quantity_milli)) for d in found]


def may_see_company(seat: Seat | None) -> bool:
    """Whether the company view of deals is for this colleague at all."""
    return seat is not None and (seat.may("see_all") or seat.may("approve"))


def _approved_by(actor_id: int) -> ColumnElement[bool]:
    """Deals the actor approved: bought at once, or agreed on the offer she let go out."""
    decided = PurchaseRequest.decided_by == actor_id
    return or_(Deal.id.in_(select(PurchaseRequest.result_deal_id).where(decided)),
               Deal.offer_id.in_(select(PurchaseRequest.result_offer_id).where(decided)))


async def _approved(uow: UnitOfWork, deal: Deal, actor_id: int) -> bool:
    return (await uow.session.execute(select(Deal.id).where(
        Deal.id == deal.id, _approved_by(actor_id)))).first() is not None

