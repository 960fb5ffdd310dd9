"""Writing the audit log (core.operators.audit reads it): one entry per operator action, added
in that action's transaction, so it is rolled back with the action if the action fails."""

from __future__ import annotations

from typing import Any

from core.operators.tables import AuditEntry
from core.storage.uow import UnitOfWork

ACTIONS = ("sign-in", "sign-out", "role-granted", "role-revoked", "account-suspended",
           "account-restored", "listing-approved", "listing-rejected", "dispute-question",
           "dispute-decided", "ticket-answered", "ticket-closed", "ticket-reopened",
           "resource-published", "gathering-published", "recording-added", "request-cancelled",
           "terms-approved", "terms-withdrawn")


async def record(uow: UnitOfWork, actor_id: int | None, action: str, subject: str,
                 reason: str | None = None, **detail: Any) -> None:
    """Append one entry (rolled back with the action if the action fails)."""
    assert action in ACTIONS, action
    uow.add(AuditEntry(at=uow.clock.now(), actor_id=actor_id, action=action, subject=subject,
                       reason=reason, detail=detail))
