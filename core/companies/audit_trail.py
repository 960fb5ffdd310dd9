"""A company's audit trail: one line per decision, written in the deciding transaction, and
the latest decisions as its admins and finance read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.companies.seats import seat_may
from core.companies.tables import CompanyAudit
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Decision:
    """One line of the company's audit trail: who did what, to what, when."""

    at: datetime
    actor_id: int | None
    action: str
    subject: str


async def audit(uow: UnitOfWork, company_id: int, actor_id: int | None, action: str,
                subject: str = "", **detail: object) -> None:
    """One line of the company's audit trail, in the deciding transaction."""
    uow.add(CompanyAudit(company_id=company_id, actor_id=actor_id, action=action,
                         subject=subject, detail=detail, at=uow.clock.now()))


async def trail(uow: UnitOfWork, actor_id: int, limit: int = 20) -> list[Decision]:
    """The company's latest decisions, for its admins and finance."""
    seat = await seat_may(uow, actor_id, "see_all")
    found = (await uow.session.execute(select(CompanyAudit).where(
        CompanyAudit.company_id == seat.company.id).order_by(CompanyAudit.id.desc())
        .limit(limit))).scalars()
    return [Decision(entry.at, entry.actor_id, entry.action, entry.subject) for entry in found]
