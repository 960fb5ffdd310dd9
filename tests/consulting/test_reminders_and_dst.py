"""Reminders 24 hours and 15 minutes before a session, to both parties in their own zones and
with where they meet, once per start time; and sessions booked before a daylight-saving change
keep their local time after it. The slots and the reminders' words across the change run on the
bookings' diary in memory (`tests/consulting/booking_chat.py`); when reminders go, once, on the
database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.consulting.bookings import changes, due, slots
from core.consulting.bookings import reminders as reminding
from core.consulting.bookings import service as bookings
from core.consulting.bookings.availability import local_instant
from tests.consulting.booking_chat import act_in, told_bookings
from tests.consulting.booking_fakes import ANN, BOB, staffed
from tests.consulting.helpers import confirmed, consultant, seeker, told
from tests.consulting.test_booking_paths import authorised
from tests.support.outbox import told_texts

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def reminders(app) -> int:
    return await due.remind_all(app.uow)


async def test_a_session_booked_before_the_autumn_changes_keeps_its_local_time():
    # Summer time on both sides: the diary and the booking's notices in memory.
    diary = staffed(at=datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    diary.consultant(ANN, "Ann", weekly_hours={"mon": [["09:00", "12:00"]]})
    diary.zones[BOB] = "America/New_York"
    chat, __ = told_bookings(diary)
    offered = await slots.open_slots(diary, ANN, 60, 14, "America/New_York")
    # After the EU change (25 Oct) and the US one (1 Nov): 09:00 in Riga is 02:00 in New York.
    nov_2 = local_instant(date(2026, 11, 2), "09:00", "Europe/Riga")
    assert nov_2 == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    firsts = {s.date(): s.strftime("%d %b %H:%M %Z") for s in reversed(offered)}
    assert [firsts[day] for day in sorted(firsts)] == [
        "26 Oct 03:00 EDT", "02 Nov 02:00 EST"]  # 09:00 in Riga both Mondays
    booking = await act_in(chat, bookings.request_slot, BOB, ANN, nov_2, None)
    booking = await act_in(chat, bookings.accept, booking.id, ANN)
    # When they go (the timers firing them once each: below, on the database).
    assert reminding.reminder_moments(nov_2) == [nov_2 - timedelta(hours=24),
                                                 nov_2 - timedelta(minutes=15)]
    await act_in(chat, reminding.tell, booking, timedelta(hours=24))
    room = f"\n🔗 Meeting link: {booking.meeting_url}"  # where they meet, in each reminder
    assert await told_texts(chat, ANN, "⏰") == [
        "⏰ Your 60-minute session with Bob starts in 24 hours: Mon 2 Nov, 09:00 (Europe/Riga)."
        + room]
    assert await told_texts(chat, BOB, "⏰") == [
        "⏰ Your 60-minute session with Ann starts in 24 hours: Mon 2 Nov, 02:00 "
        "(America/New_York)." + room]
    await act_in(chat, reminding.tell, booking, timedelta(minutes=15))
    assert (await told_texts(chat, BOB, "⏰"))[-1].startswith(
        "⏰ Your 60-minute session with Ann starts in 15 minutes")
    assert (await told_texts(chat, ANN, "⏰"))[-1].endswith(room)


async def test_a_reminder_goes_once_per_start_time_across_a_reschedule(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10 - timedelta(hours=23)
    assert await reminders(app) == 2
    async with app.uow() as uow:
        await changes.propose_reschedule(uow, booking.id, bob.id, [MONDAY_10 + timedelta(days=1)])
        await uow.commit()
    assert await reminders(app) == 0  # waiting for consent: the same start was reminded
    async with app.uow() as uow:
        [new_time] = await _proposals(uow, booking.id, ann.id)
        await changes.answer_reschedule(uow, booking.id, ann.id, new_time)
        await uow.commit()
    assert await reminders(app) == 0  # the new time is 47 hours away
    clock._now = MONDAY_10 + timedelta(hours=1)
    assert await reminders(app) == 2
    assert (await told(app, ann.id, "⏰"))[-1].endswith(
        f"Tue 24 Nov, 10:00 (Europe/Riga).\n🔗 Meeting link: {booking.meeting_url}")


async def test_a_reminder_whose_moment_passed_before_confirmation_never_goes(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    clock._now = MONDAY_10 - timedelta(hours=10)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    assert await reminders(app) == 0
    clock._now = MONDAY_10 - timedelta(minutes=14)
    assert await reminders(app) == 2
    assert len(await told(app, bob.id, "⏰")) == 1


async def _proposals(uow, booking_id, actor_id):
    from core.consulting.bookings import service as bookings

    return [p.id for p in await bookings.proposals(uow, booking_id, actor_id)]
