"""The offers' `Negotiation` in the database: the rows of `core.deals.offers.rounds` and the
agreement of `core.deals.offers.agreement`, in the caller's unit of work."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog.tables import Listing
from core.companies.seats import Seat, seat_of
from core.companies.tables import Company
from core.deals import accepted, on_terms, request_award
from core.deals.accepted import Accepts
from core.deals.offers.agreement import _agree
from core.deals.offers.negotiation import Negotiation
from core.deals.offers.rounds import _moved, _put
from core.deals.tables import Deal, Offer
from core.money.model import Money
from core.process.deals import BUYER
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlNegotiation(SqlStore):
    """Offers, listings and company seats as rows, in the caller's unit of work."""

    async def listing(self, listing_id: int) -> Listing | None:
        return await self._uow.get(Listing, listing_id)

    async def seat(self, buyer_id: int) -> Seat | None:
        return await seat_of(self._uow, buyer_id)

    async def accepts(self, seller_id: int) -> Accepts:
        return await accepted.of_account(self._uow, seller_id)

    async def credit(self, buyer_id: int) -> on_terms.Standing | None:
        seat = await seat_of(self._uow, buyer_id)
        if seat is None:
            return None
        company = (await self._uow.session.execute(select(Company).where(
            Company.id == seat.company.id).with_for_update())).scalar_one()
        return await on_terms.standing(self._uow, company)

    async def check_counter(self, offer: Offer, milli: int, price: Money) -> None:
        await request_award.check_counter(self._uow, offer, milli, price)

    async def put(self, offer: Offer) -> None:
        await _put(self._uow, offer)

    async def offer(self, offer_id: int) -> Offer | None:
        return await self._uow.get(Offer, offer_id)

    async def last_offer(self, buyer_id: int) -> Offer | None:
        return (await self._uow.session.execute(select(Offer).where(
            Offer.buyer_id == buyer_id, Offer.made_by == BUYER).order_by(Offer.id.desc())
            .limit(1))).scalar()

    async def close(self, offer: Offer, status: str, reason: str | None) -> bool:
        return await _moved(self._uow, offer, status, reason)

    async def agree(self, offer: Offer, accepter: str) -> Deal:
        return await _agree(self._uow, offer, accepter)


def negotiation_of(uow: UnitOfWork | Negotiation) -> Negotiation:
    """The offers' negotiation in this unit of work: the database's, or the one given (a
    test's in-memory one)."""
    return store_of(uow, Negotiation, SqlNegotiation)
