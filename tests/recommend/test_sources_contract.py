"""The recommendations' sources behave alike in memory and in the database: one set of tests
(`SourcesContract`) runs against the tests' `MemorySources` (no database) and the `SqlSources`
(on SQLite and PostgreSQL), so the picks and the weekly message tested on the fake hold on the
real ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog import lifecycle
from core.catalog.tables import Listing, SellerStats
from core.notifications.tables import OutboxMessage
from core.recommend.rules import SESSION_HAD
from core.recommend.sources import SellerRating, Sources
from core.recommend.sql_sources import SqlSources
from tests.catalog.helpers import make_account
from tests.recommend import helpers
from tests.recommend.fakes import MemorySources

RIGA_CHIPS = {"product_type": "chips", "lat": 56.9496, "lon": 24.1052, "max_km": 100}


async def composed(keys: list[str], text: str | None) -> Any:
    return keys, (text, []) if text else None


class SourcesContract:
    """What all sources do; a subclass gives `sources`: a world of people, listings and
    histories, and the sources reading it."""

    async def test_a_buyers_deals_count_until_cancelled_and_only_before_the_cutoff(self, sources):
        ann, sam = await sources.person("ann"), await sources.person("sam")
        riga = await sources.listing(sam, "pellets", "Riga", price="230")
        hamburg = await sources.listing(sam, "chips", "Hamburg")
        await sources.deal(ann, riga, days_ago=10)
        await sources.deal(ann, hamburg, days_ago=2)
        await sources.deal(ann, hamburg, days_ago=1, status="cancelled")
        async with sources.reading() as read:
            now = read.now()
            everything = sorted(await read.bought(ann, now), key=lambda d: d.at)
            before = await read.bought(ann, now - timedelta(days=5))
            assert await read.bought(sam, now) == []
        assert [(d.product, d.country, d.currency) for d in everything] == [
            ("pellets", "LV", "EUR"), ("chips", "DE", "EUR")]
        assert everything[0].at == now - timedelta(days=10) and everything[0].price_minor > 0
        assert float(everything[0].energy_mwh_per_unit) > 0
        assert [d.product for d in before] == ["pellets"]

    async def test_searches_saved_searches_and_the_watchlist_read_back(self, sources):
        ann, sam = await sources.person("ann"), await sources.person("sam")
        watched = await sources.listing(sam, "biochar", "Hamburg", title="Biochar, big bags",
                                        price="900")
        await sources.search(ann, "uco", days_ago=1)
        await sources.search(ann, "uco", days_ago=9)
        await sources.saved(ann, RIGA_CHIPS)
        await sources.saved(ann, {"product_type": "pellets"}, active=False)
        await sources.watch(ann, watched)
        async with sources.reading() as read:
            now = read.now()
            assert sorted(s.product for s in await read.searched(ann, now)) == ["uco", "uco"]
            assert len(await read.searched(ann, now - timedelta(days=5))) == 1
            [saved] = await read.saved(ann, now)
            assert {k: saved.query[k] for k in RIGA_CHIPS} == RIGA_CHIPS
            assert saved.at == now - timedelta(days=2)
            [watch] = await read.watched(ann, now)
            assert (watch.listing_id, watch.title, watch.product, watch.country) == (
                watched, "Biochar, big bags", "biochar", "DE")
            assert await read.watched(ann, now - timedelta(days=5)) == []
            assert await read.searched(sam, now) == await read.saved(sam, now) == []

    async def test_sessions_come_with_their_consultants_fields_by_status(self, sources):
        ann = await sources.person("ann")
        mia = await sources.consultant("mia", ["pellet-quality", "logistics"])
        await sources.session(ann, mia, days_ago=12)
        await sources.session(ann, mia, days_ago=3, status="cancelled")
        async with sources.reading() as read:
            [had] = await read.booked(ann, read.now(), SESSION_HAD)
            assert await read.booked(ann, read.now() - timedelta(days=20), SESSION_HAD) == []
        assert (had.consultant_id, had.status, had.categories) == (
            mia, "completed", ("pellet-quality", "logistics"))
        assert had.starts_at == had.created_at

    async def test_on_offer_are_others_live_listings_of_a_product_or_country(self, sources):
        ann, sam = await sources.person("ann"), await sources.person("sam")
        pellets = await sources.listing(sam, "pellets", "Riga", price="230")
        chips_lv = await sources.listing(sam, "chips", "Daugavpils")
        await sources.listing(sam, "uco", "Warsaw", price="900")
        await sources.listing(ann, "pellets", "Riga")  # her own
        for action in ("pause", "sold"):
            await sources.act(sam, await sources.listing(sam, "pellets", "Riga"), action)
        await sources.empty(await sources.listing(sam, "pellets", "Riga"))  # nothing left
        await sources.rate(sam, 48, 12)
        async with sources.reading() as read:
            now = read.now()
            found = {o.id: (o, r) for o, r in await read.on_offer(ann, ["pellets"], ["LV"], now)}
            assert await read.on_offer(ann, ["pellets"], ["LV"], now + timedelta(days=90)) == []
            assert await read.on_offer(ann, [], [], now) == []
        assert set(found) == {pellets, chips_lv}
        offer, rating = found[pellets]
        assert (offer.title, offer.city, offer.country, offer.product_type, offer.currency) == (
            "Pellets from Riga", "Riga", "LV", "pellets", "EUR")
        assert offer.price_mwh_minor and rating is not None
        assert (rating.rating_x10, rating.ratings) == (48, 12)

    async def test_advisers_are_the_live_consultants_but_oneself(self, sources):
        leo = await sources.consultant("leo", ["pellet-quality"], stars=(49, 10))
        await sources.consultant("off", ["pellet-quality"], live=False)
        async with sources.reading() as read:
            [(adviser, name)] = await read.advisers(await sources.person("ann"))
            assert await read.advisers(leo) == []
        assert (adviser.account_id, name, adviser.categories) == (leo, "Leo", ("pellet-quality",))
        assert (adviser.stars_total, adviser.ratings, adviser.headline) == (49, 10, "Leo advises")

    async def test_a_decline_is_kept_once(self, sources):
        ann, bob = await sources.person("ann"), await sources.person("bob")
        async with sources.reading() as read:
            assert await read.decline(ann, "listing", 42) is True
            assert await read.decline(ann, "listing", 42) is False
            assert await read.decline(ann, "consultant", 7) is True
            assert await read.declined(ann) == {"listing:42", "consultant:7"}
            assert await read.declined(bob) == set()

    async def test_the_weekly_message_goes_once_a_week_to_who_wants_it(self, sources):
        ann = await sources.person("ann", zone="Asia/Tokyo")
        bob = await sources.person("bob", zone="Europe/Riga")
        async with sources.reading() as read:
            assert [(a, z) for a, z in await read.subscribers() if a in (ann, bob)] == [
                (ann, "Asia/Tokyo"), (bob, "Europe/Riga")]
            assert await read.weekly(ann, "2026-W48", lambda: composed(["listing:1"], "✨ Picks"))
            assert not await read.weekly(bob, "2026-W48", lambda: composed([], None))
        async with sources.reading() as read:  # a rerun, as another worker's or the next hour's
            assert not await read.weekly(ann, "2026-W48", lambda: composed(["listing:1"], "✨ Again"))
            assert not await read.weekly(bob, "2026-W48", lambda: composed(["listing:1"], "✨ Late"))
            assert await read.weekly(ann, "2026-W49", lambda: composed(["listing:2"], "✨ Next"))
            await read.set_weekly(ann, False)
            assert [a for a, __ in await read.subscribers() if a in (ann, bob)] == [bob]
            await read.set_weekly(ann, True)
            assert [a for a, __ in await read.subscribers() if a in (ann, bob)] == [ann, bob]
        assert await sources.messages(ann) == ["✨ Picks", "✨ Next"]
        assert await sources.messages(bob) == []


@dataclass
class MemoryWorld:
    fake: MemorySources = field(default_factory=MemorySources)
    ids: int = 100

    async def person(self, name: str, zone: str | None = "Europe/Riga") -> int:
        self.ids += 1
        self.fake.zones[self.ids] = zone
        return self.ids

    async def listing(self, seller: int, product: str, town: str, **extra: Any) -> int:
        return self.fake.add_listing(seller, product, town, **extra)

    async def deal(self, buyer: int, listing: int, days_ago: float, status: str = "closed"
                   ) -> None:
        self.fake.add_deal(buyer, listing, days_ago, status)

    async def search(self, account: int, product: str, days_ago: float) -> None:
        self.fake.add_search(account, product, days_ago)

    async def saved(self, account: int, query: dict[str, Any], active: bool = True) -> None:
        self.fake.add_saved(account, query, active=active)

    async def watch(self, account: int, listing: int) -> None:
        self.fake.add_watch(account, listing)

    async def consultant(self, name: str, categories: list[str], **extra: Any) -> int:
        return self.fake.add_consultant(await self.person(name), name.title(), categories,
                                        **extra)

    async def session(self, seeker: int, expert: int, days_ago: float,
                      status: str = "completed") -> None:
        self.fake.add_session(seeker, expert, days_ago, status)

    async def act(self, seller: int, listing: int, action: str) -> None:
        self.fake.listings[listing].status = {"pause": "paused", "sold": "sold_out"}[action]

    async def empty(self, listing: int) -> None:
        self.fake.listings[listing].left_milli = 0

    async def rate(self, seller: int, rating_x10: int, ratings: int) -> None:
        self.fake.ratings[seller] = SellerRating(rating_x10, ratings)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Sources]:
        yield self.fake

    async def messages(self, account: int) -> list[str]:
        return [m.text for m in self.fake.sent if m.account_id == account]


class TestMemorySources(SourcesContract):
    @pytest.fixture
    def sources(self):
        return MemoryWorld()


@dataclass
class SqlWorld:
    """The database's sources, each reading in a unit of work of its own (committed)."""

    app: Any
    people: dict[int, Any] = field(default_factory=dict)

    async def person(self, name: str, zone: str | None = "Europe/Riga") -> int:
        account = await make_account(self.app, name, roles=("buyer",))
        async with self.app.uow() as uow:
            (await uow.session.get(Account, account.id)).timezone = zone
            await uow.commit()
        self.people[account.id] = account
        return account.id

    async def listing(self, seller: int, product: str, town: str, **extra: Any) -> int:
        return await helpers.listing(self.app, self.people[seller], product, town, **extra)

    async def deal(self, buyer: int, listing: int, days_ago: float, status: str = "closed"
                   ) -> None:
        await helpers.bought(self.app, self.people[buyer], listing, days_ago)
        if status != "closed":
            from core.deals.tables import Deal

            async with self.app.uow() as uow:
                latest = (await uow.session.execute(select(Deal).order_by(Deal.id.desc())
                                                    .limit(1))).scalar_one()
                latest.status = status
                await uow.commit()

    async def search(self, account: int, product: str, days_ago: float) -> None:
        await helpers.searched(self.app, self.people[account], product, days_ago)

    async def saved(self, account: int, query: dict[str, Any], active: bool = True) -> None:
        from core.catalog.query import SearchQuery
        from core.catalog.tables import SavedSearch

        async with self.app.uow() as uow:
            uow.add(SavedSearch(account_id=account, query=SearchQuery.from_dict(query).as_dict(),
                                mode="digest", active=active,
                                created_at=uow.clock.now() - timedelta(days=2)))
            await uow.commit()

    async def watch(self, account: int, listing: int) -> None:
        await helpers.watching(self.app, self.people[account], listing)

    async def consultant(self, name: str, categories: list[str], **extra: Any) -> int:
        account = await helpers.consultant(self.app, name, categories, **extra)
        self.people[account.id] = account
        return account.id

    async def session(self, seeker: int, expert: int, days_ago: float,
                      status: str = "completed") -> None:
        await helpers.had_session(self.app, self.people[seeker], self.people[expert], days_ago,
                                  status=status)

    async def act(self, seller: int, listing: int, action: str) -> None:
        async with self.app.uow() as uow:
            await lifecycle.act(uow, listing, seller, action)
            await uow.commit()

    async def empty(self, listing: int) -> None:
        async with self.app.uow() as uow:
            (await uow.session.get(Listing, listing)).quantity_milli = 0
            await uow.commit()

    async def rate(self, seller: int, rating_x10: int, ratings: int) -> None:
        async with self.app.uow() as uow:
            uow.add(SellerStats(account_id=seller, rating_x10=rating_x10, ratings=ratings,
                                deals=9, stars_total=round(rating_x10 * ratings / 10)))
            await uow.commit()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Sources]:
        async with self.app.uow() as uow:
            yield SqlSources(uow)
            await uow.commit()

    async def messages(self, account: int) -> list[str]:
        async with self.app.uow() as uow:
            rows = await uow.session.execute(select(OutboxMessage).where(
                OutboxMessage.account_id == account).order_by(OutboxMessage.id))
            return [m.payload["text"] for m in rows.scalars()
                    if m.payload["text"].startswith("✨")]  # not the sign-up's code


class TestSqlSources(SourcesContract):
    @pytest.fixture
    def sources(self, app):
        return SqlWorld(app)
