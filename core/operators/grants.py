"""Granting and revoking console roles (admins only); each change goes to the audit log."""

from __future__ import annotations

from sqlalchemy import delete, select

from core.accounts.tables import Account
from core.errors import NotFound
from core.i18n import _
from core.operators import audit, named
from core.operators.roles import require
from core.operators.rules import check_revoke, check_role
from core.operators.tables import OperatorRole
from core.storage.uow import UnitOfWork


async def grant(uow: UnitOfWork, admin_id: int, account_id: int, role: str) -> None:
    """An admin gives an account a console role (once; granting it again changes nothing)."""
    await require(uow, admin_id, "grant_roles")
    check_role(role)
    if await uow.get(Account, account_id) is None:
        raise NotFound(_("There is no such account."))
    if await uow.get(OperatorRole, (account_id, role)) is not None:
        return
    uow.add(OperatorRole(account_id=account_id, role=role, granted_by=admin_id,
                         granted_at=uow.clock.now()))
    await audit.record(uow, admin_id, "role-granted", f"account:{account_id}", role=role)


async def revoke(uow: UnitOfWork, admin_id: int, account_id: int, role: str) -> None:
    """An admin takes a granted role away (an admin keeps their own admin role)."""
    await require(uow, admin_id, "grant_roles")
    check_role(role)
    check_revoke(admin_id, account_id, role)
    gone = await uow.session.execute(delete(OperatorRole).where(
        OperatorRole.account_id == account_id, OperatorRole.role == role))
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("That account doesn't hold that role (or it comes from settings)."))
    await audit.record(uow, admin_id, "role-revoked", f"account:{account_id}", role=role)


async def granted(uow: UnitOfWork, admin_id: int) -> list[tuple[Account, list[str]]]:
    """Every account holding a granted role, with its roles (for the admins' table)."""
    await require(uow, admin_id, "grant_roles")
    rows = await uow.session.execute(select(Account, OperatorRole.role).join(
        OperatorRole, OperatorRole.account_id == Account.id).order_by(Account.id, OperatorRole.role))
    found: dict[int, tuple[Account, list[str]]] = {}
    for account, role in rows.all():
        found.setdefault(account.id, (account, []))[1].append(role)
    return list(found.values())


async def named_admins(uow: UnitOfWork, admin_id: int) -> list[str]:
    """The identities named administrators (by AGORA_ADMINS, on any process of this database)."""
    await require(uow, admin_id, "grant_roles")
    return await named.labels(uow)

