"""The consultants' profiles in memory: the roster (`core.consulting.profiles.roster.Roster`)
their use cases run on without a database, and a payments port that answers only whether a
payee's payouts are set up. `test_roster_contract.py` holds the roster to what the SQL one does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from core.consulting.profiles.roster import Member
from core.consulting.profiles.view import ProfileView, profile_view
from core.events import Event

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
ONLINE_FOR = timedelta(minutes=30)  # as the tests' booking policy


@dataclass
class MemoryRoster:
    """Profiles as dicts of their kept fields, accounts and billing in dicts and sets, the clock
    standing still at `at` (tests move it), events kept in a list."""

    at: datetime = START
    online: timedelta = ONLINE_FOR
    members: dict[int, Member] = field(default_factory=dict)
    admins: set[int] = field(default_factory=set)
    billing: set[int] = field(default_factory=set)  # accounts whose billing details are kept
    kept: dict[int, dict[str, Any]] = field(default_factory=dict)  # account id → fields
    events: list[Event] = field(default_factory=list)

    def person(self, account_id: int, *, timezone: str | None = "Europe/Riga",
               currency: str | None = None, admin: bool = False, billed: bool = False) -> int:
        """Someone registered (what registration, the console and billing do for the SQL one)."""
        self.members[account_id] = Member(timezone, currency)
        if admin:
            self.admins.add(account_id)
        if billed:
            self.billing.add(account_id)
        return account_id

    def now(self) -> datetime:
        return self.at

    def online_for(self) -> timedelta:
        return self.online

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def member(self, account_id: int) -> Member | None:
        return self.members.get(account_id)

    async def billed(self, account_id: int) -> bool:
        return account_id in self.billing

    async def profile(self, account_id: int) -> ProfileView | None:
        found = self.kept.get(account_id)
        return profile_view(SimpleNamespace(**found)) if found is not None else None

    async def create(self, fields: Mapping[str, Any]) -> ProfileView:
        account_id = fields["account_id"]
        assert account_id in self.members and account_id not in self.kept
        self.kept[account_id] = dict(fields)
        return profile_view(SimpleNamespace(**self.kept[account_id]))

    async def change(self, account_id: int, fields: Mapping[str, Any]) -> ProfileView:
        self.kept[account_id].update(fields)
        return profile_view(SimpleNamespace(**self.kept[account_id]))

    async def add_rating(self, account_id: int, stars: int, at: datetime) -> None:
        found = self.kept.get(account_id)
        if found is not None:
            found.update(stars_total=found["stars_total"] + stars, ratings=found["ratings"] + 1,
                         updated_at=at)

    async def renew_online(self, account_id: int, now: datetime, until: datetime) -> bool:
        found = self.kept.get(account_id)
        if found is None or found["online_until"] is None or found["online_until"] <= now:
            return False
        found["online_until"] = until
        return True

    def emit(self, event: Event) -> None:
        self.events.append(event)


@dataclass(frozen=True)
class Wallet:
    payouts_ready: bool


@dataclass
class Payouts:
    """A payments port that knows only whose payouts are set up."""

    ready: set[int] = field(default_factory=set)

    async def wallet(self, account_id: int, uow: Any = None) -> Wallet:
        assert uow is None, "a roster in memory has no unit of work to lend"
        return Wallet(account_id in self.ready)
