"""What an index counts, read from the database: completed deals (dated by their completion,
as their carbon record keeps it) and deals awarded from a tender, an auction or a request's
quotes (dated by the award, whatever became of them after), of the index's product, loaded in
its region, in one week. A deal is counted once: an award's deal never again at completion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from core.catalog.tables import Listing
from core.deals.carbon.tables import CarbonRecord
from core.deals.contracts.tables import Contract
from core.deals.tables import Deal, Offer, SupplyRequest
from core.indices.definitions import IndexDef
from core.market.index_rules import Trade, counts, week_bounds
from core.process.deals import DealState
from core.storage.uow import UnitOfWork

_DONE = (DealState.COMPLETED, DealState.CLOSED)


def _decimal(text: str | None) -> Decimal:
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


async def trades_of(uow: UnitOfWork, index: IndexDef, week: date) -> list[Trade]:
    """The week's trades that count for the index (core.market.index_rules.counts)."""
    start, end = week_bounds(week)
    offer, first = aliased(Offer), aliased(Offer)
    awarded = offer.request_id.is_not(None)
    rows = await uow.session.execute(
        select(Deal.seller_id, Deal.buyer_id, Deal.quantity_milli, Listing.unit,
               Deal.price_minor, Deal.currency,
               func.coalesce(offer.incoterm, first.incoterm, SupplyRequest.incoterm),
               Listing.grade, Listing.energy_mwh_per_unit)
        .join(Listing, Listing.id == Deal.listing_id)
        .outerjoin(offer, offer.id == Deal.offer_id)
        .outerjoin(SupplyRequest, SupplyRequest.id == offer.request_id)
        .outerjoin(Contract, Contract.id == Deal.contract_id)
        .outerjoin(first, first.id == Contract.offer_id)
        .outerjoin(CarbonRecord, CarbonRecord.deal_id == Deal.id)
        .where(Listing.product_type == index.product_type,
               Listing.country.in_(index.countries),
               or_(and_(awarded, Deal.created_at >= start, Deal.created_at < end),
                   and_(offer.request_id.is_(None), Deal.status.in_(_DONE),
                        CarbonRecord.completed_at >= start, CarbonRecord.completed_at < end))))
    trades = [Trade(seller, buyer, Decimal(quantity) / 1000, unit, price, currency, basis,
                    grade, _decimal(energy))
              for seller, buyer, quantity, unit, price, currency, basis, grade, energy
              in rows.all()]
    return [t for t in trades if counts(t, index.currency, index.basis, index.grade)]
