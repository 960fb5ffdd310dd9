"""Granting and revoking console roles (admins only); each change goes to the audit log."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.errors import NotFound
from core.i18n import _
from core.operators import named
from core.operators.roles import require
from core.operators.rules import check_revoke, check_role
from core.operators.sql_store import operators_of
from core.operators.store import Operators
from core.operators.tables import OperatorRole
from core.storage.uow import UnitOfWork


async def grant(uow: UnitOfWork | Operators, admin_id: int, account_id: int, role: str) -> None:
    """An admin gives an account a console role (once; granting it again changes nothing)."""
    operators = operators_of(uow)
    await require(operators, admin_id, "grant_roles")
    check_role(role)
    if await operators.account(account_id) is None:
        raise NotFound(_("There is no such account."))
    if await operators.grant(account_id, role, admin_id):
        await operators.record(admin_id, "role-granted", f"account:{account_id}", role=role)


async def revoke(uow: UnitOfWork | Operators, admin_id: int, account_id: int, role: str) -> None:
    """An admin takes a granted role away (an admin keeps their own admin role)."""
    operators = operators_of(uow)
    await require(operators, admin_id, "grant_roles")
    check_role(role)
    check_revoke(admin_id, account_id, role)
    if not await operators.revoke(account_id, role):
        raise NotFound(_("That account doesn't hold that role (or it comes from settings)."))
    await operators.record(admin_id, "role-revoked", f"account:{account_id}", role=role)


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

