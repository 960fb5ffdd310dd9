"""The periodic work of the deal and offer processes, as plain functions the scheduler calls:
due timers taken and reminders sent, one short transaction per timer so one failure never holds
up the others. Claims are conditional updates and reminders are recorded once, so a run that
comes late, twice, or on two workers at once does nothing wrong."""

from __future__ import annotations

from core.deals import deals, reminders
from core.deals.offers import service as offers
from core.process import timers
from core.process.deals import DEAL_PROCESS, OFFER_PROCESS
from core.process.timer_jobs import fire_each, remind_each
from core.storage.uow import UnitOfWork, UowFactory

MINE = (OFFER_PROCESS, DEAL_PROCESS)  # other processes' timers are their own jobs' work


async def run_all(uow_factory: UowFactory, limit: int = 200) -> list[tuple[str, int, str]]:
    """Take every due offer and deal timer; returns (process, subject id, transition) of each
    one that moved its subject."""
    async with uow_factory() as uow:
        due = await timers.due(uow, MINE, limit=limit)
    return await fire_each(uow_factory, due, fire, "deal")


async def fire(uow: UnitOfWork, timer_id: int) -> tuple[str, int, str] | None:
    """Claim one due timer and take its transition as the system; None when another worker
    claimed it, or its subject moved on meanwhile."""
    timer = await timers.claim(uow, timer_id, MINE)
    if timer is None:
        return None
    if timer.process == OFFER_PROCESS.name:
        moved = await offers.expire(uow, timer.subject_id)
    else:
        moved = await deals.fire(uow, timer.subject_id, timer.fires)
    return (timer.process, timer.subject_id, timer.fires) if moved else None


async def remind_all(uow_factory: UowFactory) -> int:
    """Send every reminder now due before a deadline; returns how many notices went."""
    async with uow_factory() as uow:
        soon = [timer.id for timer in await timers.upcoming(uow, reminders.HORIZON, MINE)]
    return await remind_each(uow_factory, soon, reminders.remind, "deal")
