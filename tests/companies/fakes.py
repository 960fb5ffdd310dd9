"""The companies' storage in memory: a roster (`core.companies.roster.Roster`) the company's
use cases run on without a database. `test_roster_contract.py` holds it to what the SQL one
does."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from core.accounts import billing as own
from core.accounts.billing import Billing
from core.accounts.events import ProfileUpdated
from core.accounts.member import Member
from core.companies import rules
from core.companies.roster import Colleague, Decision, InvitationView, NewCompany
from core.companies.seats import CompanyView, Seat
from core.errors import NotAllowed
from core.events import Event
from core.money.model import Money

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
JOIN_ACTIONS = ("asked_to_join", "refused", "joined")


def member(account_id: int, name: str, currency: str = "EUR") -> Member:
    """A registered person as `core.accounts.member.member_of` reads them, the rest empty."""
    return Member(
        id=account_id, display_name=name, company=None, email=None, email_verified_at=None,
        roles=("buyer",), interests=(), country="LV", city="Riga", latitude=None,
        longitude=None, language="en", timezone="Europe/Riga", currency=currency,
        notify_channel=None, quiet_start=None, quiet_end=None, weekly_picks=True,
        suspended_at=None, suspension_reason=None, billing_name=None, billing_street=None,
        billing_postcode=None, billing_town=None, billing_country=None, vat_id=None,
        vat_rate=None)


@dataclass(frozen=True)
class Audited:
    company_id: int
    actor_id: int | None
    action: str
    subject: str
    detail: dict[str, Any]
    at: datetime


@dataclass
class Placement:
    company_id: int
    roles: tuple[str, ...]
    limit: Money | None


@dataclass
class MemoryRoster:
    """Companies, seats and invitations in dicts (seats in the order people joined), people
    and their Slack identities in dicts, the clock standing still at `at` (tests move it),
    audit lines and events kept in lists."""

    at: datetime = START
    people: dict[int, Member] = field(default_factory=dict)
    slack: dict[int, list[str]] = field(default_factory=dict)  # account → "T0123:U0456"
    own: dict[int, Billing] = field(default_factory=dict)  # a person's own billing details
    companies: dict[int, CompanyView] = field(default_factory=dict)
    seats: dict[int, Placement] = field(default_factory=dict)  # account → their place
    invitations: dict[str, InvitationView] = field(default_factory=dict)
    audited: list[Audited] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def person(self, account_id: int, name: str, *, currency: str = "EUR",
               slack: tuple[str, ...] = ()) -> int:
        """Someone registered (what registration does for the SQL roster)."""
        self.people[account_id] = member(account_id, name, currency)
        self.slack[account_id] = list(slack)
        return account_id

    def now(self) -> datetime:
        return self.at

    async def seat(self, account_id: int) -> Seat | None:
        placement = self.seats.get(account_id)
        if placement is None:
            return None
        return Seat(self.companies[placement.company_id], placement.roles, placement.limit)

    async def company(self, company_id: int) -> CompanyView | None:
        return self.companies.get(company_id)

    async def workspace_company(self, slack_team: str) -> CompanyView | None:
        return next((c for __, c in sorted(self.companies.items())
                     if c.slack_team == slack_team), None)

    async def put_company(self, new: NewCompany) -> CompanyView:
        view = CompanyView(len(self.companies) + 1, new.name, new.slack_team, None, None, None,
                           None)
        self.companies[view.id] = view
        self.seats[new.founder_id] = Placement(view.id, tuple(new.founder_roles), None)
        return view

    async def seat_member(self, company_id: int, account_id: int, roles: list[str],
                          limit: Money | None) -> None:
        assert account_id not in self.seats  # one company per account, as the table's key
        self.seats[account_id] = Placement(company_id, tuple(roles), limit)

    def _placed(self, company_id: int, account_id: int) -> Placement | None:
        placement = self.seats.get(account_id)
        return placement if placement and placement.company_id == company_id else None

    async def roles_of(self, company_id: int, account_id: int) -> tuple[str, ...] | None:
        placement = self._placed(company_id, account_id)
        return placement.roles if placement else None

    async def set_roles(self, company_id: int, account_id: int, roles: list[str]) -> None:
        self.seats[account_id].roles = tuple(roles)

    async def set_limit(self, company_id: int, account_id: int, limit: Money | None) -> None:
        self.seats[account_id].limit = limit

    async def unseat(self, company_id: int, account_id: int) -> None:
        del self.seats[account_id]

    async def colleagues(self, company_id: int) -> list[Colleague]:
        return [Colleague(a, self.people[a].display_name, list(p.roles), p.limit)
                for a, p in self.seats.items() if p.company_id == company_id and a in self.people]

    async def with_role(self, company_id: int, what: str) -> list[int]:
        return [a for a, p in self.seats.items()
                if p.company_id == company_id and rules.may(p.roles, what)]

    async def put_invitation(self, invitation: InvitationView) -> None:
        self.invitations[invitation.code] = invitation

    async def invitation(self, code: str) -> InvitationView | None:
        return self.invitations.get(code)

    async def claim(self, code: str, account_id: int) -> bool:
        found = self.invitations.get(code)
        if found is None or found.used_at is not None:
            return False
        self.invitations[code] = replace(found, used_at=self.at)
        return True

    async def join_history(self, company_id: int, account_id: int) -> list[str]:
        return [a.action for a in self.audited if a.company_id == company_id
                and a.subject == f"account:{account_id}" and a.action in JOIN_ACTIONS]

    async def slack_keys(self, account_id: int) -> list[str]:
        return list(self.slack.get(account_id, ()))

    async def account(self, account_id: int) -> Member | None:
        return self.people.get(account_id)

    async def set_billing(self, company_id: int, details: Billing) -> None:
        kept = self.companies[company_id].billing  # the Leitweg-ID is kept apart
        details = replace(details, leitweg_id=kept.leitweg_id if kept else None)
        self.companies[company_id] = replace(self.companies[company_id], billing=details)

    async def set_leitweg_id(self, company_id: int, leitweg_id: str | None) -> None:
        company = self.companies[company_id]
        assert company.billing is not None
        self.companies[company_id] = replace(
            company, billing=replace(company.billing, leitweg_id=leitweg_id))

    async def route_approvals(self, company_id: int, chat: str | None,
                              language: str | None) -> CompanyView:
        routed = replace(self.companies[company_id], approvals_chat=chat,
                         approvals_language=language)
        self.companies[company_id] = routed
        return routed

    def _registered(self, account_id: int) -> None:
        if account_id not in self.people:
            raise NotAllowed("Please register first.")

    async def own_billing(self, account_id: int) -> Billing | None:
        self._registered(account_id)
        return self.own.get(account_id)

    async def give_own_billing(self, account_id: int, **parts: Any) -> Billing:
        self._registered(account_id)
        details = own.check(parts["legal_name"], parts["street"], parts["postcode"],
                            parts["town"], parts["country"], parts.get("vat_id"),
                            parts.get("vat_rate"))
        self.own[account_id] = details
        self.emit(ProfileUpdated(account_id, ("billing",)))
        return details

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        self.audited.append(Audited(company_id, actor_id, action, subject, dict(detail),
                                    self.at))

    async def decisions(self, company_id: int, limit: int) -> list[Decision]:
        found = [a for a in self.audited if a.company_id == company_id]
        return [Decision(a.at, a.actor_id, a.action, a.subject) for a in reversed(found)][:limit]

    def emit(self, event: Event) -> None:
        self.events.append(event)
