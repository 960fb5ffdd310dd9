"""The gatherings' periodic work, as plain functions the scheduler calls: reminders 24 h and
15 min before the start (each once per gathering and offset, to everyone going — and maybe, for
events — with the time in their own zone), and the start itself (each timer claimed by a
conditional update through the shared timer loop, so a late, repeated or doubled run starts a
gathering once)."""

from __future__ import annotations

from datetime import timedelta

from core.actions import Action
from core.clock import local_time
from core.i18n import N_, _, n_
from core.learning import gatherings, rules
from core.learning.intents import LearningIntent
from core.learning.tables import Gathering
from core.notifications.outbox import addressed_to, notify, recipients
from core.process import timers
from core.process.gatherings import GATHERING_PROCESS, REMINDERS, GatheringState
from core.process.tables import ProcessTimer
from core.process.timer_jobs import fire_each, remind_each
from core.storage.uow import UnitOfWork, UowFactory

HORIZON = max(REMINDERS)


async def run_all(uow_factory: UowFactory, limit: int = 200) -> list[int]:
    """Start every gathering whose time has come; returns their ids."""
    async with uow_factory() as uow:
        due = await timers.due(uow, GATHERING_PROCESS, limit=limit)
    return await fire_each(uow_factory, due, fire, "gathering")


async def fire(uow: UnitOfWork, timer_id: int) -> int | None:
    timer = await timers.claim(uow, timer_id, GATHERING_PROCESS)
    if timer is None:
        return None
    return timer.subject_id if await gatherings.start(uow, timer.subject_id) else None


async def remind_all(uow_factory: UowFactory) -> int:
    """Send the reminders now due; returns how many notices went."""
    async with uow_factory() as uow:
        soon = [t.id for t in await timers.upcoming(uow, HORIZON, GATHERING_PROCESS)]
    return await remind_each(uow_factory, soon, remind, "gathering")


async def remind(uow: UnitOfWork, timer_id: int) -> int:
    """The reminders of one gathering whose moment has passed (the nearest one told, each
    recorded once); how many notices went."""
    timer = await uow.get(ProcessTimer, timer_id, populate_existing=True)
    now = uow.clock.now()
    if timer is None or timer.done_at is not None or timer.due_at <= now:
        return 0
    gathering = await uow.get(Gathering, timer.subject_id)
    if gathering is None or gathering.status != GatheringState.SCHEDULED:
        return 0
    passed = rules.reminders_passed(gathering.created_at, timer.due_at, now, REMINDERS)
    fresh = [o for o in passed if await timers.mark_reminded(uow, timer.id, o)]
    if not fresh:
        return 0
    return await _tell(uow, gathering, min(fresh))


async def _tell(uow: UnitOfWork, gathering: Gathering, offset: timedelta) -> int:
    people = await gatherings.attendees(uow, gathering.id, rules.attending(gathering.kind))
    await recipients(uow, set(people))
    button = [[Action(LearningIntent.VIEW_GATHERING, N_("📅 Details"), str(gathering.id))]]
    minutes = int(offset.total_seconds() // 60)
    for person in people:
        async with addressed_to(uow, person) as account:
            when = local_time(gathering.starts_at, account.timezone if account else None)
            where = gathering.place or _("online — the join link comes here at the start")
            # (the English says “minutes” and “hours” for every count: the reminders are 15 min
            # and 24 h ahead)
            text = (n_("⏰ “{title}” starts in {n} minutes: {when}, {where}.",
                       "⏰ “{title}” starts in {n} minutes: {when}, {where}.", minutes,
                       title=gathering.title, when=when, where=where) if minutes < 60 else
                    n_("⏰ “{title}” starts in {n} hours: {when}, {where}.",
                       "⏰ “{title}” starts in {n} hours: {when}, {where}.", minutes // 60,
                       title=gathering.title, when=when, where=where))
            await notify(uow, person, text, buttons=button, urgent=offset <= timedelta(hours=1),
                         dedupe_key=f"gathering-remind:{gathering.id}:{int(offset.total_seconds())}:"
                                    f"{person}")
    return len(people)
