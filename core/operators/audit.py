"""The audit log: every operator action, written in that action's transaction.

There is deliberately no function that changes or removes an entry. Writing one is
core.operators.entries (which the operators' SQL store writes through too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.accounts.tables import Account
from core.i18n import _
from core.operators.entries import ACTIONS, record  # callers write `audit.record`
from core.operators.roles import require
from core.operators.tables import AuditEntry
from core.storage.uow import UnitOfWork

__all__ = ["ACTIONS", "AuditFilter", "entries", "record"]


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_id: int | None = None
    subject: str = ""
    since: datetime | None = None


async def entries(uow: UnitOfWork, reader_id: int, wanted: AuditFilter, limit: int = 200
                  ) -> list[tuple[AuditEntry, str]]:
    """The newest entries matching the filter, each with its actor's name (admins only)."""
    await require(uow, reader_id, "view_audit")
    stmt = (select(AuditEntry, Account.display_name)
            .outerjoin(Account, Account.id == AuditEntry.actor_id)
            .order_by(AuditEntry.id.desc()).limit(limit))
    if wanted.action:
        stmt = stmt.where(AuditEntry.action == wanted.action)
    if wanted.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.subject:
        stmt = stmt.where(AuditEntry.subject == wanted.subject)
    if wanted.since is not None:
        stmt = stmt.where(AuditEntry.at >= wanted.since)
    return [(entry, name or _("system")) for entry, name in (await uow.session.execute(stmt)).all()]
