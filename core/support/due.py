"""The tickets' periodic work, as a plain function the scheduler calls: first-answer deadlines
that passed are taken by the system (each in its own short transaction through the shared
timer loop, claimed by a conditional update, so a late, repeated or doubled run escalates a
ticket once)."""

from __future__ import annotations

from core.process import timers
from core.process.tickets import TICKET_PROCESS
from core.process.timer_jobs import fire_each
from core.storage.uow import UnitOfWork, UowFactory
from core.support.service import escalate


async def run_all(uow_factory: UowFactory, limit: int = 200) -> list[int]:
    """Escalate every ticket whose first answer is overdue; returns their ids."""
    async with uow_factory() as uow:
        due = await timers.due(uow, TICKET_PROCESS, limit=limit)
    return await fire_each(uow_factory, due, fire, "ticket")


async def fire(uow: UnitOfWork, timer_id: int) -> int | None:
    """Claim one due timer and escalate its ticket; None when another worker claimed it or the
    ticket was answered (or closed) meanwhile."""
    timer = await timers.claim(uow, timer_id, TICKET_PROCESS)
    if timer is None:
        return None
    return timer.subject_id if await escalate(uow, timer.subject_id) else None
