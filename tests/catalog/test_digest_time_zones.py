"""The daily digest goes out at 07:00 in each buyer's own time zone, once a local day."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bots.catalog_jobs import add_catalog_jobs, daily_digest
from core.accounts.tables import Account
from core.catalog import alerts
from core.catalog.query import SearchQuery
from core.notifications.tables import OutboxMessage
from tests.catalog.helpers import make_account, publish


async def digest_buyer(app, name: str, zone: str) -> int:
    buyer = await make_account(app, name, roles=("buyer",))
    async with app.uow() as uow:
        (await uow.session.get(Account, buyer.id)).timezone = zone
        await alerts.save_search(uow, buyer.id, SearchQuery(text="pellets"), "digest")
        await uow.commit()
    return buyer.id


async def digests_for(app, account_id: int) -> list[str]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id, OutboxMessage.channel != "email")
            .order_by(OutboxMessage.id))).scalars()
        return [r.payload["text"] for r in rows if "Daily digest" in r.payload["text"]]


async def test_each_buyer_gets_the_digest_at_seven_in_their_own_time_zone(app, clock):
    tokyo = await digest_buyer(app, "kenji", "Asia/Tokyo")
    riga = await digest_buyer(app, "ilze", "Europe/Riga")
    await publish(app, await make_account(app, "sam"))  # 2026-11-20 12:00 UTC
    clock.advance(hours=10)  # 22:00 UTC: 07:00 on the 21st in Tokyo, midnight in Riga
    await daily_digest(app)
    assert len(await digests_for(app, tokyo)) == 1 and await digests_for(app, riga) == []
    clock.advance(hours=7)  # 05:00 UTC: 07:00 in Riga (UTC+2), 14:00 in Tokyo
    await daily_digest(app)
    assert len(await digests_for(app, riga)) == 1 and len(await digests_for(app, tokyo)) == 1


async def test_a_second_run_in_the_same_local_hour_sends_no_second_digest(app, clock):
    tokyo = await digest_buyer(app, "kenji", "Asia/Tokyo")
    seller = await make_account(app, "sam")
    await publish(app, seller)
    clock.advance(hours=10)
    await daily_digest(app)
    clock.advance(minutes=20)
    await publish(app, seller, title="Wood pellets, second lot")
    clock.advance(minutes=20)  # 07:40 in Tokyo: the job ran again (a restart, another worker)
    await daily_digest(app)
    assert len(await digests_for(app, tokyo)) == 1
    clock.advance(hours=23, minutes=20)  # the next morning the new lot is in the digest
    await daily_digest(app)
    texts = await digests_for(app, tokyo)
    assert len(texts) == 2 and "second lot" in texts[1]


def test_the_digest_job_runs_every_hour_on_the_hour():
    scheduler = AsyncIOScheduler()
    add_catalog_jobs(scheduler, object())  # the container is only handed to the jobs when they run
    trigger = str(scheduler.get_job("alerts-digest").trigger)
    assert "minute='0'" in trigger and "hour" not in trigger
