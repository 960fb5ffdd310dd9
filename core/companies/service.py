"""Company accounts: founding one, inviting colleagues and letting them in, their roles and
spending limits, and the audit of every decision. Each service takes the acting account and
checks its role here; the purchases a limit holds back are core.deals.approvals'.

What these services return are read models (CompanyView, Seat, Invitation, Colleague, Member),
never rows. Each use case asks only the company's roster (`core.companies.roster.Roster`):
given the unit of work it works on the database (`SqlRoster`); given a roster, on that one
(the tests' in-memory roster), so its rules are tested without a database. Who sits where,
and the company's and a seat's read models, are `seats`'; the audit trail `audit_trail`'s."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from core.accounts.member import Member
from core.companies import rules
from core.companies.events import JoinRefused, JoinRequested, MemberJoined
from core.companies.roster import Colleague, InvitationView, NewCompany, Roster
from core.companies.seats import CompanyView, Seat, allowed, placed
from core.companies.sql_roster import roster_of
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork

__all__ = ["Colleague", "Invitation", "admit", "ask_to_join", "found", "invite", "join",
           "members", "refuse", "remove", "seat", "set_limit", "set_roles", "workspace_company"]


@dataclass(frozen=True)
class Invitation:
    """A one-time code a colleague joins with, and what it gives them."""

    code: str
    roles: tuple[str, ...]
    limit: Money | None
    expires_at: datetime


async def found(uow: UnitOfWork | Roster, account_id: int, name: str,
                slack_team: str | None = None) -> CompanyView:
    """A new company with its founder as admin (and buyer, approver, finance)."""
    roster = roster_of(uow)
    if await roster.seat(account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    company = await roster.put_company(NewCompany(
        rules.checked_name(name), slack_team, account_id, rules.ROLES, roster.now()))
    await roster.audit(company.id, account_id, "founded", f"company:{company.id}",
                       name=company.name)
    return company


async def invite(uow: UnitOfWork | Roster, actor_id: int, roles: list[str],
                 limit: Money | None) -> Invitation:
    """A one-time code that lets a colleague join with these roles and spending limit."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "manage")
    limit = rules.checked_limit(limit)
    code = rules.invite_code(secrets.randbelow(1 << 16) for __ in range(rules.INVITE_LENGTH))
    invitation = InvitationView(code, seat.company.id, tuple(rules.checked_roles(roles)), limit,
                                actor_id, roster.now() + rules.INVITATION_LIFETIME)
    await roster.put_invitation(invitation)
    await roster.audit(seat.company.id, actor_id, "invited", f"invite:{code}",
                       roles=list(invitation.roles), limit=str(limit) if limit else None)
    return Invitation(code, invitation.roles, limit, invitation.expires_at)


