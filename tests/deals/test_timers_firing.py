"""The scheduler's timer job: each due offer and deal deadline is taken once however often the job
runs, a subject that moved on is left alone, and one failing timer never holds up the others."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select, update

from bots.scheduler import build_scheduler
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.tables import Deal, Offer
from core.process.tables import ProcessTimer
from tests.deals.timer_support import (
    agreed,
    completed,
    delivered,
    paid,
    run_timers,
    status_of,
    terms,
    told,
    world,
)


async def offer_on(app, buyer, listing_id):
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, buyer.id, terms())
        await uow.commit()
        return offer.id


async def offer_status(app, offer_id):
    async with app.uow() as uow:
        return (await uow.session.get(Offer, offer_id)).status


async def test_an_unanswered_offer_expires_once_however_often_the_job_runs_and_both_are_told(
        app, clock):
    sam, bob, _, listing_id = await world(app)
    offer_id = await offer_on(app, bob, listing_id)
    clock.advance(hours=47, minutes=59)
    assert await run_timers(app) == []
    clock.advance(minutes=2)
    assert await run_timers(app) == [("offer", offer_id, "expire-offer")]
    assert await run_timers(app) == []
    assert await offer_status(app, offer_id) == "expired"
    assert await told(app, bob.id, "expired") == [
        "⌛ Your offer of 100 t of “ENplus A1 wood pellets” at 220,00\xa0€ per t expired: it was not "
        "answered in time."]
    assert await told(app, sam.id, "expired") == [
        "⌛ The offer of 100 t of “ENplus A1 wood pellets” at 220,00\xa0€ per t expired: you did not "
        "answer it in time."]


async def test_an_offer_answered_before_its_deadline_does_not_expire(app, clock):
    sam, bob, _, listing_id = await world(app)
    offer_id = await offer_on(app, bob, listing_id)
    async with app.uow() as uow:
        await offers.decline(uow, offer_id, sam.id, "too low")
        await uow.commit()
    clock.advance(days=3)
    assert await run_timers(app) == []
    assert await offer_status(app, offer_id) == "declined"
    assert await told(app, bob.id, "expired") == []


async def to_ship(app):
    _, _, _, deal_id = await paid(app)
    return deal_id


async def agreed_deal(app):
    *_, deal_id = await agreed(app)
    return deal_id


async def delivered_deal(app):
    *_, deal_id = await delivered(app)
    return deal_id


async def completed_deal(app):
    *_, deal_id = await completed(app)
    return deal_id


@pytest.mark.parametrize(("setup", "after", "transition", "target"), [
    (agreed_deal, timedelta(days=3), "cancel-unpaid", "cancelled"),
    (to_ship, timedelta(days=14), "cancel-not-shipped", "refunded"),
    (delivered_deal, timedelta(days=14), "auto-confirm", "completed"),
    (completed_deal, timedelta(days=14), "close-reviews", "closed"),
])
async def test_each_deal_deadline_is_taken_once_when_due_and_not_a_second_earlier(
        app, clock, setup, after, transition, target):
    deal_id = await setup(app)
    before = await status_of(app, deal_id)
    clock.advance(seconds=after.total_seconds() - 1)
    assert await run_timers(app) == []
    assert await status_of(app, deal_id) == before
    clock.advance(seconds=2)
    assert await run_timers(app) == [("deal", deal_id, transition)]
    assert await run_timers(app) == []
    assert await status_of(app, deal_id) == target


async def test_a_deal_that_moved_on_before_its_deadline_is_left_alone(app, clock):
    sam, _, _, deal_id = await paid(app)
    clock.advance(days=13)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await uow.commit()
    clock.advance(days=2)
    assert await run_timers(app) == []
    assert await status_of(app, deal_id) == "shipped"


async def test_a_claimed_timer_whose_deal_moved_on_meanwhile_does_nothing_and_is_done(app, clock):
    deal_id = await to_ship(app)
    async with app.uow() as uow:  # a move that (wrongly) left its timer running
        await uow.session.execute(update(Deal).where(Deal.id == deal_id).values(status="shipped"))
        await uow.commit()
    clock.advance(days=15)
    assert await run_timers(app) == []
    assert await status_of(app, deal_id) == "shipped"
    async with app.uow() as uow:
        running = (await uow.session.execute(select(ProcessTimer).where(
            ProcessTimer.done_at.is_(None)))).scalars().all()
        assert running == []


async def test_one_failing_timer_does_not_hold_up_the_others_and_is_tried_again_later(
        app, clock, monkeypatch):
    _, bob, eve, listing_id = await world(app)
    first = await offer_on(app, bob, listing_id)
    second = await offer_on(app, eve, listing_id)
    real = offers.expire

    async def broken(uow, offer_id):
        if offer_id == first:
            raise RuntimeError("the database hiccuped")
        return await real(uow, offer_id)

    monkeypatch.setattr(offers, "expire", broken)
    clock.advance(hours=49)
    assert await run_timers(app) == [("offer", second, "expire-offer")]
    assert await offer_status(app, first) == "open"
    monkeypatch.setattr(offers, "expire", real)
    assert await run_timers(app) == []  # postponed: the others go first
    clock.advance(minutes=5)
    assert await run_timers(app) == [("offer", first, "expire-offer")]


async def test_two_workers_running_the_job_at_once_take_each_timer_once(app, clock):
    _, bob, eve, listing_id = await world(app)
    ids = {await offer_on(app, bob, listing_id), await offer_on(app, eve, listing_id)}
    clock.advance(hours=49)
    one, two = await asyncio.gather(run_timers(app), run_timers(app))
    assert sorted(subject for _, subject, _ in one + two) == sorted(ids)


async def test_an_escalation_keeps_its_state_and_starts_its_timer_again(app, clock):
    _, bob, _, deal_id = await paid(app)
    async with app.uow() as uow:
        await after_sale.open_dispute(uow, deal_id, bob.id, "Never arrived at all")
        await uow.commit()
    clock.advance(days=3, seconds=1)
    assert await run_timers(app) == [("deal", deal_id, "escalate-dispute")]
    async with app.uow() as uow:
        timer = (await uow.session.execute(select(ProcessTimer).where(
            ProcessTimer.state == "disputed"))).scalar_one()
        assert (timer.done_at, timer.due_at) == (None, clock.now() + timedelta(days=1))
    assert await status_of(app, deal_id) == "disputed"


def test_the_scheduler_runs_the_timer_reminder_and_money_jobs_and_the_catalogues(app):
    scheduler: AsyncIOScheduler = build_scheduler(app)
    every = {job.id: job.trigger.interval for job in scheduler.get_jobs()
             if hasattr(job.trigger, "interval")}
    assert every["deal-timers"] == timedelta(seconds=30)
    assert every["deal-reminders"] == timedelta(seconds=60)
    assert every["deal-money-catch-up"] == timedelta(minutes=5)
    assert {"listings-expiry", "alerts-digest", "catalog-sync"} <= {
        job.id for job in scheduler.get_jobs()}


async def test_timers_started_in_a_transaction_are_stopped_and_read_in_that_transaction(app):
    """A state's timers are written at commit in one INSERT; a stop, restart or read in the
    same transaction writes them first, so a state entered and left at once leaves none running."""
    from core.process import timers
    from core.process.deals import DEAL_PROCESS

    async with app.uow() as uow:
        timers.start(uow, DEAL_PROCESS, 424242, "awaiting_payment")
        assert await timers.running_due(uow, DEAL_PROCESS, 424242, "awaiting_payment",
                                        "cancel-unpaid") is not None
        timers.start(uow, DEAL_PROCESS, 434343, "to_ship")
        await timers.stop(uow, DEAL_PROCESS, 434343, "to_ship")
        await uow.commit()
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(
            ProcessTimer.subject_id, ProcessTimer.done_at.is_(None)).where(
            ProcessTimer.subject_id.in_((424242, 434343))))).all()
    assert sorted(rows) == [(424242, True), (434343, False)]
