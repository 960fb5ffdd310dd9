"""A company's storage, behind its use cases: a repository protocol (`Roster`) and the read
models it trades in; its SQL implementation on the unit of work is `SqlRoster`
(`core.companies.sql_roster`), as the learning context's `Shelf` is (`core.learning.shelf`).
The use cases in `core.companies.service`, `billing` and `audit_trail` ask only this, so they
run as well on the tests' in-memory roster (`tests/companies/fakes.py`) as on the database;
`tests/companies/test_roster_contract.py` holds the two alike.

A roster lives inside one unit of work: what it writes is committed, or rolled back, with the
rest of the use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.accounts.billing import Billing
from core.accounts.member import Member
from core.companies.seats import CompanyView, Seat
from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class NewCompany:
    """A company to found, its founder seated in it with `founder_roles`."""

    name: str
    slack_team: str | None
    founder_id: int
    founder_roles: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class InvitationView:
    """A one-time invitation as kept: whose, what it gives, until when, and whether used."""

    code: str
    company_id: int
    roles: tuple[str, ...]
    limit: Money | None
    created_by: int
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class Colleague:
    """A member as the colleagues list shows them."""

    account_id: int
    name: str
    roles: list[str]
    limit: Money | None


@dataclass(frozen=True)
class Decision:
    """One line of the company's audit trail: who did what, to what, when."""

    at: datetime
    actor_id: int | None
    action: str
    subject: str


class Roster(Protocol):
    """What a company's use cases ask of storage, of who people are, and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def seat(self, account_id: int) -> Seat | None:
        """The account's place in a company, or None when it belongs to none."""
        ...

    async def company(self, company_id: int) -> CompanyView | None:
        ...

    async def workspace_company(self, slack_team: str) -> CompanyView | None:
        """The company founded first from this Slack workspace, if any."""
        ...

    async def put_company(self, new: NewCompany) -> CompanyView:
        """Store a new company with its founder's seat; it has its id from now on."""
        ...

    async def seat_member(self, company_id: int, account_id: int, roles: list[str],
                          limit: Money | None) -> None:
        """Seat someone in a company (one company per account)."""
        ...

    async def roles_of(self, company_id: int, account_id: int) -> tuple[str, ...] | None:
        """A member's roles; None when they are not in that company."""
        ...

    async def set_roles(self, company_id: int, account_id: int, roles: list[str]) -> None:
        ...

    async def set_limit(self, company_id: int, account_id: int, limit: Money | None) -> None:
        ...

    async def unseat(self, company_id: int, account_id: int) -> None:
        ...

    async def colleagues(self, company_id: int) -> list[Colleague]:
        """The company's members, in the order they joined (its founder first)."""
        ...

    async def with_role(self, company_id: int, what: str) -> list[int]:
        """The members whose roles allow `what`."""
        ...

    async def put_invitation(self, invitation: InvitationView) -> None:
        ...

    async def invitation(self, code: str) -> InvitationView | None:
        ...

    async def claim(self, code: str, account_id: int) -> bool:
        """Unused → used by the account, once: False when it was used already."""
        ...

    async def join_history(self, company_id: int, account_id: int) -> list[str]:
        """The company's audit of a person's requests to join, in order: "asked_to_join",
        "refused", "joined"."""
        ...

    async def slack_keys(self, account_id: int) -> list[str]:
        """The person's Slack identities ("T0123:U0456")."""
        ...

    async def account(self, account_id: int) -> Member | None:
        ...

    async def set_billing(self, company_id: int, details: Billing) -> None:
        """Keep the company's checked billing details."""
        ...

    async def set_leitweg_id(self, company_id: int, leitweg_id: str | None) -> None:
        """Keep (None: forget) the company's checked Leitweg-ID, beside its billing details."""
        ...

    async def route_approvals(self, company_id: int, chat: str | None,
                              language: str | None) -> CompanyView:
        """Send the company's approval cards to `chat` in `language` (None: approvers' DMs);
        the company as it is now."""
        ...

    async def own_billing(self, account_id: int) -> Billing | None:
        """A person's own billing details (NotAllowed when they are not registered)."""
        ...

    async def give_own_billing(self, account_id: int, **parts: str | None) -> Billing:
        """Check and keep a person's own billing details (`core.accounts.billing`)."""
        ...

    async def audit(self, company_id: int, actor_id: int | None, action: str,
                    subject: str = "", **detail: object) -> None:
        """One line of the company's audit trail, in the same transaction."""
        ...

    async def decisions(self, company_id: int, limit: int) -> list[Decision]:
        """The company's latest audit lines, the latest first."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...
