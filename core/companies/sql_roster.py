"""The company's roster (`core.companies.roster.Roster`) in the database, inside the caller's
unit of work, and `roster_of`, which the use cases ask for theirs: this one on a unit of work,
the roster given otherwise (a test's in-memory one). Seats are read through
`core.companies.seats.seat_of` (once per transaction, forgotten when someone joins or goes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from core.accounts import billing as own
from core.accounts.billing import Billing
from core.accounts.member import Member, member_of
from core.accounts.tables import Account, Identity
from core.companies.roster import Colleague, Decision, InvitationView, NewCompany, Roster
from core.companies.seats import (
    CompanyView,
    Seat,
    _limit_of,
    _seats_changed,
    company_row,
    company_view,
    seat_of,
    with_role,
)
from core.companies.tables import Company, CompanyAudit, CompanyInvite, CompanyMember
from core.events import Event
from core.money.model import Money
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlRoster(SqlStore):
    """The roster in the database, inside `uow`'s transaction."""

    async def seat(self, account_id: int) -> Seat | None:
        return await seat_of(self._uow, account_id)

    async def company(self, company_id: int) -> CompanyView | None:
        found = await self._uow.get(Company, company_id)
        return company_view(found) if found is not None else None

    async def workspace_company(self, slack_team: str) -> CompanyView | None:
        found = (await self._uow.session.execute(select(Company).where(
            Company.slack_team == slack_team).order_by(Company.id).limit(1))).scalar()
        return company_view(found) if found is not None else None

    async def put_company(self, new: NewCompany) -> CompanyView:
        company = Company(name=new.name, slack_team=new.slack_team, created_by=new.founder_id,
                          created_at=new.created_at, updated_at=new.created_at)
        await self._uow.insert(company)
        self._uow.add(CompanyMember(company_id=company.id, account_id=new.founder_id,
                                    roles=list(new.founder_roles), joined_at=new.created_at))
        _seats_changed(self._uow)
        return company_view(company)

    async def seat_member(self, company_id: int, account_id: int, roles: list[str],
                          limit: Money | None) -> None:
        self._uow.add(CompanyMember(
            company_id=company_id, account_id=account_id, roles=roles,
            limit_minor=limit.amount if limit else None,
            limit_currency=limit.currency if limit else None, joined_at=self.now()))
        _seats_changed(self._uow)
        await self._uow.session.flush()

    async def _member(self, company_id: int, account_id: int) -> CompanyMember | None:
        return (await self._uow.session.execute(select(CompanyMember).where(
            CompanyMember.company_id == company_id,
            CompanyMember.account_id == account_id))).scalar()

    async def _held(self, company_id: int, account_id: int) -> CompanyMember:
        member = await self._member(company_id, account_id)
        assert member is not None  # the use case read it in this transaction
        return member

    async def roles_of(self, company_id: int, account_id: int) -> tuple[str, ...] | None:
        member = await self._member(company_id, account_id)
        return tuple(member.roles or ()) if member is not None else None

    async def set_roles(self, company_id: int, account_id: int, roles: list[str]) -> None:
        (await self._held(company_id, account_id)).roles = roles

    async def set_limit(self, company_id: int, account_id: int, limit: Money | None) -> None:
        member = await self._held(company_id, account_id)
        member.limit_minor = limit.amount if limit else None
        member.limit_currency = limit.currency if limit else None

    async def unseat(self, company_id: int, account_id: int) -> None:
        await self._uow.session.delete(await self._held(company_id, account_id))
        _seats_changed(self._uow)

    async def colleagues(self, company_id: int) -> list[Colleague]:
        rows = await self._uow.session.execute(
            select(CompanyMember, Account).join(Account, Account.id == CompanyMember.account_id)
            .where(CompanyMember.company_id == company_id).order_by(CompanyMember.id))
        return [Colleague(account.id, account.display_name, list(member.roles or []),
                          _limit_of(member)) for member, account in rows.all()]

    async def with_role(self, company_id: int, what: str) -> list[int]:
        return await with_role(self._uow, company_id, what)

    async def put_invitation(self, invitation: InvitationView) -> None:
        limit = invitation.limit
        self._uow.add(CompanyInvite(
            code=invitation.code, company_id=invitation.company_id, roles=list(invitation.roles),
            limit_minor=limit.amount if limit else None,
            limit_currency=limit.currency if limit else None, created_by=invitation.created_by,
            expires_at=invitation.expires_at))

    async def invitation(self, code: str) -> InvitationView | None:
        row = await self._uow.get(CompanyInvite, code)
        if row is None:
            return None
        return InvitationView(row.code, row.company_id, tuple(row.roles or ()), _limit_of(row),
                              row.created_by, row.expires_at, row.used_at)

    async def claim(self, code: str, account_id: int) -> bool:
        claimed = await self._uow.session.execute(update(CompanyInvite).where(
            CompanyInvite.code == code, CompanyInvite.used_at.is_(None))
            .values(used_at=self.now(), used_by=account_id))
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    async def join_history(self, company_id: int, account_id: int) -> list[str]:
        return list((await self._uow.session.execute(select(CompanyAudit.action).where(
            CompanyAudit.company_id == company_id,
            CompanyAudit.subject == f"account:{account_id}",
            CompanyAudit.action.in_(("asked_to_join", "refused", "joined")))
            .order_by(CompanyAudit.id))).scalars())

    async def slack_keys(self, account_id: int) -> list[str]:
        return list((await self._uow.session.execute(select(Identity.user_key).where(
            Identity.account_id == account_id, Identity.channel == "slack"))).scalars())

    async def account(self, account_id: int) -> Member | None:
        found = await self._uow.get(Account, account_id)
        return member_of(found) if found is not None else None

    async def set_billing(self, company_id: int, details: Billing) -> None:
        company = await company_row(self._uow, company_id)
        own.keep(company, details)
        company.updated_at = self.now()

    async def set_leitweg_id(self, company_id: int, leitweg_id: str | None) -> None:
        company = await company_row(self._uow, company_id)
        company.leitweg_id = leitweg_id
        company.updated_at = self.now()

    async def route_approvals(self, company_id: int, chat: str | None,
                              language: str | None) -> CompanyView:
        company = await company_row(self._uow, company_id)
        company.approvals_chat, company.approvals_language = chat, language
        company.updated_at = self.now()
        return company_view(company)

    async def own_billing(self, account_id: int) -> Billing | None:
        return await own.billing_of(self._uow, account_id)

    async def give_own_billing(self, account_id: int, **parts: Any) -> Billing:
        return await own.set_billing(self._uow, account_id, **parts)

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        self._uow.add(CompanyAudit(company_id=company_id, actor_id=actor_id, action=action,
                                   subject=subject, detail=detail, at=self.now()))

    async def decisions(self, company_id: int, limit: int) -> list[Decision]:
        found = (await self._uow.session.execute(select(CompanyAudit).where(
            CompanyAudit.company_id == company_id).order_by(CompanyAudit.id.desc())
            .limit(limit))).scalars()
        return [Decision(entry.at, entry.actor_id, entry.action, entry.subject)
                for entry in found]

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def roster_of(uow: UnitOfWork | Roster) -> Roster:
    """The companies' roster in this unit of work: the database's, or the roster given (a
    test's in-memory one)."""
    return store_of(uow, Roster, SqlRoster)

