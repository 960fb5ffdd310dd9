"""APScheduler in-process: periodic housekeeping. One-off due work lives in domain tables."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from config.container import Container
from core.storage.tables import ProcessedUpdate


def build_scheduler(container: Container) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(container.dispatcher.run_once, "interval", seconds=30, id="outbox-sweep",
                      max_instances=1, coalesce=True, replace_existing=True)
    scheduler.add_job(_forget_old_updates, "interval", hours=6, args=[container],
                      id="forget-processed-updates", max_instances=1, coalesce=True,
                      replace_existing=True)
    scheduler.add_job(container.payments.recover, "interval", minutes=2, id="payments-recover",
                      max_instances=1, coalesce=True, replace_existing=True)
    scheduler.add_job(container.payments.number_invoices, "interval", minutes=1,
                      id="payments-number-invoices", max_instances=1, coalesce=True,
                      replace_existing=True)
    scheduler.add_job(container.payments.settle_expiring, "interval", hours=1,
                      id="payments-expiring-authorisations", max_instances=1, coalesce=True,
                      replace_existing=True)
    return scheduler


async def _forget_old_updates(container: Container) -> None:
    """Channel update ids only need remembering while a channel may still retry them."""
    cutoff = container.clock.now() - timedelta(days=7)
    async with container.uow() as uow:
        await uow.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.created_at < cutoff))
        await uow.commit()
