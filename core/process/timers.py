"""Deadlines of waiting states, kept in the database: started when a state is entered, dropped
when it is left, and taken by the system when due — once, whichever worker finds them. The
reminders sent before a deadline are recorded here too, once per timer and offset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from core.process.model import Process
from core.process.tables import ProcessReminder, ProcessTimer
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert


@dataclass
class _Started:
    """A timer row written with the transaction's other new timers at commit (every move of
    every process starts some: one INSERT for them all, without the ORM's flush)."""

    process: str
    subject_id: int
    state: str
    fires: str
    due_at: datetime


_TIMERS = table_of(ProcessTimer)
_STOP = (update(_TIMERS).where(
    _TIMERS.c.process == bindparam("t_process"), _TIMERS.c.subject_id == bindparam("t_subject"),
    _TIMERS.c.state == bindparam("t_state"), _TIMERS.c.done_at.is_(None))
    .values(done_at=bindparam("t_at")))


def start(uow: UnitOfWork, process: Process, subject_id: int, state: str,
          due: dict[str, datetime] | None = None) -> None:
    """The timers of `state`, due from now (or at the time `due` gives for a transition, as
    an offer's own expiry)."""
    now = uow.clock.now()
    for timer in process.timers_in(state):
        uow.stage(_TIMERS, _Started(process.name, subject_id, state, timer.fires,
                                    (due or {}).get(timer.fires) or now + timer.after))


async def _written(uow: UnitOfWork) -> None:
    """Timers started in this transaction are in the table before it is asked about them."""
    if uow.staged(_Started):
        await uow.write_staged()


async def restart(uow: UnitOfWork, process: Process, subject_id: int, state: str,
                  due: dict[str, datetime] | None = None) -> None:
    """The state was entered again (an escalation, an extension): its timers run again, due
    `every` (or `after`) from now or when `due` says, and their reminders may go again."""
    await _written(uow)
    for timer in process.timers_in(state):
        due_at = (due or {}).get(timer.fires) or uow.clock.now() + (timer.every or timer.after)
        again = (await uow.session.execute(update(ProcessTimer).where(
            ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
            ProcessTimer.state == state, ProcessTimer.fires == timer.fires)
            .values(due_at=due_at, done_at=None)
            .returning(ProcessTimer.id))).scalars()
        ids = list(again)
        if ids:
            await uow.session.execute(delete(ProcessReminder).where(
                ProcessReminder.timer_id.in_(ids)))
        else:
            uow.add(ProcessTimer(process=process.name, subject_id=subject_id, state=state,
                                 fires=timer.fires, due_at=due_at))


async def stop(uow: UnitOfWork, process: Process, subject_id: int, state: str) -> None:
    """The state was left: its timers will not fire."""
    await _written(uow)
    await (await uow.core()).execute(_STOP, {
        "t_process": process.name, "t_subject": subject_id, "t_state": state,
        "t_at": uow.clock.now()})


async def schedule(uow: UnitOfWork, process: Process, subject_id: int, state: str,
                   due: dict[str, datetime]) -> None:
    """Run these timers of `state` due at the given times (by transition), whether or not the
    state ran them before; a timer whose time moved may remind again."""
    await _written(uow)
    rows = {row.fires: row for row in (await uow.session.execute(select(ProcessTimer).where(
        ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
        ProcessTimer.state == state))).scalars()}
    for fires, due_at in due.items():
        row = rows.get(fires)
        if row is None:
            uow.add(ProcessTimer(process=process.name, subject_id=subject_id, state=state,
                                 fires=fires, due_at=due_at))
            continue
        if row.due_at != due_at:
            await uow.session.execute(delete(ProcessReminder).where(
                ProcessReminder.timer_id == row.id))
        row.due_at, row.done_at = due_at, None


