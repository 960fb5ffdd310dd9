"""The after-sale logbook on the unit of work (`SqlLogbook`: the protocol is
`core.deals.after_sale.logbook.Logbook`): the deal and its moves through `core.deals.deals`,
shipments, disputes, quality reports and ratings on the session, the decision and the answer
as conditional updates, the ratings' publication through `core.deals.ratings.service`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from core.accounts.billing import Party
from core.catalog.tables import Listing
from core.companies.billing import parties_for
from core.deals import deals
from core.deals.after_sale.logbook import Logbook, Row
from core.deals.ratings import service as ratings
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute, QualityReport, Shipment
from core.deals.terms import service as terms
from core.operators import audit
from core.operators.roles import may_act
from core.storage.stores import SqlStore, store_of
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

# Built once: asked at every rating, whether both parties have rated now.
_RATED = select(func.count()).select_from(table_of(Rating)).where(
    table_of(Rating).c.deal_id == bindparam("deal_id"))


def _owed() -> Any:
    deal: BindParameter[int] = bindparam("deal_id")
    disputes, reports = table_of(Dispute), table_of(QualityReport)
    return select(
        select(disputes.c.refund_minor).where(disputes.c.deal_id == deal,
                                              disputes.c.outcome == "split")
        .limit(1).scalar_subquery(),
        select(reports.c.adjustment_minor).where(reports.c.deal_id == deal,
                                                 reports.c.answer == "accepted")
        .scalar_subquery())


_OWED = _owed()


class SqlLogbook(SqlStore):
    """The logbook on the unit of work's session."""

    async def deal(self, deal_id: int, actor_id: int | None) -> Deal:
        return await deals.get(self._uow, deal_id, actor_id)

    async def stored_deal(self, deal_id: int) -> Deal | None:
        return await self._uow.get(Deal, deal_id)

    async def role(self, deal: Deal, actor_id: int | None) -> str | None:
        return await deals.role_of(self._uow, deal, actor_id)

    async def take(self, deal_id: int, transition: str, actor_id: int | None) -> Deal:
        return await deals.take(self._uow, deal_id, transition, actor_id)

    async def may(self, actor_id: int | None, action: str) -> bool:
        return await may_act(self._uow, actor_id, action)

    async def audit(self, actor_id: int, action: str, subject: str, reason: str,
                    **detail: Any) -> None:
        await audit.record(self._uow, actor_id, action, subject, reason, **detail)

    async def put(self, row: Row) -> None:
        await self._uow.insert(row)

    async def rate_once(self, rating: Rating) -> bool:
        try:
            async with self._uow.nested():  # a savepoint: a refused insert undoes itself alone
                await self._uow.insert(rating)
        except IntegrityError:  # uq_ratings_deal_rater: this party rated the deal already
            return False
        return True

    async def shipment(self, deal_id: int) -> Shipment | None:
        return await self._uow.get(Shipment, deal_id)

    async def dispute(self, dispute_id: int) -> Dispute | None:
        return await self._uow.get(Dispute, dispute_id)

    async def decide(self, dispute_id: int, **decision: object) -> bool:
        decided = await self._uow.session.execute(update(Dispute).where(
            Dispute.id == dispute_id, Dispute.decided_at.is_(None)).values(**decision))
        if decided.rowcount != 1:  # type: ignore[attr-defined]
            return False
        dispute = await self._uow.get(Dispute, dispute_id)
        assert dispute is not None
        await self._uow.session.refresh(dispute)
        return True

    async def report(self, deal_id: int) -> QualityReport | None:
        return await self._uow.get(QualityReport, deal_id)

    async def answer(self, deal_id: int, answer: str) -> bool:
        answered = await self._uow.session.execute(update(QualityReport).where(
            QualityReport.deal_id == deal_id, QualityReport.answer.is_(None))
            .values(answer=answer))
        return bool(answered.rowcount == 1)  # type: ignore[attr-defined]

    async def terms(self, deal_id: int) -> dict[str, Any]:
        return (await terms.current(self._uow, deal_id)).body  # type: ignore[union-attr]

    async def rated(self, deal_id: int) -> int:
        return int((await (await self._uow.core()).execute(
            _RATED, {"deal_id": deal_id})).scalar_one())

    async def publish(self, deal_id: int) -> None:
        await ratings.publish(self._uow, deal_id)

    async def owed(self, deal_id: int) -> tuple[int | None, int | None]:
        split, adjustment = (await (await self._uow.core()).execute(
            _OWED, {"deal_id": deal_id})).one()
        return split, adjustment

    async def listing(self, listing_id: int) -> Listing | None:
        return await self._uow.get(Listing, listing_id)

    async def parties(self, seller_id: int, buyer_id: int) -> tuple[Party, Party]:
        seller, buyer = await parties_for(self._uow, seller_id, buyer_id)
        return seller, buyer


def logbook_of(uow: UnitOfWork | Logbook) -> Logbook:
    """The after-sale logbook in this unit of work: the database's, or the one given (a test's
    in-memory one)."""
    return store_of(uow, Logbook, SqlLogbook)  # a unit of work in memory holds its fake
