"""A company's deals as its colleagues see them: finance and admins every deal bought for the
company (with its documents), an approver those she approved, a buyer her own (as a party)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.companies.seats import Seat, seat_of
from core.deals.rules import line_total
from core.deals.tables import Deal, PurchaseRequest
from core.money.model import Money
from core.process.deals import state_words
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


async def company_deals(uow: UnitOfWork, actor_id: int, limit: int = 30) -> list[CompanyDealRow]:
    """The company's deals the actor may see beyond her own, newest first (none outside one)."""
    seat = await seat_of(uow, actor_id)
    if seat is None:
        return []
    query = (select(Deal, Listing.title, Account.display_name)
             .join(Listing, Listing.id == Deal.listing_id)
             .join(Account, Account.id == Deal.buyer_id)
             .where(Deal.company_id == seat.company.id, Deal.buyer_id != actor_id))
    if not seat.may("see_all"):
        query = query.where(_approved_by(actor_id))
    rows = await uow.session.execute(query.order_by(Deal.updated_at.desc(), Deal.id.desc())
                                     .limit(limit))
    return [CompanyDealRow(deal.id, title, name, state_words(deal.status, bool(deal.payment_days)),
                           line_total(Money(deal.price_minor, deal.currency), deal.quantity_milli))
            for deal, title, name in rows.all()]


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

