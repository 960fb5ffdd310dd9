"""The directory's listing behaves alike in memory and in the database: one set of tests
(`ListingContract`) runs against the tests' `MemoryListing` (no database) and the `SqlListing`
(on SQLite and PostgreSQL), so the search tested on the fake holds on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from core.accounts import service as accounts
from core.accounts.tables import Account
from core.consulting.profiles.listing import Listing, SqlListing
from core.consulting.profiles.roster import SqlRoster
from core.consulting.tables import Booking, Promotion
from tests.consulting.fakes import MemoryListing
from tests.consulting.test_roster_contract import fields

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both listings' clocks stand here
HOUR = timedelta(hours=1)


class ListingContract:
    """What every listing does; a subclass gives `listings`: a listing and how its consultants,
    bookings and promotions come to be."""

    async def test_the_live_are_the_unsuspended_in_account_order_with_their_names(self, listings):
        ann = await listings.consultant("Ann Ozola", live=True, stars_total=9, ratings=2)
        bea = await listings.consultant("Bea", live=False)
        cara = await listings.consultant("Cara", live=True)
        eve = await listings.consultant("Eve", live=True, suspended=True)
        found = await listings.listing.live(None)
        assert [(p.account_id, p.name) for p in found] == [(ann, "Ann Ozola"), (cara, "Cara")]
        assert (found[0].categories, found[0].weekly_hours, found[0].price_minor,
                found[0].stars_total, found[0].ratings) == (
            ("pellet-quality",), {"mon": [["09:00", "12:00"]], "fri": [["13:00", "17:00"]]},
            8000, 9, 2)
        assert [p.account_id for p in await listings.listing.live({cara, bea, eve})] == [cara]
        assert await listings.listing.reputation_totals() == (9, 2)

    async def test_changes_since_a_moment_include_the_profiles_out_of_the_directory(
            self, listings):
        ann = await listings.consultant("Ann", live=True, updated_at=NOW - HOUR)
        bea = await listings.consultant("Bea", live=False, updated_at=NOW)
        assert await listings.listing.changed_since(NOW - 2 * HOUR) == {ann, bea}
        assert await listings.listing.changed_since(NOW) == {bea}
        assert await listings.listing.changed_since(NOW + HOUR) == set()

    async def test_online_are_those_whose_online_now_runs_past_the_moment(self, listings):
        ann = await listings.consultant("Ann", live=True, online_until=NOW + HOUR)
        bea = await listings.consultant("Bea", live=True, online_until=NOW - HOUR)
        cara = await listings.consultant("Cara", live=True)
        assert await listings.listing.online([ann, bea, cara], NOW) == {ann}
        assert await listings.listing.online([bea, cara], NOW) == set()
        assert await listings.listing.online([], NOW) == set()
        assert await listings.listing.online([ann], NOW + HOUR) == set()

    async def test_busy_times_are_the_held_ones_in_the_window(self, listings):
        ann = await listings.consultant("Ann", live=True)
        bea = await listings.consultant("Bea", live=True)
        await listings.held(ann, NOW + 2 * HOUR, 60)
        await listings.held(ann, NOW + 30 * 24 * HOUR, 60)  # far after the window
        busy = await listings.listing.busy([ann, bea], NOW, NOW + 24 * HOUR)
        assert busy == {ann: [(NOW + 2 * HOUR, NOW + 3 * HOUR)]}
        assert await listings.listing.busy([], NOW, NOW + HOUR) == {}

    async def test_featured_are_the_running_promotions_and_shown_counts_them(self, listings):
        ann = await listings.consultant("Ann", live=True)
        bea = await listings.consultant("Bea", live=True)
        cara = await listings.consultant("Cara", live=True)
        early = await listings.promote(ann, "pellet-quality", NOW - HOUR, NOW + HOUR)
        late = await listings.promote(ann, "pellet-quality", NOW - HOUR, NOW + 5 * HOUR)
        other = await listings.promote(bea, "logistics", NOW - HOUR, NOW + HOUR)
        soon = await listings.promote(cara, "pellet-quality", NOW + HOUR, NOW + 5 * HOUR)
        over = await listings.promote(cara, "pellet-quality", NOW - 5 * HOUR, NOW)
        everyone = [ann, bea, cara]
        assert await listings.listing.featured(everyone, None) == {ann: late, bea: other}
        assert await listings.listing.featured(everyone, "pellet-quality") == {ann: late}
        assert await listings.listing.featured([bea, cara], "pellet-quality") == {}
        await listings.listing.shown([late, other])
        await listings.listing.shown([late])
        assert await listings.impressions() == {early: 0, late: 2, other: 1, soon: 0, over: 0}

    async def test_a_profile_page_viewed_counts_for_the_consultants_running_promotions(
            self, listings):
        ann = await listings.consultant("Ann", live=True)
        bea = await listings.consultant("Bea", live=True)
        first = await listings.promote(ann, "pellet-quality", NOW - HOUR, NOW + HOUR)
        second = await listings.promote(ann, "logistics", NOW - HOUR, NOW + 5 * HOUR)
        soon = await listings.promote(ann, "logistics", NOW + HOUR, NOW + 5 * HOUR)
        over = await listings.promote(ann, "logistics", NOW - 5 * HOUR, NOW)
        theirs = await listings.promote(bea, "logistics", NOW - HOUR, NOW + HOUR)
        await listings.listing.viewed(ann)
        await listings.listing.viewed(ann)
        assert await listings.views() == {first: 2, second: 2, soon: 0, over: 0, theirs: 0}


@dataclass
class MemoryListings:
    listing: MemoryListing = field(default_factory=MemoryListing)

    async def consultant(self, name: str, *, live: bool, suspended: bool = False,
                         **changes: Any) -> int:
        account_id = self.listing.roster.person(len(self.listing.names) + 1)
        self.listing.names[account_id] = name
        if suspended:
            self.listing.suspended.add(account_id)
        await self.listing.roster.create(fields(account_id, live=live, **changes))
        return account_id

    async def held(self, consultant_id: int, at: datetime, minutes: int) -> None:
        self.listing.held.setdefault(consultant_id, []).append(
            (at, at + timedelta(minutes=minutes)))

    async def promote(self, consultant_id: int, category: str, starts_at: datetime,
                      ends_at: datetime) -> int:
        return self.listing.promote(consultant_id, category, starts_at, ends_at).id

    async def impressions(self) -> dict[int, int]:
        return {p.id: p.impressions for p in self.listing.promotions}

    async def views(self) -> dict[int, int]:
        return {p.id: p.profile_views for p in self.listing.promotions}


class TestMemoryListing(ListingContract):
    @pytest.fixture
    def listings(self):
        return MemoryListings()


@dataclass
class SqlListings:
    """A SqlListing in one open unit of work; what it reads written there, rolled back after."""

    uow: Any
    listing: Listing
    seeker: int | None = None

    async def _account(self, name: str) -> int:
        key = name.lower().replace(" ", ".")
        account = await accounts.register(self.uow, accounts.ChannelIdentity(
            "terminal", key, key), accounts.Registration(
            display_name=name, email=f"{key}@example.com", roles=["buyer"]))
        return account.id

    async def consultant(self, name: str, *, live: bool, suspended: bool = False,
                         **changes: Any) -> int:
        account_id = await self._account(name)
        if suspended:
            await self.uow.session.execute(update(Account).where(Account.id == account_id)
                                           .values(suspended_at=NOW))
        await SqlRoster(self.uow).create(fields(account_id, live=live, **changes))
        return account_id

    async def held(self, consultant_id: int, at: datetime, minutes: int) -> None:
        self.seeker = self.seeker or await self._account("Sid Seeker")
        await self.uow.insert(Booking(
            consultant_id=consultant_id, seeker_id=self.seeker, kind="scheduled",
            status="confirmed", starts_at=at, minutes=minutes, rate_kind="session",
            price_minor=8000, max_minor=8000, currency="EUR", created_at=NOW, updated_at=NOW))

    async def promote(self, consultant_id: int, category: str, starts_at: datetime,
                      ends_at: datetime) -> int:
        row = await self.uow.insert(Promotion(
            consultant_id=consultant_id, category=category, starts_at=starts_at,
            ends_at=ends_at, impressions=0, profile_views=0, created_at=NOW))
        return row.id

    async def impressions(self) -> dict[int, int]:
        rows = await self.uow.session.execute(select(Promotion.id, Promotion.impressions))
        return dict(rows.all())

    async def views(self) -> dict[int, int]:
        rows = await self.uow.session.execute(select(Promotion.id, Promotion.profile_views))
        return dict(rows.all())


class TestSqlListing(ListingContract):
    @pytest.fixture
    async def listings(self, app):
        async with app.uow() as uow:
            yield SqlListings(uow, SqlListing(uow))

