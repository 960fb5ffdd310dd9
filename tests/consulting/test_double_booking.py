"""No slot is ever booked twice, even by seekers asking at the same moment: the consultant's
profile row is locked in every booking transaction (PostgreSQL `FOR UPDATE`, SQLite's write
lock from `BEGIN IMMEDIATE`), then overlaps, buffers and the daily maximum are checked. The
races run on the database; what a second booking is refused for, one after the other, runs on
the bookings' diary in memory (`tests/consulting/booking_fakes.py`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.consulting.bookings import service as bookings
from core.consulting.tables import Booking
from core.errors import Conflict
from core.process.bookings import HOLDS_SLOT
from tests.consulting.booking_fakes import ANN, BOB, EVE, ROOT, booked, confirmed, staffed
from tests.consulting.helpers import consultant, seeker

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def held(app, consultant_id):
    async with app.uow() as uow:
        return list((await uow.session.execute(select(Booking.starts_at).where(
            Booking.consultant_id == consultant_id, Booking.status.in_(HOLDS_SLOT),
            Booking.starts_at.is_not(None)))).scalars())


async def race(app, attempts):
    async def one(step):
        try:
            async with app.uow() as uow:
                await step(uow)
                await uow.commit()
                return True
        except Conflict:
            return False

    return await asyncio.gather(*(one(step) for step in attempts))


async def test_twelve_seekers_asking_for_one_slot_at_once_get_it_exactly_once(app):
    ann = await consultant(app)
    seekers = [await seeker(app, f"s{n}") for n in range(12)]
    wins = await race(app, [lambda uow, s=s: bookings.request_slot(uow, s.id, ann.id, MONDAY_10)
                            for s in seekers])
    assert wins.count(True) == 1
    assert await held(app, ann.id) == [MONDAY_10]


async def test_overlapping_slots_and_their_buffers_are_taken_once(app):
    ann = await consultant(app, buffer_minutes=15)
    seekers = [await seeker(app, f"s{n}") for n in range(6)]
    starts = [MONDAY_10 + timedelta(minutes=30 * n) for n in range(3)]  # 10:00, 10:30, 11:00
    attempts = [lambda uow, s=s, t=t: bookings.request_slot(uow, s.id, ann.id, t)
                for s, t in zip(seekers, starts * 2, strict=True)]
    wins = await race(app, attempts)
    taken = sorted(await held(app, ann.id))
    assert wins.count(True) == len(taken) == 1  # each pair is within 60 min + buffer of the others
    assert taken[0] in starts


async def test_the_daily_maximum_holds_under_a_race(app):
    ann = await consultant(app, daily_max=2, buffer_minutes=0)
    seekers = [await seeker(app, f"s{n}") for n in range(6)]
    starts = [MONDAY_10 + timedelta(hours=n) for n in range(6)]
    wins = await race(app, [lambda uow, s=s, t=t: bookings.request_slot(uow, s.id, ann.id, t)
                            for s, t in zip(seekers, starts, strict=True)])
    assert wins.count(True) == 2
    assert len(await held(app, ann.id)) == 2


async def test_accepting_a_proposed_time_races_a_seeker_picking_it_and_only_one_wins(app):
    ann = await consultant(app)
    bob, cat = await seeker(app), await seeker(app, "cat")
    async with app.uow() as uow:
        proposed = await bookings.request_times(uow, bob.id, ann.id, [MONDAY_10])
        await uow.commit()
    async with app.uow() as uow:
        [choice] = await bookings.proposals(uow, proposed.id, ann.id)
        choice_id = choice.id
    wins = await race(app, [
        lambda uow: bookings.accept(uow, proposed.id, ann.id, choice_id),
        lambda uow: bookings.request_slot(uow, cat.id, ann.id, MONDAY_10)])
    assert wins.count(True) == 1
    assert await held(app, ann.id) == [MONDAY_10]


async def test_a_held_time_its_buffer_and_the_daily_maximum_refuse_the_next_request():
    diary = staffed()
    diary.profiles[ANN].daily_max = 2
    await booked(diary, BOB, ANN, MONDAY_10)  # 10:00 to 11:00 in Riga, then 15 minutes' buffer
    for taken in (MONDAY_10, MONDAY_10 + timedelta(minutes=30), MONDAY_10 - timedelta(minutes=30),
                  MONDAY_10 + timedelta(minutes=60)):
        with pytest.raises(Conflict, match="just taken"):
            await booked(diary, EVE, ANN, taken)
    await booked(diary, EVE, ANN, MONDAY_10 + timedelta(minutes=90))
    with pytest.raises(Conflict, match="fully booked"):  # a third session that Monday
        await booked(diary, ROOT, ANN, MONDAY_10 + timedelta(hours=4))
    assert sorted(h.starts_at for h in await diary.held(
        MONDAY_10, MONDAY_10 + timedelta(days=1), consultants=[ANN])) == [
        MONDAY_10, MONDAY_10 + timedelta(minutes=90)]
    assert diary.locked == [ANN, ANN, ANN, ANN, ANN, ANN, ANN]  # every request locked her first


async def test_a_seeker_cannot_hold_two_sessions_at_once_nor_a_time_their_consultant_is_busy():
    diary = staffed()
    cora = diary.consultant(5, "Cora").account_id
    await confirmed(diary, BOB, ANN, MONDAY_10)
    with pytest.raises(Conflict, match="already have a session at that time"):
        await booked(diary, BOB, cora, MONDAY_10 + timedelta(minutes=30))
    diary.calendars[cora] = [(MONDAY_10 + timedelta(hours=3), MONDAY_10 + timedelta(hours=4))]
    with pytest.raises(Conflict, match="just taken"):  # her own calendar is busy then
        await booked(diary, EVE, cora, MONDAY_10 + timedelta(hours=3))
    assert (await booked(diary, EVE, cora, MONDAY_10)).status == "requested"
