"""Company accounts: founding one, inviting colleagues and letting them in, their roles and
spending limits, and the audit of every decision. Each service takes the acting account and
checks its role here; the purchases a limit holds back are core.deals.approvals'.

What these services return are read models (CompanyView, Seat, Invitation, Decision, Member),
built from the rows, so flows never hold a table row; core re-reads a row to change it. Who sits
where, and the company's and a seat's read models, are `seats`'; the audit trail
`audit_trail`'s."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from core.accounts.member import Member, member_of
from core.accounts.tables import Account, Identity
from core.actions import Action
from core.companies import rules
from core.companies.audit_trail import audit
from core.companies.events import JoinRefused, JoinRequested, MemberJoined
from core.companies.intents import CompanyIntent
from core.companies.seats import (
    CompanyView,
    Seat,
    _limit_of,
    _seats_changed,
    company_row,
    company_view,
    seat_may,
    seat_of,
    with_role,
)
from core.companies.tables import Company, CompanyAudit, CompanyInvite, CompanyMember
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Invitation:
    """A one-time code a colleague joins with, and what it gives them."""

    code: str
    roles: tuple[str, ...]
    limit: Money | None
    expires_at: datetime


async def found(uow: UnitOfWork, account_id: int, name: str,
                slack_team: str | None = None) -> CompanyView:
    """A new company with its founder as admin (and buyer, approver, finance)."""
    if await seat_of(uow, account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    now = uow.clock.now()
    company = Company(name=rules.checked_name(name), slack_team=slack_team,
                      created_by=account_id, created_at=now, updated_at=now)
    await uow.insert(company)
    uow.add(CompanyMember(company_id=company.id, account_id=account_id, roles=list(rules.ROLES),
                          joined_at=now))
    _seats_changed(uow)
    await audit(uow, company.id, account_id, "founded", f"company:{company.id}", name=company.name)
    return company_view(company)


async def invite(uow: UnitOfWork, actor_id: int, roles: list[str],
                 limit: Money | None) -> Invitation:
    """A one-time code that lets a colleague join with these roles and spending limit."""
    seat = await seat_may(uow, actor_id, "manage")
    limit = rules.checked_limit(limit)
    code = rules.invite_code(secrets.randbelow(1 << 16) for __ in range(rules.INVITE_LENGTH))
    invitation = CompanyInvite(
        code=code, company_id=seat.company.id, roles=rules.checked_roles(roles),
        limit_minor=limit.amount if limit else None, limit_currency=limit.currency if limit else None,
        created_by=actor_id, expires_at=uow.clock.now() + rules.INVITATION_LIFETIME)
    uow.add(invitation)
    await audit(uow, seat.company.id, actor_id, "invited", f"invite:{code}",
                roles=invitation.roles, limit=str(limit) if limit else None)
    return Invitation(code, tuple(invitation.roles), limit, invitation.expires_at)


async def join(uow: UnitOfWork, account_id: int, code: str) -> CompanyView:
    """Redeem an invitation: the account joins its company with the invitation's roles."""
    now = uow.clock.now()
    invitation = await uow.get(CompanyInvite, code.strip().upper())
    if invitation is None or not rules.invitation_open(invitation.used_at, invitation.expires_at,
                                                       now):
        raise DomainError(_("That invitation is unknown, used or expired; ask for a new one."))
    if await seat_of(uow, account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    claimed = await uow.session.execute(update(CompanyInvite).where(
        CompanyInvite.code == invitation.code, CompanyInvite.used_at.is_(None))
        .values(used_at=now, used_by=account_id))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(_("That invitation is unknown, used or expired; ask for a new one."))
    await _seat(uow, invitation.company_id, account_id, list(invitation.roles or []),
                invitation.limit_minor, invitation.limit_currency, by=invitation.created_by)
    return company_view(await company_row(uow, invitation.company_id))


async def workspace_company(uow: UnitOfWork, slack_team: str) -> CompanyView | None:
    """The company founded from this Slack workspace, if any."""
    company = (await uow.session.execute(select(Company).where(Company.slack_team == slack_team)
                                         .order_by(Company.id).limit(1))).scalar()
    return company_view(company) if company is not None else None


async def ask_to_join(uow: UnitOfWork, account_id: int, company_id: int) -> CompanyView:
    """A colleague from the company's Slack workspace asks to join; its admins decide."""
    company = await company_row(uow, company_id)
    if await seat_of(uow, account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    if not await _same_workspace(uow, account_id, company):
        raise NotAllowed(_("Ask an admin of {company} for an invitation.", company=company.name))
    await audit(uow, company.id, account_id, "asked_to_join", f"account:{account_id}")
    uow.emit(JoinRequested(company.id, account_id))
    return company_view(company)


async def admit(uow: UnitOfWork, actor_id: int, account_id: int) -> Member:
    """An admin lets a colleague who asked join as a buyer whose every purchase is approved
    (limit zero in the company's usual currency); roles and limit can be changed after."""
    seat = await seat_may(uow, actor_id, "manage")
    await _asked(uow, seat.company.id, account_id)
    if await seat_of(uow, account_id) is not None:
        raise Conflict(_("They are already in a company."))
    account = await _account(uow, account_id)
    await _seat(uow, seat.company.id, account_id, [rules.BUYER], 0, account.currency, by=actor_id)
    return member_of(account)


async def refuse(uow: UnitOfWork, actor_id: int, account_id: int) -> Member:
    """An admin declines a colleague's request to join (audited; they are told)."""
    seat = await seat_may(uow, actor_id, "manage")
    await _asked(uow, seat.company.id, account_id)
    await audit(uow, seat.company.id, actor_id, "refused", f"account:{account_id}")
    uow.emit(JoinRefused(seat.company.id, account_id))
    return member_of(await _account(uow, account_id))


@dataclass(frozen=True)
class Colleague:
    """A member as the colleagues list shows them."""

    account_id: int
    name: str
    roles: list[str]
    limit: Money | None


async def members(uow: UnitOfWork, actor_id: int) -> list[Colleague]:
    """The actor's colleagues (any member may see who is in the company), founders first."""
    seat = await _own_seat(uow, actor_id)
    rows = await uow.session.execute(
        select(CompanyMember, Account).join(Account, Account.id == CompanyMember.account_id)
        .where(CompanyMember.company_id == seat.company.id).order_by(CompanyMember.id))
    return [Colleague(account.id, account.display_name, list(member.roles or []),
                      _limit_of(member)) for member, account in rows.all()]


async def set_roles(uow: UnitOfWork, actor_id: int, account_id: int, roles: list[str]) -> None:
    """An admin changes a colleague's roles; the company always keeps an admin."""
    seat = await seat_may(uow, actor_id, "manage")
    member = await _member(uow, seat.company.id, account_id)
    chosen = rules.checked_roles(roles)
    if rules.loses_admin(member.roles or [], chosen):
        await _keep_an_admin(uow, seat.company.id)
    before = list(member.roles or [])
    member.roles = chosen
    await audit(uow, seat.company.id, actor_id, "roles", f"account:{account_id}",
                before=before, after=chosen)


async def set_limit(uow: UnitOfWork, actor_id: int, account_id: int, limit: Money | None) -> None:
    """An admin sets a colleague's spending limit per purchase (None: no limit)."""
    seat = await seat_may(uow, actor_id, "manage")
    member = await _member(uow, seat.company.id, account_id)
    limit = rules.checked_limit(limit)
    member.limit_minor = limit.amount if limit else None
    member.limit_currency = limit.currency if limit else None
    await audit(uow, seat.company.id, actor_id, "limit", f"account:{account_id}",
                limit=str(limit) if limit else None)


async def remove(uow: UnitOfWork, actor_id: int, account_id: int) -> None:
    """An admin removes a colleague (or a member leaves); the last admin cannot go."""
    seat = await _own_seat(uow, actor_id)
    rules.check_may_remove(actor_id, account_id, seat.roles, seat.company.name)
    member = await _member(uow, seat.company.id, account_id)
    if rules.loses_admin(member.roles or [], ()):
        await _keep_an_admin(uow, seat.company.id)
    await uow.session.delete(member)
    _seats_changed(uow)
    await audit(uow, seat.company.id, actor_id, "left" if account_id == actor_id else "removed",
                f"account:{account_id}")


# --- helpers --------------------------------------------------------------------------------


async def _own_seat(uow: UnitOfWork, account_id: int) -> Seat:
    seat = await seat_of(uow, account_id)
    if seat is None:
        raise NotFound(_("You are not in a company on Agora."),
                       actions=(Action(CompanyIntent.COMPANY, N_("🏢 Company")),))
    return seat


async def _seat(uow: UnitOfWork, company_id: int, account_id: int, roles: list[str],
                limit_minor: int | None, currency: str | None, by: int | None) -> None:
    uow.add(CompanyMember(company_id=company_id, account_id=account_id, roles=roles,
                          limit_minor=limit_minor, limit_currency=currency,
                          joined_at=uow.clock.now()))
    _seats_changed(uow)
    await uow.session.flush()
    await audit(uow, company_id, by, "joined", f"account:{account_id}", roles=roles)
    uow.emit(MemberJoined(company_id, account_id))


async def _asked(uow: UnitOfWork, company_id: int, account_id: int) -> None:
    """The colleague's request to join, not yet answered; NotFound otherwise."""
    subject = f"account:{account_id}"
    actions = list((await uow.session.execute(select(CompanyAudit.action).where(
        CompanyAudit.company_id == company_id, CompanyAudit.subject == subject,
        CompanyAudit.action.in_(("asked_to_join", "refused", "joined")))
        .order_by(CompanyAudit.id))).scalars())
    if not rules.awaits_answer(actions):
        raise NotFound(_("That request to join was answered already."))


async def _same_workspace(uow: UnitOfWork, account_id: int, company: Company) -> bool:
    if not company.slack_team:
        return False  # no need to read the identities
    keys = (await uow.session.execute(select(Identity.user_key).where(
        Identity.account_id == account_id, Identity.channel == "slack"))).scalars()
    return rules.from_workspace(company.slack_team, keys)


async def _keep_an_admin(uow: UnitOfWork, company_id: int) -> None:
    rules.check_keeps_an_admin(len(await with_role(uow, company_id, "manage")))


async def _member(uow: UnitOfWork, company_id: int, account_id: int) -> CompanyMember:
    member = (await uow.session.execute(select(CompanyMember).where(
        CompanyMember.company_id == company_id, CompanyMember.account_id == account_id))).scalar()
    if member is None:
        raise NotFound(_("They are not in your company."))
    return member


async def _account(uow: UnitOfWork, account_id: int) -> Account:
    account = await uow.get(Account, account_id)
    if account is None:
        raise NotFound(_("That account doesn't exist."))
    return account
