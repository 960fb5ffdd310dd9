"""The scheduler's booking jobs, and that the deal and booking timer jobs each take only their
own process's timers; another worker's profile changes reach this worker's directory."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bots.scheduler import build_scheduler
from core.consulting.profiles import service as profiles
from core.consulting.profiles.directory import Directory, DirectoryQuery
from core.deals import due as deal_due
from core.events import EventBus
from core.process.tables import ProcessTimer
from core.storage.uow import UnitOfWork
from tests.consulting.helpers import confirmed, consultant, seeker, status
from tests.consulting.test_booking_paths import authorised, run_timers

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_the_scheduler_runs_the_booking_jobs(app):
    scheduler: AsyncIOScheduler = build_scheduler(app)
    every = {job.id: job.trigger.interval for job in scheduler.get_jobs()
             if hasattr(job.trigger, "interval")}
    assert every["booking-timers"] == timedelta(seconds=30)
    assert every["booking-reminders"] == timedelta(seconds=60)
    assert every["booking-money-catch-up"] == timedelta(minutes=5)
    assert every["directory-sync"] == timedelta(seconds=30)


async def test_the_deal_timer_job_leaves_booking_timers_to_the_booking_job(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10
    assert await deal_due.run_all(app.uow) == []
    assert await deal_due.remind_all(app.uow) == 0
    async with app.uow() as uow:
        running = (await uow.session.execute(select(ProcessTimer.fires).where(
            ProcessTimer.process == "booking", ProcessTimer.done_at.is_(None)))).scalars().all()
    assert "open-session" in running
    assert await run_timers(app) == [(booking.id, "open-session")]
    assert await status(app, booking.id) == "starting"


async def test_a_timer_job_run_twice_at_once_takes_each_timer_once(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10
    first, second = await asyncio.gather(run_timers(app), run_timers(app))
    assert sorted(first + second) == [(booking.id, "open-session")]


async def test_another_workers_profile_change_reaches_the_directory_on_sync(app, clock):
    ann = await consultant(app)
    mine = Directory()
    async with app.uow() as uow:
        await mine.load(uow)
    quiet = UnitOfWork(app.sessions, app.clock, EventBus(), app.policy)  # another worker
    async with quiet as uow:
        await profiles.save(uow, ann.id, headline="Torrefaction specialist")
        await uow.commit()
    clock.advance(seconds=30)
    async with app.uow() as uow:
        assert (await mine.search(uow, DirectoryQuery(text="torrefaction"), "UTC")).cards == []
        await mine.sync(uow)
        [card] = (await mine.search(uow, DirectoryQuery(text="torrefaction"), "UTC")).cards
    assert card.headline == "Torrefaction specialist"
