"""The operators' storage behind a protocol (docs/architecture.md, *A context's storage behind
a protocol*): who holds which console role, who is an administrator, an account's suspension
as a guarded state, what the person is told and the audit log. The rules stay in
core.operators (rules, roles, grants, suspension); the SQL store is core.operators.sql_store,
the tests' in-memory one `MemoryOperators` (tests/console/fakes.py), held alike by
tests/console/test_operators_contract.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from core.accounts.tables import Account
from core.events import Event


class Operators(Protocol):
    def now(self) -> datetime:
        ...

    def emit(self, event: Event) -> None:
        """Hand an event to the bus (after commit, on the database)."""
        ...

    async def account(self, account_id: int) -> Account | None:
        """The account as it stands now (its suspension among it), or None."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account administers Agora: the role granted, or an identity named one."""
        ...

    async def admins(self) -> list[int]:
        """Every administrator's account, each once, in the order of their ids."""
        ...

    async def granted(self, account_id: int) -> set[str]:
        """The console roles granted to the account (not those its named identity gives)."""
        ...

    async def grant(self, account_id: int, role: str, granted_by: int) -> bool:
        """Give the role; False when the account holds it already (nothing changes)."""
        ...

    async def revoke(self, account_id: int, role: str) -> bool:
        """Take a granted role away; False when the account held no such grant."""
        ...

    async def suspend(self, account_id: int, reason: str | None, *, suspended: bool) -> bool:
        """Move the account to suspended (with the reason) or back to active, only from the
        other state: False when it was there already (a second tap)."""
        ...

    async def tell(self, account_id: int, message: str, **values: Any) -> None:
        """An urgent notice to the person: `message` (marked N_) in their own words."""
        ...

    async def record(self, actor_id: int | None, action: str, subject: str,
                     reason: str | None = None, **detail: Any) -> None:
        """One audit entry, kept or rolled back with the action (core.operators.audit)."""
        ...
