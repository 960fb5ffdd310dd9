"""The weekly message on the database: once per person-week however many workers run the job
at once (the week's claim is a row only one of them inserts), written to the outbox. Its other
rules (Monday morning in each zone, the opt-out, declines never coming back) run on in-memory
sources (`test_weekly_message.py`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from core.accounts.tables import Account
from core.notifications.tables import OutboxMessage
from core.recommend import weekly
from core.recommend.tables import WeeklyPicks
from tests.catalog.helpers import make_account
from tests.recommend.helpers import bought, listing

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
