"""Deadlines of waiting states, kept in the database: started when a state is entered, dropped
when it is left, and taken by the system when due — once, whichever worker finds them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from core.deals.tables import ProcessTimer
from core.process import Process
from core.storage.uow import UnitOfWork


def start(uow: UnitOfWork, process: Process, subject_id: int, state: str,
          due: dict[str, datetime] | None = None) -> None:
    """The timers of `state`, due from now (or at the time `due` gives for a transition, as
    an offer's own expiry)."""
    now = uow.clock.now()
    for timer in process.timers_in(state):
        uow.add(ProcessTimer(process=process.name, subject_id=subject_id, state=state,
                             fires=timer.fires,
                             due_at=(due or {}).get(timer.fires) or now + timer.after))


async def stop(uow: UnitOfWork, process: Process, subject_id: int, state: str) -> None:
    """The state was left: its timers will not fire."""
    await uow.session.execute(update(ProcessTimer).where(
        ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
        ProcessTimer.state == state, ProcessTimer.done_at.is_(None))
        .values(done_at=uow.clock.now()))


async def claim_due(uow: UnitOfWork, process: Process, limit: int = 100
                    ) -> list[tuple[int, str]]:
    """(subject id, transition) of due timers, each claimed by a conditional update so two
    workers never take the same one."""
    now: datetime = uow.clock.now()
    due = (await uow.session.execute(select(ProcessTimer).where(
        ProcessTimer.process == process.name, ProcessTimer.done_at.is_(None),
        ProcessTimer.due_at <= now).order_by(ProcessTimer.due_at).limit(limit))).scalars().all()
    claimed = []
    for timer in due:
        taken = await uow.session.execute(update(ProcessTimer).where(
            ProcessTimer.id == timer.id, ProcessTimer.done_at.is_(None)).values(done_at=now)
            .execution_options(synchronize_session=False))
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append((timer.subject_id, timer.fires))
    return claimed
