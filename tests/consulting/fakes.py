"""The consultants' profiles in memory: the roster (`core.consulting.profiles.roster.Roster`)
their use cases run on without a database, the directory's listing
(`core.consulting.profiles.listing.Listing`) read from the same profiles, and a payments port
that answers only whether a payee's payouts are set up. `test_roster_contract.py` and
`test_listing_contract.py` hold them to what the SQL ones do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from core.catalog.media import FileStore
from core.consulting.profiles import service as profiles
from core.consulting.profiles.roster import Member
from core.consulting.profiles.view import Listed, ProfileView, listed, profile_view
from core.events import Event
from tests.consulting.helpers import PNG, complete

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


async def live_consultant(roster: MemoryRoster, store: FileStore, account_id: int,
                          **changes: Any) -> int:
    """A complete profile (`complete`, overridden by `changes`) with its photo, billing details
    and payouts, put live in the directory by its use cases: what `helpers.consultant` does on
    the database."""
    await profiles.save(roster, account_id, **complete(**changes))
    await profiles.set_photo(roster, account_id, store, "me.png", "image/png", PNG)
    roster.billing.add(account_id)  # what `core.companies.billing.give` keeps
    assert await profiles.go_live(roster, account_id, Payouts({account_id})) == []
    return account_id


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


@dataclass
class Featuring:
    """A promotion as the listing reads it."""

    id: int
    consultant_id: int
    category: str
    starts_at: datetime
    ends_at: datetime
    impressions: int = 0
    profile_views: int = 0


@dataclass
class MemoryListing:
    """The directory's view of a roster's profiles: who is named what and who is suspended,
    held times by consultant, promotions in a list; its clock is the roster's."""

    roster: MemoryRoster = field(default_factory=MemoryRoster)
    names: dict[int, str] = field(default_factory=dict)
    suspended: set[int] = field(default_factory=set)
    held: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    promotions: list[Featuring] = field(default_factory=list)

    def promote(self, consultant_id: int, category: str, starts_at: datetime,
                ends_at: datetime) -> Featuring:
        """A promotion kept (what `promotions.promote` does for the SQL one)."""
        made = Featuring(len(self.promotions) + 1, consultant_id, category, starts_at, ends_at)
        self.promotions.append(made)
        return made

    def now(self) -> datetime:
        return self.roster.now()

    async def reputation_totals(self) -> tuple[int, int]:
        kept = self.roster.kept.values()
        return sum(p["stars_total"] for p in kept), sum(p["ratings"] for p in kept)

    async def live(self, ids: set[int] | None) -> list[Listed]:
        return [listed(SimpleNamespace(**p), self.names[i])
                for i, p in sorted(self.roster.kept.items())
                if p["live"] and i not in self.suspended and (ids is None or i in ids)]

    async def changed_since(self, since: datetime) -> set[int]:
        return {i for i, p in self.roster.kept.items() if p["updated_at"] >= since}

    async def online(self, ids: list[int], now: datetime) -> set[int]:
        return {i for i in ids if i in self.roster.kept
                and (until := self.roster.kept[i]["online_until"]) is not None and until > now}

    async def busy(self, ids: list[int], start: datetime, end: datetime
                   ) -> dict[int, list[tuple[datetime, datetime]]]:
        found = {i: [s for s in self.held.get(i, []) if s[0] < end and s[1] > start]
                 for i in ids}
        return {i: spans for i, spans in found.items() if spans}

    async def featured(self, ids: Iterable[int], category: str | None) -> dict[int, int]:
        now, wanted = self.now(), set(ids)
        running = sorted((p for p in self.promotions
                          if p.consultant_id in wanted and p.starts_at <= now < p.ends_at
                          and category in (None, p.category)), key=lambda p: p.ends_at)
        return {p.consultant_id: p.id for p in running}

    async def shown(self, promotion_ids: list[int]) -> None:
        for promotion in self.promotions:
            if promotion.id in promotion_ids:
                promotion.impressions += 1

    async def viewed(self, consultant_id: int) -> None:
        now = self.now()
        for promotion in self.promotions:
            if promotion.consultant_id == consultant_id and promotion.starts_at <= now \
                    < promotion.ends_at:
                promotion.profile_views += 1
