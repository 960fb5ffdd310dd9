"""The console's dashboard figures from the core's tables (money figures: payments.reports)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.consulting.sessions.tables import ConsultSession
from core.deals.tables import Deal, Dispute
from core.notifications.tables import OutboxMessage, OutboxStatus
from core.operators.roles import require
from core.process.tickets import NOT_CLOSED
from core.storage.uow import UnitOfWork
from core.support.tables import SupportTicket

MONTHS = 12  # how far back the monthly figures go


@dataclass
class Figures:
    registrations: list[tuple[str, int]]  # (YYYY-MM, new accounts), oldest first
    accounts: int
    suspended: int
    listings: dict[str, int]  # status → count
    deals: dict[str, int]
    sessions: dict[str, int]
    open_disputes: int
    open_tickets: int
    overdue_tickets: int
    outbox: dict[str, int] = field(default_factory=dict)  # pending, sending, failed, retrying


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def last_months(now: datetime, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including now's, oldest first."""
    year, month, out = now.year, now.month, []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


async def figures(uow: UnitOfWork, operator_id: int) -> Figures:
    """Everything the dashboard shows besides money, for any operator."""
    await require(uow, operator_id, "view_dashboard")
    now = uow.clock.now()
    return Figures(
        registrations=await _registrations(uow, now),
        accounts=await _count(uow, select(func.count(Account.id))),
        suspended=await _count(uow, select(func.count(Account.id)).where(
            Account.suspended_at.is_not(None))),
        listings=await _by_status(uow, Listing.status),
        deals=await _by_status(uow, Deal.status),
        sessions=await _by_status(uow, ConsultSession.status),
        open_disputes=await _count(uow, select(func.count(Dispute.id)).where(
            Dispute.decided_at.is_(None))),
        open_tickets=await _count(uow, select(func.count(SupportTicket.id)).where(
            SupportTicket.status.in_(NOT_CLOSED))),
        overdue_tickets=await _count(uow, select(func.count(SupportTicket.id)).where(
            SupportTicket.status.in_(NOT_CLOSED), SupportTicket.escalated_at.is_not(None),
            SupportTicket.first_answered_at.is_(None))),
        outbox=await _outbox(uow))


async def _count(uow: UnitOfWork, stmt: object) -> int:
    return int((await uow.session.execute(stmt)).scalar() or 0)  # type: ignore[call-overload]


async def _by_status(uow: UnitOfWork, column: object) -> dict[str, int]:
    rows = await uow.session.execute(select(column, func.count()).group_by(column))  # type: ignore[call-overload]
    return {status: int(n) for status, n in sorted(rows.all())}


async def _registrations(uow: UnitOfWork, now: datetime) -> list[tuple[str, int]]:
    months = last_months(now)
    since = now - timedelta(days=31 * MONTHS)
    stamps = (await uow.session.execute(select(Account.created_at).where(
        Account.created_at >= since))).scalars()
    counted = Counter(month_of(moment) for moment in stamps)
    return [(month, counted.get(month, 0)) for month in months]


async def _outbox(uow: UnitOfWork) -> dict[str, int]:
    """The backlog by status, plus rows waiting to be retried after a failure."""
    found = await _by_status(uow, OutboxMessage.status)
    found["retrying"] = await _count(uow, select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts > 0))
    return found
