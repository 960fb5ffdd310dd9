"""The console's page of a company's API keys: its colleagues and keys, a key made for a
colleague, a key revoked — by an operator who may manage keys (`manage_api_keys`, Agora's
admins), through the companies' own key services (core.companies.api_keys)."""

from __future__ import annotations

from dataclasses import dataclass

from core.companies import api_keys
from core.companies.api_keys import KeyView, NewKey
from core.companies.roster import Colleague
from core.companies.seats import CompanyView, seat_of
from core.companies.sql_roster import roster_of
from core.errors import NotFound
from core.i18n import _
from core.operators.roles import require
from core.storage.uow import UnitOfWork

MANAGE = "manage_api_keys"  # the operators' permission (core.operators.rules)


@dataclass(frozen=True)
class CompanyKeys:
    """A company as the console's page of its keys shows it."""

    company: CompanyView
    colleagues: list[Colleague]
    keys: list[KeyView]


async def company_page(uow: UnitOfWork, operator_id: int, company_id: int) -> CompanyKeys:
    """A company's colleagues and keys."""
    await require(uow, operator_id, MANAGE)
    roster = roster_of(uow)
    company = await roster.company(company_id)
    if company is None:
        raise NotFound(_("That company doesn't exist."))
    return CompanyKeys(company, await roster.colleagues(company_id),
                       await api_keys.company_keys(uow, company_id))


async def create(uow: UnitOfWork, operator_id: int, company_id: int, name: str,
                 scopes: list[str], holder_id: int) -> NewKey:
    """A key acting as a colleague of the company, made by the operator."""
    await require(uow, operator_id, MANAGE)
    holder = await seat_of(uow, holder_id)
    if holder is None or holder.company.id != company_id:
        raise NotFound(_("They are not in that company."))
    return await api_keys.made_for(uow, holder, operator_id, holder_id, name, scopes)


async def revoke(uow: UnitOfWork, operator_id: int, company_id: int, key_id: int) -> KeyView:
    """One of the company's keys revoked by the operator."""
    await require(uow, operator_id, MANAGE)
    return await api_keys.revoke_in(uow, operator_id, company_id, key_id)
