"""A seeker moves a confirmed session to another of the consultant's free times in one step from
the booking card, while cancelling would still be free: the consultant is told, the invite's
sequence rises, the reminders follow the new time and the consultant's own calendar is moved.
Later than that, the card offers no such step and core refuses it. The clock starts on Friday
20 November 2026 at 12:00 UTC (14:00 in Riga). Who may move it where runs on the bookings'
diary in memory (`tests/consulting/booking_fakes.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.consulting.bookings import changes
from core.consulting.tables import Booking
from core.errors import Conflict, NotAllowed
from core.process.tables import ProcessTimer
from tests.consulting import booking_fakes as memory
from tests.consulting.booking_fakes import ANN, BOB, EVE, staffed
from tests.consulting.chat_fakes import in_chat
from tests.consulting.helpers import confirmed, consultant, seeker, told
from tests.support.chat import ChatUser

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def booking_row(app, booking_id):
    """The booking's row as it is now (read, then let go of)."""
    async with app.uow() as uow:
        row = await uow.session.get(Booking, booking_id)
        uow.session.expunge(row)
        return row


async def test_the_seeker_moves_the_session_in_one_step_from_the_booking_card(app):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    bob_chat = ChatUser(app, "bob")
    await bob_chat.say(f"/start booking-{booking.id}")
    await bob_chat.tap("Move to another free time")
    assert "Move the session to one of these free times (Europe/Riga)" in bob_chat.texts()
    await bob_chat.tap("Sat 21 Nov, 10:00")  # the soonest free times are offered
    assert "Moved; the consultant is told" in bob_chat.texts()

    moved = await booking_row(app, booking.id)
    assert moved.status == "confirmed" and moved.starts_at == MONDAY_10 - timedelta(days=2)
    assert moved.sequence == booking.sequence + 1 and moved.meeting_url == booking.meeting_url
    assert [t for t in await told(app, ann.id) if "Rescheduled: your session with Bob" in t]
    async with app.uow() as uow:  # the reminders and the payment's timers count to the new time
        due = list((await uow.session.execute(select(ProcessTimer.due_at).where(
            ProcessTimer.subject_id == booking.id, ProcessTimer.process == "booking",
            ProcessTimer.fires == "open-session", ProcessTimer.done_at.is_(None)))).scalars())
    assert due == [moved.starts_at]


async def test_within_the_free_cancellation_window_the_card_offers_no_move_and_core_refuses():
    diary = staffed()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    diary.at = MONDAY_10 - timedelta(hours=20)  # cancelling would cost the late fee now
    bob_chat = ChatUser(await in_chat(diary), "bob")
    await bob_chat.say(f"/start booking-{booking.id}")
    assert "Move to another free time" not in bob_chat.labels()
    assert "Propose a new time" in " ".join(bob_chat.labels())
    with pytest.raises(Conflict, match="too late to move this session by yourself"):
        await changes.move(diary, booking.id, BOB, MONDAY_10 + timedelta(hours=3))


async def test_a_move_to_a_taken_time_is_refused_and_the_consultant_cannot_move_it_alone():
    diary = staffed()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    await memory.confirmed(diary, EVE, ANN, MONDAY_10 + timedelta(hours=3))
    with pytest.raises(Conflict, match="just taken"):
        await changes.move(diary, booking.id, BOB, MONDAY_10 + timedelta(hours=3))
    with pytest.raises(NotAllowed):  # the consultant proposes; the seeker consents
        await changes.move(diary, booking.id, ANN, MONDAY_10 + timedelta(hours=5))
    assert (await diary.booking(booking.id)).starts_at == MONDAY_10