async def running_due(uow: UnitOfWork, process: Process, subject_id: int, state: str,
                      fires: str) -> datetime | None:
    """When this running timer of `state` falls due; None when it is not running."""
    await _written(uow)
    return (await uow.session.execute(select(ProcessTimer.due_at).where(
        ProcessTimer.process == process.name, ProcessTimer.subject_id == subject_id,
        ProcessTimer.state == state, ProcessTimer.fires == fires,
        ProcessTimer.done_at.is_(None)))).scalar_one_or_none()


def _of(processes: Process | tuple[Process, ...] | None) -> list[str] | None:
    if processes is None:
        return None
    return [p.name for p in (processes if isinstance(processes, tuple) else (processes,))]


async def due(uow: UnitOfWork, process: Process | tuple[Process, ...] | None = None,
              limit: int = 100) -> list[int]:
    """Ids of the timers due now (of these processes, or all), the oldest deadline first."""
    await _written(uow)
    query = select(ProcessTimer.id).where(ProcessTimer.done_at.is_(None),
                                          ProcessTimer.due_at <= uow.clock.now())
    if (names := _of(process)) is not None:
        query = query.where(ProcessTimer.process.in_(names))
    return list((await uow.session.execute(
        query.order_by(ProcessTimer.due_at, ProcessTimer.id).limit(limit))).scalars())


async def claim(uow: UnitOfWork, timer_id: int,
                process: Process | tuple[Process, ...] | None = None) -> ProcessTimer | None:
    """Mark a due timer (of these processes, or any) done by a conditional update; None when
    another worker took it first (or it is not due, or was stopped, or is another's)."""
    now: datetime = uow.clock.now()
    query = update(ProcessTimer).where(
        ProcessTimer.id == timer_id, ProcessTimer.done_at.is_(None), ProcessTimer.due_at <= now)
    if (names := _of(process)) is not None:
        query = query.where(ProcessTimer.process.in_(names))
    taken = await uow.session.execute(
        query.values(done_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await uow.get(ProcessTimer, timer_id, populate_existing=True)


async def claim_due(uow: UnitOfWork, process: Process, limit: int = 100
                    ) -> list[tuple[int, str]]:
    """(subject id, transition) of due timers, each claimed by a conditional update so two
    workers never take the same one."""
    claimed = []
    for timer_id in await due(uow, process, limit):
        timer = await claim(uow, timer_id, process)
        if timer is not None:
            claimed.append((timer.subject_id, timer.fires))
    return claimed


async def postpone(uow: UnitOfWork, timer_id: int, delay: timedelta) -> None:
    """A timer whose transition failed is tried again after `delay`, letting others go first."""
    await uow.session.execute(update(ProcessTimer).where(
        ProcessTimer.id == timer_id, ProcessTimer.done_at.is_(None))
        .values(due_at=uow.clock.now() + delay))


async def upcoming(uow: UnitOfWork, within: timedelta,
                   process: Process | tuple[Process, ...] | None = None) -> list[ProcessTimer]:
    """Running timers (of these processes, or all) due within `within` from now but not yet:
    those reminders are about."""
    await _written(uow)
    now = uow.clock.now()
    query = select(ProcessTimer).where(ProcessTimer.done_at.is_(None), ProcessTimer.due_at > now,
                                       ProcessTimer.due_at <= now + within)
    if (names := _of(process)) is not None:
        query = query.where(ProcessTimer.process.in_(names))
    return list((await uow.session.execute(query.order_by(ProcessTimer.due_at))).scalars())


async def mark_reminded(uow: UnitOfWork, timer_id: int, offset: timedelta) -> bool:
    """Record the reminder `offset` before this timer's deadline; False when it went before
    (another worker, an earlier run): one INSERT … ON CONFLICT DO NOTHING decides."""
    done = await uow.session.execute(dialect_insert(uow, ProcessReminder).values(
        timer_id=timer_id, offset_seconds=int(offset.total_seconds()),
        sent_at=uow.clock.now()).on_conflict_do_nothing())
    return done.rowcount == 1  # type: ignore[attr-defined]
