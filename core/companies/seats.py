"""Who sits in which company: the read models of a company (`CompanyView`) and of someone's
place in it (`Seat`), reading an account's seat (once per transaction), checking that a seat's
roles allow something, the members whose roles do, and the company's row for core's changes."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm.util import identity_key

from core.accounts.billing import Billing, from_account
from core.accounts.tables import Account
from core.actions import Action
from core.companies import rules
from core.companies.intents import CompanyIntent
from core.companies.tables import Company, CompanyInvite, CompanyMember
from core.errors import NotAllowed, NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.storage.stores import HoldsStores
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class CompanyView:
    """A company as flows and notices read it: its name, where its approval cards go, how long
    it may pay on terms, and its billing details once given."""

    id: int
    name: str
    slack_team: str | None
    approvals_chat: str | None  # "slack:C0123", or None: approvers' DMs
    approvals_language: str | None
    terms_days: int | None  # None: every purchase is paid before shipping
    billing: Billing | None  # None while any required part is missing


def company_view(company: Company) -> CompanyView:
    """The read model of a company's row."""
    return CompanyView(company.id, company.name, company.slack_team, company.approvals_chat,
                       company.approvals_language, company.terms_days, _billing(company))


def _billing(company: Company) -> Billing | None:
    """The company's billing details with its Leitweg-ID, once they are given."""
    found = from_account(company)
    return replace(found, leitweg_id=company.leitweg_id) if found else None


@dataclass(frozen=True)
class Seat:
    """Someone's place in a company: the company, their roles and their spending limit per
    purchase (None: no limit)."""

    company: CompanyView
    roles: tuple[str, ...]
    limit: Money | None

    def may(self, what: str) -> bool:
        return rules.may(list(self.roles), what)


def _limit_of(member: CompanyMember | CompanyInvite) -> Money | None:
    if member.limit_minor is None or not member.limit_currency:
        return None
    return Money(member.limit_minor, member.limit_currency)


# Built once: a deal asks it of both parties in several steps, and every chat's menu.
_SEAT = (select(Company, CompanyMember).join(CompanyMember, CompanyMember.company_id == Company.id)
         .where(CompanyMember.account_id == bindparam("account_id", type_=Integer)))


_SEATS = "company-seats"  # account id → its (company, membership) rows, this transaction


class Seats(Protocol):
    """Where `seat_of` finds a seat in a unit of work in memory (the tests' engine): the
    companies' roster there (`core.companies.roster.Roster.seat`, whose contract test holds
    the in-memory one to this function on the database)."""

    async def seat(self, account_id: int) -> Seat | None:
        ...


async def seat_of(uow: UnitOfWork, account_id: int | None) -> Seat | None:
    """The account's company and membership, or None when it belongs to none.

    Asked of both parties at several steps of one deal's transaction (limits, billing, the
    deal's company): the rows are read once per transaction and the seat drawn from them each
    time, so a change to the company or membership made meanwhile is in it; a member joining
    or leaving forgets what was read (`_seats_changed`)."""
    if account_id is None:
        return None
    if isinstance(uow, HoldsStores):  # a unit of work in memory: the seat its roster holds
        seat: Seat | None = await uow.held_store(Seats).seat(account_id)
        return seat
    known = uow.kept(_SEATS, dict[int, Any])
    if account_id not in known:
        known[account_id] = (await uow.session.execute(_SEAT, {"account_id": account_id})).first()
    row = known[account_id]
    if not row:
        return None
    company, member = row
    return Seat(company_view(company), tuple(member.roles or ()), _limit_of(member))


async def read_seats(uow: UnitOfWork, account_ids: Iterable[int | None]) -> None:
    """Read the seats of several accounts at once — a deal's two parties, whose VAT and
    documents ask of each — with the accounts themselves, which the session then holds: one
    statement where each would take two. `seat_of` and `uow.get(Account, …)` then ask nothing."""
    known = uow.kept(_SEATS, dict[int, Any])
    held = uow.session.identity_map
    wanted = sorted({a for a in account_ids if a is not None and (
        a not in known or held.get(identity_key(Account, a)) is None)})
    if not wanted:
        return
    found = await uow.session.execute(_seats_and_accounts(len(wanted)),
                                      {f"id{n}": id_ for n, id_ in enumerate(wanted)})
    for account, company, member in found.all():
        known[account.id] = (company, member) if member is not None else None


@functools.cache
def _seats_and_accounts(accounts: int) -> Any:
    # Built once per number of accounts (two, for a deal's parties); ids bound one by one.
    return (select(Account, Company, CompanyMember)
            .outerjoin(CompanyMember, CompanyMember.account_id == Account.id)
            .outerjoin(Company, Company.id == CompanyMember.company_id)
            .where(Account.id.in_([bindparam(f"id{n}", type_=Integer)
                                   for n in range(accounts)])))


def _seats_changed(uow: UnitOfWork) -> None:
    uow.session.info.pop(_SEATS, None)


async def seat_may(uow: UnitOfWork, account_id: int, what: str) -> Seat:
    """The actor's seat when its roles allow `what`; NotAllowed otherwise."""
    return allowed(await seat_of(uow, account_id), what)


def placed(seat: Seat | None) -> Seat:
    """The actor's seat; NotFound (with the way to the company's menu) when they have none."""
    if seat is None:
        raise NotFound(_("You are not in a company on Agora."),
                       actions=(Action(CompanyIntent.COMPANY, N_("🏢 Company")),))
    return seat


def allowed(found: Seat | None, what: str) -> Seat:
    """The actor's seat when its roles allow `what`: NotFound without a seat, NotAllowed when
    the roles fall short (a storage-free check, for the use cases on a roster as on `uow`)."""
    seat = placed(found)
    if not seat.may(what):
        raise NotAllowed(_("Your role in {company} does not allow that; ask an admin.",
                           company=seat.company.name))
    return seat


async def with_role(uow: UnitOfWork, company_id: int, what: str,
                    excluding: int | None = None) -> list[int]:
    """The accounts of the company whose roles allow `what` (e.g. the approvers)."""
    rows = (await uow.session.execute(select(CompanyMember).where(
        CompanyMember.company_id == company_id))).scalars()
    return [m.account_id for m in rows if rules.may(m.roles or [], what) and m.account_id != excluding]


async def company_row(uow: UnitOfWork, company_id: int) -> Company:
    """The company's row, for core services that change it (flows get `CompanyView`)."""
    company = await uow.get(Company, company_id)
    if company is None:
        raise NotFound(_("That company doesn't exist."))
    return company
