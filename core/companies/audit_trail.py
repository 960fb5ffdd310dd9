"""A company's audit trail: one line per decision, written in the deciding transaction, and
the latest decisions as its admins and finance read them. Its lines are kept by the company's
roster (`core.companies.roster`), so the trail reads as well from the tests' in-memory roster."""

from __future__ import annotations

from core.companies.roster import Decision, Roster
from core.companies.seats import allowed
from core.companies.sql_roster import SqlRoster, roster_of
from core.storage.uow import UnitOfWork

__all__ = ["Decision", "audit", "trail"]


async def audit(uow: UnitOfWork, company_id: int, actor_id: int | None, action: str,
                subject: str = "", **detail: object) -> None:
    """One line of the company's audit trail, in the deciding transaction (for the contexts
    that decide in a company's name on the unit of work: approvals, payment on terms)."""
    await SqlRoster(uow).audit(company_id, actor_id, action, subject, **detail)


async def trail(uow: UnitOfWork | Roster, actor_id: int, limit: int = 20) -> list[Decision]:
    """The company's latest decisions, for its admins and finance."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "see_all")
    return await roster.decisions(seat.company.id, limit)
