"""The catalogue's periodic jobs: expiry and reminders, the daily digest, index sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.catalog import alerts, lifecycle
from core.storage import change_feed

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from config.container import Container


def add_catalog_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Sweep due rows every few minutes; digests hourly (07:00 in each buyer's time zone, which
    is some UTC hour's minute 0 for every offset); forget old entries of the change sequence."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True, "args": [container]}
    scheduler.add_job(expire_and_remind, "interval", minutes=5, id="listings-expiry", **common)
    scheduler.add_job(daily_digest, "cron", minute=0, id="alerts-digest", **common)
    scheduler.add_job(prune_changes, "interval", hours=1, id="catalog-changes-prune", **common)


def add_index_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Every worker's own: keep its search index in step (a safety net under the change
    sequence on PostgreSQL)."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True, "args": [container]}
    scheduler.add_job(sync_index, "interval", seconds=30, id="catalog-sync", **common)


async def expire_and_remind(container: Container) -> None:
    """Remind sellers of listings about to expire, and expire those whose time is up."""
    async with container.uow() as uow:
        await lifecycle.remind_due(uow)
        await lifecycle.expire_due(uow)
        await uow.commit()


async def daily_digest(container: Container) -> None:
    """Send the digests of buyers for whom it is now 07:00 (once a local day)."""
    async with container.uow() as uow:
        await alerts.send_digests(uow)
        await uow.commit()


async def prune_changes(container: Container) -> None:
    """Forget changes of the sequence every worker has long applied."""
    async with container.uow() as uow:
        await change_feed.prune(uow)
        await uow.commit()


async def sync_index(container: Container) -> None:
    """Pick up listing changes committed by other workers (and build the index on first run)."""
    assert container.catalog is not None  # config.container.build sets it
    async with container.uow() as uow:
        if not container.catalog.loaded:
            await container.catalog.load(uow)
        else:
            await container.catalog.sync(uow)