async def join(uow: UnitOfWork | Roster, account_id: int, code: str) -> CompanyView:
    """Redeem an invitation: the account joins its company with the invitation's roles."""
    roster = roster_of(uow)
    invitation = await roster.invitation(code.strip().upper())
    if invitation is None or not rules.invitation_open(invitation.used_at, invitation.expires_at,
                                                       roster.now()):
        raise DomainError(_("That invitation is unknown, used or expired; ask for a new one."))
    if await roster.seat(account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    if not await roster.claim(invitation.code, account_id):
        raise DomainError(_("That invitation is unknown, used or expired; ask for a new one."))
    await _seat(roster, invitation.company_id, account_id, list(invitation.roles),
                invitation.limit, by=invitation.created_by)
    return await _company(roster, invitation.company_id)


async def seat(uow: UnitOfWork | Roster, account_id: int) -> Seat | None:
    """The account's own place in a company (its roles and limit), or None: what the
    company's card shows it."""
    return await roster_of(uow).seat(account_id)


async def workspace_company(uow: UnitOfWork | Roster, slack_team: str) -> CompanyView | None:
    """The company founded from this Slack workspace, if any."""
    return await roster_of(uow).workspace_company(slack_team)


async def ask_to_join(uow: UnitOfWork | Roster, account_id: int, company_id: int
                      ) -> CompanyView:
    """A colleague from the company's Slack workspace asks to join; its admins decide."""
    roster = roster_of(uow)
    company = await _company(roster, company_id)
    if await roster.seat(account_id) is not None:
        raise Conflict(_("You are already in a company; leave it first."))
    if not await _same_workspace(roster, account_id, company):
        raise NotAllowed(_("Ask an admin of {company} for an invitation.", company=company.name))
    await roster.audit(company.id, account_id, "asked_to_join", f"account:{account_id}")
    roster.emit(JoinRequested(company.id, account_id))
    return company


async def admit(uow: UnitOfWork | Roster, actor_id: int, account_id: int) -> Member:
    """An admin lets a colleague who asked join as a buyer whose every purchase is approved
    (limit zero in the company's usual currency); roles and limit can be changed after."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "manage")
    await _asked(roster, seat.company.id, account_id)
    if await roster.seat(account_id) is not None:
        raise Conflict(_("They are already in a company."))
    account = await _account(roster, account_id)
    await _seat(roster, seat.company.id, account_id, [rules.BUYER], Money(0, account.currency),
                by=actor_id)
    return account


async def refuse(uow: UnitOfWork | Roster, actor_id: int, account_id: int) -> Member:
    """An admin declines a colleague's request to join (audited; they are told)."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "manage")
    await _asked(roster, seat.company.id, account_id)
    await roster.audit(seat.company.id, actor_id, "refused", f"account:{account_id}")
    roster.emit(JoinRefused(seat.company.id, account_id))
    return await _account(roster, account_id)


async def members(uow: UnitOfWork | Roster, actor_id: int) -> list[Colleague]:
    """The actor's colleagues (any member may see who is in the company), founders first."""
    roster = roster_of(uow)
    seat = placed(await roster.seat(actor_id))
    return await roster.colleagues(seat.company.id)


async def set_roles(uow: UnitOfWork | Roster, actor_id: int, account_id: int,
                    roles: list[str]) -> None:
    """An admin changes a colleague's roles; the company always keeps an admin."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "manage")
    before = await _member(roster, seat.company.id, account_id)
    chosen = rules.checked_roles(roles)
    if rules.loses_admin(before, chosen):
        await _keep_an_admin(roster, seat.company.id)
    await roster.set_roles(seat.company.id, account_id, chosen)
    await roster.audit(seat.company.id, actor_id, "roles", f"account:{account_id}",
                       before=list(before), after=chosen)


async def set_limit(uow: UnitOfWork | Roster, actor_id: int, account_id: int,
                    limit: Money | None) -> None:
    """An admin sets a colleague's spending limit per purchase (None: no limit)."""
    roster = roster_of(uow)
    seat = allowed(await roster.seat(actor_id), "manage")
    await _member(roster, seat.company.id, account_id)
    limit = rules.checked_limit(limit)
    await roster.set_limit(seat.company.id, account_id, limit)
    await roster.audit(seat.company.id, actor_id, "limit", f"account:{account_id}",
                       limit=str(limit) if limit else None)


async def remove(uow: UnitOfWork | Roster, actor_id: int, account_id: int) -> None:
    """An admin removes a colleague (or a member leaves); the last admin cannot go."""
    roster = roster_of(uow)
    seat = placed(await roster.seat(actor_id))
    rules.check_may_remove(actor_id, account_id, seat.roles, seat.company.name)
    roles = await _member(roster, seat.company.id, account_id)
    if rules.loses_admin(roles, ()):
        await _keep_an_admin(roster, seat.company.id)
    await roster.unseat(seat.company.id, account_id)
    await roster.audit(seat.company.id, actor_id,
                       "left" if account_id == actor_id else "removed", f"account:{account_id}")


# --- helpers --------------------------------------------------------------------------------


async def _seat(roster: Roster, company_id: int, account_id: int, roles: list[str],
                limit: Money | None, by: int | None) -> None:
    await roster.seat_member(company_id, account_id, roles, limit)
    await roster.audit(company_id, by, "joined", f"account:{account_id}", roles=roles)
    roster.emit(MemberJoined(company_id, account_id))


async def _company(roster: Roster, company_id: int) -> CompanyView:
    company = await roster.company(company_id)
    if company is None:
        raise NotFound(_("That company doesn't exist."))
    return company


async def _asked(roster: Roster, company_id: int, account_id: int) -> None:
    """The colleague's request to join, not yet answered; NotFound otherwise."""
    if not rules.awaits_answer(await roster.join_history(company_id, account_id)):
        raise NotFound(_("That request to join was answered already."))


async def _same_workspace(roster: Roster, account_id: int, company: CompanyView) -> bool:
    if not company.slack_team:
        return False  # no need to read the identities
    return rules.from_workspace(company.slack_team, await roster.slack_keys(account_id))


async def _keep_an_admin(roster: Roster, company_id: int) -> None:
    rules.check_keeps_an_admin(len(await roster.with_role(company_id, "manage")))


async def _member(roster: Roster, company_id: int, account_id: int) -> tuple[str, ...]:
    """A colleague's roles; NotFound when they are not in the actor's company."""
    roles = await roster.roles_of(company_id, account_id)
    if roles is None:
        raise NotFound(_("They are not in your company."))
    return roles


async def _account(roster: Roster, account_id: int) -> Member:
    account = await roster.account(account_id)
    if account is None:
        raise NotFound(_("That account doesn't exist."))
    return account
