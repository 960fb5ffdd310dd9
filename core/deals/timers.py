"""Deadlines of waiting states, kept in the database: started when a state is entered, dropped
when it is left, and taken by the system when due — once, whichever worker finds them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.deals.tables import ProcessTimer
from core.process import Process
from core.storage.uow import UnitOfWork


def start(uow: UnitOfWork, process: Process, subject_id: int, state: str) -> None:
    """The timers of `state`, due from now."""
    now = uow.clock.now()
    for timer in process.timers_in(state):
        uow.add(ProcessTimer(process=process.name, subject_id=subject_id, state=state,
                             fires=timer.fires, due_at=now + timer.after))


async def restart(uow: UnitOfWork, process: Process, subject_id: int, state: str) -> None:
    """The state was entered again from itself (an escalation): its timers run again, due
    `every` (or `after`) from now."""
    for timer in process.timers_in(state):
        due_at = uow.clock.now() + (timer.every or timer.after)
        again = (await uow.session.execute(update(ProcessTimer).where(
            ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
            ProcessTimer.state == state, ProcessTimer.fires == timer.fires)
            .values(due_at=due_at, done_at=None)
            .returning(ProcessTimer.id).execution_options(synchronize_session=False))).scalars()
        if not list(again):
            uow.add(ProcessTimer(process=process.name, subject_id=subject_id, state=state,
                                 fires=timer.fires, due_at=due_at))


async def stop(uow: UnitOfWork, process: Process, subject_id: int, state: str) -> None:
    """The state was left: its timers will not fire."""
    await uow.session.execute(update(ProcessTimer).where(
        ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
        ProcessTimer.state == state, ProcessTimer.done_at.is_(None))
        .values(done_at=uow.clock.now()))


async def due(uow: UnitOfWork, process: Process | None = None, limit: int = 100) -> list[int]:
    """Ids of the timers due now (of one process, or all), the oldest deadline first."""
    query = select(ProcessTimer.id).where(ProcessTimer.done_at.is_(None),
                                          ProcessTimer.due_at <= uow.clock.now())
    if process is not None:
        query = query.where(ProcessTimer.process == process.name)
    return list((await uow.session.execute(
        query.order_by(ProcessTimer.due_at, ProcessTimer.id).limit(limit))).scalars())


async def claim(uow: UnitOfWork, timer_id: int) -> ProcessTimer | None:
    """Mark a due timer done by a conditional update; None when another worker took it first
    (or it is not due, or was stopped)."""
    now: datetime = uow.clock.now()
    taken = await uow.session.execute(update(ProcessTimer).where(
        ProcessTimer.id == timer_id, ProcessTimer.done_at.is_(None), ProcessTimer.due_at <= now)
        .values(done_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await uow.session.get(ProcessTimer, timer_id, populate_existing=True)


async def claim_due(uow: UnitOfWork, process: Process, limit: int = 100
                    ) -> list[tuple[int, str]]:
    """(subject id, transition) of due timers, each claimed by a conditional update so two
    workers never take the same one."""
    claimed = []
    for timer_id in await due(uow, process, limit):
        timer = await claim(uow, timer_id)
        if timer is not None:
            claimed.append((timer.subject_id, timer.fires))
    return claimed


async def postpone(uow: UnitOfWork, timer_id: int, delay: timedelta) -> None:
    """A timer whose transition failed is tried again after `delay`, letting others go first."""
    await uow.session.execute(update(ProcessTimer).where(
        ProcessTimer.id == timer_id, ProcessTimer.done_at.is_(None))
        .values(due_at=uow.clock.now() + delay).execution_options(synchronize_session=False))

