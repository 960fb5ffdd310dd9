"""Calendar invites read back with the same library: one UID per booking, SEQUENCE raised by a
reschedule, REQUEST when agreed and CANCEL when called off, times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from core.consulting.bookings import calendar, changes
from tests.consulting.helpers import confirmed, consultant, seeker

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def invite_of(app, booking_id, method):
    render = app.attachments[calendar.KIND]
    attachment = await render(f"{booking_id}:{method}")
    assert attachment.mime_type == "text/calendar"
    assert attachment.file_name == f"agora-booking-{booking_id}.ics"
    cal = Calendar.from_ical(attachment.content)
    [event] = cal.walk("VEVENT")
    return cal, event


async def test_an_invite_reads_back_with_its_uid_times_and_parties(app):
    ann = await consultant(app, meeting_url="https://meet.example.com/ann")
    bob = await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    cal, event = await invite_of(app, booking.id, "REQUEST")
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


async def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    _, before = await invite_of(app, booking.id, "REQUEST")
    async with app.uow() as uow:
        await changes.propose_reschedule(uow, booking.id, ann.id, [MONDAY_10 + timedelta(days=1)])
        await uow.commit()
    async with app.uow() as uow:
        from core.consulting.bookings import service as bookings

        [new_time] = await bookings.proposals(uow, booking.id, bob.id)
        await changes.answer_reschedule(uow, booking.id, bob.id, new_time.id)
        await uow.commit()
    _, after = await invite_of(app, booking.id, "REQUEST")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == MONDAY_10 + timedelta(days=1)


async def test_a_cancellation_is_a_cancel_of_the_same_uid_with_a_higher_sequence(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        await changes.cancel(uow, booking.id, bob.id)
        await uow.commit()
    cal, event = await invite_of(app, booking.id, "CANCEL")
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
