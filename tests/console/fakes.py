"""The operators' storage in memory (`MemoryOperators`, core.operators.store): accounts kept by
id, granted roles, the administrators named by settings, the suspension as a guarded change,
what each person was told (in their own words) and the audit log, with the events emitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.accounts.tables import Account
from core.events import Event
from core.i18n import _
from core.operators.rules import ADMIN

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class MemoryOperators:
    at: datetime = NOW
    accounts: dict[int, Account] = field(default_factory=dict)
    roles: dict[int, set[str]] = field(default_factory=dict)  # granted in the console
    named: set[int] = field(default_factory=set)  # admins by identity (AGORA_ADMINS)
    told: list[tuple[int, str]] = field(default_factory=list)
    audit: list[tuple[str, str, int | None, str | None]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def now(self) -> datetime:
        return self.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    async def account(self, account_id: int) -> Account | None:
        return self.accounts.get(account_id)

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.named or ADMIN in self.roles.get(account_id, set())

    async def admins(self) -> list[int]:
        return sorted(self.named | {a for a, held in self.roles.items() if ADMIN in held})

    async def granted(self, account_id: int) -> set[str]:
        return set(self.roles.get(account_id, set()))

    async def grant(self, account_id: int, role: str, granted_by: int) -> bool:
        held = self.roles.setdefault(account_id, set())
        if role in held:
            return False
        held.add(role)
        return True

    async def revoke(self, account_id: int, role: str) -> bool:
        held = self.roles.get(account_id, set())
        if role not in held:
            return False
        held.discard(role)
        return True

    async def suspend(self, account_id: int, reason: str | None, *, suspended: bool) -> bool:
        account = self.accounts.get(account_id)
        if account is None or (account.suspended_at is None) != suspended:
            return False
        account.suspended_at = self.at if suspended else None
        account.suspension_reason, account.updated_at = reason, self.at
        return True

    async def tell(self, account_id: int, message: str, **values: Any) -> None:
        self.told.append((account_id, _(message, **values)))

    async def record(self, actor_id: int | None, action: str, subject: str,
                     reason: str | None = None, **detail: Any) -> None:
        self.audit.append((action, subject, actor_id, reason))

    def person(self, name: str, *, admin: bool = False) -> int:
        """An account registered as `name`; with `admin`, named an administrator by settings
        (as `terminal:root` is in the tests' settings)."""
        account = Account(id=len(self.accounts) + 1, display_name=name.capitalize(),
                          email=f"{name}@example.com", language="en")
        self.accounts[account.id] = account
        if admin:
            self.named.add(account.id)
        return account.id
