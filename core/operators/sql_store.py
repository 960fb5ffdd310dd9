"""The operators' storage in the database (core.operators.store): granted roles, the
administrators (granted, or an identity named by AGORA_ADMINS), the suspension's guarded
UPDATE, the outbox and the audit log, all in the caller's unit of work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, exists, select, union, update

from core.accounts.tables import Account, Identity
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.operators import entries
from core.operators.rules import ADMIN
from core.operators.store import Operators
from core.operators.tables import OperatorIdentity, OperatorRole
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


def named_admin() -> Any:
    """The identities of an account that the operators' table names admin."""
    return (select(Identity.account_id).join(OperatorIdentity, and_(
        OperatorIdentity.channel == Identity.channel,
        OperatorIdentity.user_key == Identity.user_key))
        .where(OperatorIdentity.role == ADMIN))


def admins() -> Any:
    """Every administrator's account id: a role granted in the console, or an identity named an
    operator (`AGORA_ADMINS`, kept in the database) — the one list `is_admin` and `admin_ids`
    both read, so whoever may act as an admin is also told what admins are told."""
    granted = select(OperatorRole.account_id.label("account_id")).where(OperatorRole.role == ADMIN)
    return union(granted, named_admin()).subquery()


class SqlOperators(SqlStore):
    async def account(self, account_id: int) -> Account | None:
        return await self._uow.get(Account, account_id)

    async def is_admin(self, account_id: int) -> bool:
        found = admins()
        wanted = select(found.c.account_id).where(found.c.account_id == account_id)
        return bool((await self._uow.session.execute(select(exists(wanted)))).scalar())

    async def admins(self) -> list[int]:
        found = admins()
        return list((await self._uow.session.execute(select(found.c.account_id).distinct()
                                                     .order_by(found.c.account_id))).scalars())

    async def granted(self, account_id: int) -> set[str]:
        return set((await self._uow.session.execute(select(OperatorRole.role).where(
            OperatorRole.account_id == account_id))).scalars())

    async def grant(self, account_id: int, role: str, granted_by: int) -> bool:
        if await self._uow.get(OperatorRole, (account_id, role)) is not None:
            return False
        self._uow.add(OperatorRole(account_id=account_id, role=role, granted_by=granted_by,
                                   granted_at=self.now()))
        return True

    async def revoke(self, account_id: int, role: str) -> bool:
        gone = await self._uow.session.execute(delete(OperatorRole).where(
            OperatorRole.account_id == account_id, OperatorRole.role == role))
        return bool(gone.rowcount == 1)  # type: ignore[attr-defined]

    async def suspend(self, account_id: int, reason: str | None, *, suspended: bool) -> bool:
        now = self.now()
        was = Account.suspended_at.is_(None) if suspended else Account.suspended_at.is_not(None)
        moved = await self._uow.session.execute(update(Account).where(
            Account.id == account_id, was).values(
            suspended_at=now if suspended else None, suspension_reason=reason, updated_at=now))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return False
        account = await self._uow.get(Account, account_id)
        if account is not None:
            await self._uow.session.refresh(account)
        return True

    async def tell(self, account_id: int, message: str, **values: Any) -> None:
        async with addressed_to(self._uow, account_id):
            await notify(self._uow, account_id, _(message, **values), urgent=True)

    async def record(self, actor_id: int | None, action: str, subject: str,
                     reason: str | None = None, **detail: Any) -> None:
        await entries.record(self._uow, actor_id, action, subject, reason, **detail)


def operators_of(uow: UnitOfWork | Operators) -> Operators:
    """The operators' store in this unit of work: the database's, or the store given (a
    test's in-memory one)."""
    return store_of(uow, Operators, SqlOperators)
