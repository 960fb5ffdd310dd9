"""The weekly message: Monday morning in each person's own zone, once per person-week however
often or wherever the job runs; never to someone who opted out; declines never come back."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from sqlalchemy import select

from core.accounts.tables import Account
from core.notifications.tables import OutboxMessage
from core.recommend import weekly
from core.recommend.picks import recommend
from core.recommend.tables import WeeklyPicks
from tests.catalog.helpers import make_account
from tests.recommend.helpers import bought, consultant, had_session, listing

MONDAY_9_TOKYO = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # Sunday 19:00 in New York


async def _buyer(app, name, zone, seller):
    buyer = await make_account(app, name, roles=("buyer",))
    async with app.uow() as uow:
        (await uow.session.get(Account, buyer.id)).timezone = zone
        await uow.commit()
    await bought(app, buyer, await listing(app, seller, "pellets", "Riga"), days_ago=20)
    return buyer


async def _run(app) -> int:
    async with app.uow() as uow:
        sent = await weekly.send_weekly(uow)
        await uow.commit()
        return sent


async def _messages(app, account_id):
    async with app.uow() as uow:
        rows = await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id).order_by(OutboxMessage.id))
        return [m.payload for m in rows.scalars() if "Picked for you" in m.payload["text"]]


async def test_it_comes_on_monday_morning_in_each_persons_zone_and_once_a_week(app, clock):
    seller = await make_account(app, "terminal:sella")
    for _ in range(3):
        await listing(app, seller, "pellets", "Daugavpils")
    tokyo = await _buyer(app, "terminal:tok", "Asia/Tokyo", seller)
    york = await _buyer(app, "terminal:nyc", "America/New_York", seller)
    clock._now = MONDAY_9_TOKYO
    assert await _run(app) == 1
    assert await _run(app) == 0  # a rerun the same hour
    [message] = await _messages(app, tokyo.id)
    assert "because you bought wood pellets in Latvia once" in message["text"]
    labels = [b["label"] for row in message["buttons"] for b in row]
    assert "1. 🚫 Not interested" in labels and "🔕 Stop these messages" in labels
    assert any(b["intent"] == "view_listing" for row in message["buttons"] for b in row)
    assert await _messages(app, york.id) == []
    clock.advance(hours=14)  # Monday 09:00 in New York
    assert await _run(app) == 1
    clock.advance(hours=3)
    assert await _run(app) == 0
    assert len(await _messages(app, york.id)) == len(await _messages(app, tokyo.id)) == 1
    clock.advance(days=7)  # a week later, in New York Monday noon: the next week's
    assert await _run(app) == 1


async def test_two_workers_at_once_send_each_person_one_message(app, clock):
    seller = await make_account(app, "terminal:sella")
    await listing(app, seller, "pellets", "Daugavpils")
    buyers = [await _buyer(app, f"terminal:b{i}", "Asia/Tokyo", seller) for i in range(3)]
    clock._now = MONDAY_9_TOKYO
    results = await asyncio.gather(*(_run(app) for _ in range(4)), return_exceptions=True)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 3  # type: ignore[arg-type]
    for buyer in buyers:
        assert len(await _messages(app, buyer.id)) == 1
    async with app.uow() as uow:
        claims = (await uow.session.execute(select(WeeklyPicks))).scalars().all()
        assert sorted(c.account_id for c in claims) == sorted(b.id for b in buyers)


async def test_someone_who_opted_out_gets_nothing_until_they_opt_in(app, clock):
    seller = await make_account(app, "terminal:sella")
    await listing(app, seller, "pellets", "Daugavpils")
    ann = await _buyer(app, "terminal:ann", "Asia/Tokyo", seller)
    async with app.uow() as uow:
        await weekly.set_weekly(uow, ann.id, False)
        await uow.commit()
    clock._now = MONDAY_9_TOKYO
    assert await _run(app) == 0
    assert await _messages(app, ann.id) == []
    async with app.uow() as uow:
        await weekly.set_weekly(uow, ann.id, True)
        await uow.commit()
    assert await _run(app) == 1


async def test_a_declined_item_never_comes_back_week_after_week(app, clock):
    rng = random.Random(13)
    seller = await make_account(app, "terminal:sella")
    ann = await _buyer(app, "terminal:ann", "Asia/Tokyo", seller)
    await bought(app, ann, await listing(app, seller, "chips", "Hamburg"), days_ago=9)
    for _n in range(12):
        await listing(app, seller, rng.choice(["pellets", "chips"]), rng.choice(["Riga", "Hamburg"]))
    expert = await consultant(app, "terminal:mia", ["pellet-quality"])
    for i in range(3):
        await consultant(app, f"terminal:c{i}", ["pellet-quality", "biomass-sourcing"])
    await had_session(app, ann, expert, days_ago=30)
    clock._now = MONDAY_9_TOKYO
    declined: set[str] = set()
    for _week in range(6):
        assert await _run(app) == 1
        text = (await _messages(app, ann.id))[-1]
        shown = [b["arg"] for row in text["buttons"] for b in row if b["intent"] == "decline_pick"]
        assert shown and declined.isdisjoint(shown)
        for key in rng.sample(shown, rng.randint(1, 2)):  # some declined this week
            async with app.uow() as uow:
                assert await weekly.decline(uow, ann.id, key)
                assert not await weekly.decline(uow, ann.id, key)  # twice is once
                await uow.commit()
            declined.add(key)
        async with app.uow() as uow:
            now = {p.key for p in await recommend(uow, ann.id, limit=50, consultants=50)}
        assert declined.isdisjoint(now)
        clock.advance(days=7)
    assert any(k.startswith("consultant:") for k in declined | now)
