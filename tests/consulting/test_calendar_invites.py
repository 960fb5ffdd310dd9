"""Calendar invites read back with the same library: one UID per booking, SEQUENCE raised by a
reschedule, REQUEST when agreed and CANCEL when called off, times in UTC. Rendered from the
bookings' diary in memory (`tests/consulting/booking_fakes.py`); the invite a notice carries,
through the dispatchers' renderer, on the database (`test_meeting_rooms.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from core.consulting.bookings import calendar, changes
from core.consulting.bookings import service as bookings
from tests.consulting import booking_fakes as memory
from tests.consulting.booking_fakes import ANN, BOB, MemoryDiary, staffed

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def diary_with_addresses() -> MemoryDiary:
    """Ann, Bob (and the rest of `staffed`), with the addresses registration gives them."""
    diary = staffed()
    diary.addresses.update({ANN: "ann@example.com", BOB: "bob@example.com"})
    return diary


async def invite_of(diary, booking_id, method):
    attachment = await calendar.booking_invite(diary, booking_id, method)
    assert attachment.mime_type == "text/calendar"
    assert attachment.file_name == f"agora-booking-{booking_id}.ics"
    cal = Calendar.from_ical(attachment.content)
    [event] = cal.walk("VEVENT")
    return cal, event


async def test_an_invite_reads_back_with_its_uid_times_and_parties():
    diary = diary_with_addresses()
    diary.profiles[ANN].meeting_url = "https://meet.example.com/ann"
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    cal, event = await invite_of(diary, booking.id, "REQUEST")
    assert str(cal["METHOD"]) == "REQUEST" and str(cal["VERSION"]) == "2.0"
    assert str(event["UID"]) == f"booking-{booking.id}@agora.invalid"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == MONDAY_10
    assert event.decoded("DTEND") == MONDAY_10 + timedelta(minutes=60)
    assert event.decoded("DTSTART").tzinfo is not None
    assert "Z" in event["DTSTART"].to_ical().decode()  # written in UTC
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:ann@example.com"
    assert event["ORGANIZER"].params["CN"] == "Ann"
    assert str(event["ATTENDEE"]) == "mailto:bob@example.com"
    assert str(event["LOCATION"]) == "https://meet.example.com/ann"


async def test_a_reschedule_keeps_the_uid_and_raises_the_sequence():
    diary = diary_with_addresses()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    _, before = await invite_of(diary, booking.id, "REQUEST")
    await changes.propose_reschedule(diary, booking.id, ANN, [MONDAY_10 + timedelta(days=1)])
    [new_time] = await bookings.proposals(diary, booking.id, BOB)
    await changes.answer_reschedule(diary, booking.id, BOB, new_time.id)
    _, after = await invite_of(diary, booking.id, "REQUEST")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == MONDAY_10 + timedelta(days=1)


async def test_a_cancellation_is_a_cancel_of_the_same_uid_with_a_higher_sequence():
    diary = diary_with_addresses()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    await changes.cancel(diary, booking.id, BOB)
    cal, event = await invite_of(diary, booking.id, "CANCEL")
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"booking-{booking.id}@agora.invalid"
    assert int(event["SEQUENCE"]) == 1


def test_an_invite_without_email_addresses_still_names_both_parties():
    data = calendar.invite(7, MONDAY_10, 30, 2, "REQUEST", calendar.Party("Ann", None),
                           calendar.Party("Bob", None), MONDAY_10 - timedelta(days=1))
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:consultant-7@agora.invalid"
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
