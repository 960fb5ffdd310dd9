"""Operator roles and who holds them: the one place that answers "may this operator…?" (what
each role may do is core.operators.rules).

Admins (named by identity, or granted) may do everything; the other roles a share of it.
The console's routes, the chat's moderation and dispute desks and support tickets all ask here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, bindparam, exists, select

from core.accounts.member import Member
from core.accounts.tables import Account, Identity
from core.companies.tables import CompanyMember
from core.errors import NotAllowed
from core.i18n import _
from core.operators.rules import ADMIN, PERMISSIONS, may
from core.operators.sql_store import named_admin, operators_of
from core.operators.store import Operators
from core.operators.tables import OperatorRole
from core.storage.uow import UnitOfWork


async def is_admin(uow: UnitOfWork | Operators, account_id: int) -> bool:
    """Whether the account administers Agora."""
    return await operators_of(uow).is_admin(account_id)


async def admin_ids(uow: UnitOfWork | Operators) -> list[int]:
    """The administrators' accounts, each once."""
    return await operators_of(uow).admins()


async def require_admin(uow: UnitOfWork | Operators, account_id: int | None) -> None:
    """NotAllowed unless the account is an administrator."""
    if account_id is None or not await is_admin(uow, account_id):
        raise NotAllowed(_("That is for administrators."))


async def roles_of(uow: UnitOfWork | Operators, account_id: int | None) -> frozenset[str]:
    """The console roles an account holds: granted ones, plus admin where its identity is named one.
    A suspended account holds none."""
    if account_id is None:
        return frozenset()
    operators = operators_of(uow)
    account = await operators.account(account_id)
    if account is None or account.suspended_at is not None:
        return frozenset()
    granted = await operators.granted(account_id)
    if ADMIN not in granted and await operators.is_admin(account_id):
        granted.add(ADMIN)
    return frozenset(granted)


async def may_act(uow: UnitOfWork | Operators, account_id: int | None, action: str) -> bool:
    return may(await roles_of(uow, account_id), action)


async def require(uow: UnitOfWork | Operators, account_id: int | None, action: str) -> frozenset[str]:
    """The operator's roles; NotAllowed unless they may take `action`."""
    roles = await roles_of(uow, account_id)
    if not may(roles, action):
        raise NotAllowed(_("That is for administrators."))
    return roles


async def can_handle_support(uow: UnitOfWork | Operators, account_id: int | None) -> bool:
    """Whether the account may answer support tickets (role support, or admin)."""
    return await may_act(uow, account_id, "handle_support")


async def holders(uow: UnitOfWork, action: str) -> list[int]:
    """Every account that may take `action` now: named admins and granted roles (not
    suspended), each once — who is told of work of that kind (new tickets, breached deadlines)."""
    roles = {ADMIN, *PERMISSIONS[action]}
    granted = (await uow.session.execute(select(OperatorRole.account_id).join(
        Account, Account.id == OperatorRole.account_id).where(
        OperatorRole.role.in_(roles), Account.suspended_at.is_(None))
        .order_by(OperatorRole.account_id))).scalars()
    found = [a for a in await admin_ids(uow) if await may_act(uow, a, action)]
    return list(dict.fromkeys([*found, *granted]))


def _chat_roles_query() -> Any:
    """Whether an account is an admin and its roles in a company (NULL for none), in one
    statement built once: every chat update asks it, and building the admins' union each time
    cost more than running it."""
    account: Any = bindparam("account_id", type_=Integer)
    granted = select(OperatorRole.account_id).where(OperatorRole.account_id == account,
                                                    OperatorRole.role == ADMIN)
    named = named_admin().where(Identity.account_id == account)
    company_roles = (select(CompanyMember.roles).where(CompanyMember.account_id == account)
                     .limit(1).scalar_subquery())  # one company per account
    return select((exists(granted) | exists(named)).label("admin"),
                  company_roles.label("company_roles"))


_CHAT_ROLES = _chat_roles_query()


async def chat_roles(uow: UnitOfWork, account: Member) -> set[str]:
    """The account's chosen roles, plus admin where the database names it one, and "company"
    with "company_<role>" for each of its roles in a company (menus show what applies)."""
    roles = set(account.roles or [])
    found = (await (await uow.core()).execute(_CHAT_ROLES, {"account_id": account.id})).one()
    if found.admin:
        roles.add(ADMIN)
    if found.company_roles is not None:
        roles |= {"company", *(f"company_{role}" for role in found.company_roles)}
    return roles
