"""The profiles' roster behaves alike in memory and in the database: one set of tests
(`RosterContract`) runs against the tests' `MemoryRoster` (no database) and the `SqlRoster` (on
SQLite and PostgreSQL), so the profile use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts import service as accounts
from core.companies.billing import give
from core.consulting.events import ProfileChanged
from core.consulting.profiles.roster import Member, Roster, SqlRoster
from core.consulting.tables import ConsultantProfile
from core.money.model import Money
from core.operators.tables import OperatorRole
from tests.consulting.fakes import MemoryRoster

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both rosters' clocks stand here
HOURS = {"mon": [["09:00", "12:00"]], "fri": [["13:00", "17:00"]]}


def fields(account_id: int, **changes: Any) -> dict[str, Any]:
    """Every field of a new profile, as `service.save` hands them to `create`."""
    return dict(account_id=account_id, timezone="Europe/Riga", currency="EUR", created_at=NOW,
                updated_at=NOW, categories=["pellet-quality"], keywords=["ENplus"],
                languages=["en", "lv"], weekly_hours=HOURS, days_off=["2026-12-24"],
                headline="Auditor", bio="Pellets", photo_path=None, rate_kind="session",
                session_minutes=60, price_minor=8000, meeting_url=None, notice_minutes=120,
                buffer_minutes=10, daily_max=6, horizon_days=60, slot_minutes=30,
                online_until=None, live=False, live_since=None, stars_total=0, ratings=0,
                sessions_completed=0) | changes


class RosterContract:
    """What every roster does; a subclass gives `rosters`: a roster and how people come to be."""

    async def test_a_profile_created_is_read_back_as_it_was_given(self, rosters):
        ann = await rosters.person("Ann")
        made = await rosters.roster.create(fields(ann))
        assert await rosters.roster.profile(ann) == made
        assert (made.account_id, made.categories, made.languages, made.weekly_hours,
                made.days_off) == (ann, ("pellet-quality",), ("en", "lv"), HOURS,
                                   ("2026-12-24",))
        assert (made.rate, made.currency, made.live, made.horizon_days) == (
            Money(8000, "EUR"), "EUR", False, 60)
        assert await rosters.roster.profile(ann + 1000) is None

    async def test_a_change_writes_only_its_fields_and_gives_the_profile_as_it_now_is(
            self, rosters):
        ann = await rosters.person("Ann")
        await rosters.roster.create(fields(ann))
        later = NOW + timedelta(minutes=5)
        changed = await rosters.roster.change(ann, {"live": True, "live_since": later,
                                                    "price_minor": 9000, "keywords": ["a", "b"],
                                                    "updated_at": later})
        assert (changed.live, changed.rate, changed.keywords, changed.bio) == (
            True, Money(9000, "EUR"), ("a", "b"), "Pellets")
        assert await rosters.roster.profile(ann) == changed

    async def test_members_are_the_accounts_that_exist_with_their_zone_and_currency(
            self, rosters):
        kim = await rosters.person("Kim", timezone="America/New_York")
        assert await rosters.roster.member(kim) == Member("America/New_York", "EUR")
        assert await rosters.roster.member(kim + 1000) is None

    async def test_billing_admins_and_the_policy_are_told(self, rosters):
        root = await rosters.person("Root", admin=True)
        ann = await rosters.person("Ann", billed=True)
        eve = await rosters.person("Eve")
        assert [await rosters.roster.is_admin(a) for a in (root, ann, eve)] == [True, False, False]
        assert [await rosters.roster.billed(a) for a in (root, ann, eve)] == [False, True, False]
        assert rosters.roster.now() == NOW
        assert rosters.roster.online_for() == timedelta(minutes=30)

    async def test_ratings_add_up_and_a_rating_of_no_profile_changes_nothing(self, rosters):
        ann = await rosters.person("Ann")
        await rosters.roster.create(fields(ann))
        await rosters.roster.add_rating(ann, 5, NOW + timedelta(minutes=1))
        await rosters.roster.add_rating(ann, 3, NOW + timedelta(minutes=2))
        await rosters.roster.add_rating(ann + 1000, 4, NOW)
        assert await rosters.reputation(ann) == (8, 2, NOW + timedelta(minutes=2))

    async def test_online_is_renewed_only_while_it_still_runs(self, rosters):
        ann, bea = await rosters.person("Ann"), await rosters.person("Bea")
        await rosters.roster.create(fields(ann, live=True, online_until=NOW + timedelta(minutes=1)))
        await rosters.roster.create(fields(bea, live=True))
        until = NOW + timedelta(minutes=30)
        assert await rosters.roster.renew_online(ann, NOW, until)
        assert not await rosters.roster.renew_online(bea, NOW, until)  # never went online
        assert not await rosters.roster.renew_online(ann + 1000, NOW, until)
        assert not await rosters.roster.renew_online(ann, until, until + timedelta(minutes=30))
        assert await rosters.online_until(ann) == until
        assert await rosters.online_until(bea) is None

    async def test_events_go_out_with_the_unit_of_work(self, rosters):
        rosters.roster.emit(ProfileChanged(1, True))
        assert rosters.events() == [ProfileChanged(1, True)]


@dataclass
class MemoryRosters:
    roster: MemoryRoster = field(default_factory=MemoryRoster)

    async def person(self, name: str, *, timezone: str = "UTC", admin: bool = False,
                     billed: bool = False) -> int:
        return self.roster.person(len(self.roster.members) + 1, timezone=timezone,
                                  currency="EUR", admin=admin, billed=billed)

    async def reputation(self, account_id: int) -> tuple[int, int, datetime]:
        kept = self.roster.kept[account_id]
        return kept["stars_total"], kept["ratings"], kept["updated_at"]

    async def online_until(self, account_id: int) -> datetime | None:
        return self.roster.kept[account_id]["online_until"]

    def events(self) -> list[Any]:
        return self.roster.events


class TestMemoryRoster(RosterContract):
    @pytest.fixture
    def rosters(self):
        return MemoryRosters()


@dataclass
class SqlRosters:
    """A SqlRoster in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    roster: Roster

    async def person(self, name: str, *, timezone: str = "UTC", admin: bool = False,
                     billed: bool = False) -> int:
        key = name.lower()
        account = await accounts.register(self.uow, accounts.ChannelIdentity(
            "terminal", key, key), accounts.Registration(
            display_name=name, email=f"{key}@example.com", roles=["buyer"], timezone=timezone))
        if admin:
            self.uow.add(OperatorRole(account_id=account.id, role="admin",
                                      granted_at=self.uow.clock.now()))
        if billed:
            await give(self.uow, account.id, legal_name=name, street="Iela 1",
                       postcode="LV-1010", town="Rīga", country="LV")
        await self.uow.session.flush()
        return account.id

    async def reputation(self, account_id: int) -> tuple[int, int, datetime]:
        row = (await self.uow.session.execute(select(
            ConsultantProfile.stars_total, ConsultantProfile.ratings, ConsultantProfile.updated_at)
            .where(ConsultantProfile.account_id == account_id))).one()
        return row[0], row[1], row[2].replace(tzinfo=row[2].tzinfo or UTC)

    async def online_until(self, account_id: int) -> datetime | None:
        found = (await self.uow.session.execute(select(ConsultantProfile.online_until).where(
            ConsultantProfile.account_id == account_id))).scalar_one()
        return found.replace(tzinfo=found.tzinfo or UTC) if found is not None else None

    def events(self) -> list[Any]:
        return [e for e in self.uow.events if isinstance(e, ProfileChanged)]


class TestSqlRoster(RosterContract):
    @pytest.fixture
    async def rosters(self, app):
        async with app.uow() as uow:
            yield SqlRosters(uow, SqlRoster(uow))
