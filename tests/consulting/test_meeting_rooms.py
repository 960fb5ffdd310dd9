"""Every session has its place to meet: the consultant's own link, or a room on the meeting
server (`AGORA_MEETING_BASE`) that nobody can guess, given when the booking is confirmed and
kept through a reschedule. The two parties find it in the confirmation, the calendar invite,
the reminders, the booking card, /bookings and the call to join — an admin, a third person and
the consultant's public page never do. The clock starts on Friday 20 November 2026, 12:00 UTC.
A room kept through a reschedule, with its notices, runs in memory
(`tests/consulting/booking_chat.py`); the confirmation's invite, on the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from conversations.messages import ListPage
from core.catalog.media import FileStore
from core.consulting import views
from core.consulting.bookings import calendar, changes, due
from core.consulting.bookings import service as bookings
from core.consulting.profiles import service as profiles
from core.consulting.sessions import from_booking
from core.consulting.sessions import service as sessions
from core.consulting.tables import Booking
from core.errors import NotFound
from core.public import consultants as public
from tests.consulting import booking_fakes as memory
from tests.consulting.booking_chat import act_in, told_bookings
from tests.consulting.booking_fakes import ANN, BOB, staffed
from tests.consulting.chat_fakes import copied, in_chat, listed, reading
from tests.consulting.fakes import MemoryListing
from tests.consulting.helpers import confirmed, consultant, seeker, told
from tests.consulting.session_support import act, talk_now_accepted
from tests.consulting.test_booking_paths import authorised
from tests.support import containers
from tests.support.accounts import registered
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga
OWN = "https://zoom.us/j/8123456789?pwd=ann"
ROOM = re.compile(r"https://meet\.jit\.si/Agora-[A-Za-z0-9_-]{22}")  # 16 random bytes


async def _room(app, booking_id: int) -> str | None:
    async with app.uow() as uow:
        booking = await uow.session.get(Booking, booking_id)
        assert booking is not None
        return booking.meeting_url


async def _invite(app, booking_id: int):
    attachment = await app.attachments["booking-invite"](f"{booking_id}:REQUEST")
    [event] = Calendar.from_ical(attachment.content).walk("VEVENT")
    return event


async def test_a_confirmed_booking_gets_a_room_nobody_can_guess_on_the_meeting_server():
    diary = staffed()
    request = await memory.booked(diary, BOB, ANN, MONDAY_10)
    assert request.meeting_url is None  # a request has no room yet
    first = await memory.confirmed(diary, BOB, ANN, MONDAY_10 + timedelta(days=1))
    second = await memory.confirmed(diary, BOB, ANN, MONDAY_10 + timedelta(days=2))
    rooms = [first.meeting_url, second.meeting_url]
    assert all(ROOM.fullmatch(room or "") for room in rooms), rooms
    assert rooms[0] != rooms[1]  # one room per booking


async def test_a_consultant_with_their_own_link_meets_there():
    diary = staffed()
    diary.profiles[ANN].meeting_url = OWN
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    assert booking.meeting_url == OWN


async def test_the_room_is_on_the_server_the_settings_name(db_url, clock, mailbox, tmp_path):
    settings = containers.settings_for(db_url, data_dir=str(tmp_path / "data"),
                                       meeting_base="https://meet.example.org/agora")
    async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
        ann, bob = await consultant(app), await seeker(app)
        booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
        room = await _room(app, booking.id)
    assert re.fullmatch(r"https://meet\.example\.org/agora/Agora-[A-Za-z0-9_-]{22}", room or "")


async def test_both_parties_are_told_where_to_meet_in_the_confirmation_and_the_invite(app):
    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    room = await _room(app, booking.id)
    for party in (ann, bob):
        [said] = await told(app, party.id, "✅ Confirmed")
        assert f"\n🔗 Meeting link: {room}" in said, said
    event = await _invite(app, booking.id)
    assert str(event["LOCATION"]) == room and str(event["URL"]) == room
    assert room in str(event["DESCRIPTION"])


async def test_the_reminders_say_where_to_meet(app, clock):
    ann, bob = await consultant(app, meeting_url=OWN), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    for before in (timedelta(hours=23), timedelta(minutes=14)):
        clock._now = MONDAY_10 - before
        assert await due.remind_all(app.uow) == 2
    for party in (ann, bob):
        reminders = await told(app, party.id, "⏰")
        assert len(reminders) == 2
        assert all(r.endswith(f"\n🔗 Meeting link: {OWN}") for r in reminders), reminders


async def test_a_reschedule_keeps_the_room(tmp_path):
    diary, listing = staffed(), MemoryListing()  # the diary and the booking's notices in memory
    await listed(diary, listing, FileStore(tmp_path), ANN, "Ann")
    chat, __ = told_bookings(diary, listing=listing)
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    room = booking.meeting_url
    # Setting a link of her own later changes where new bookings meet, not this one.
    await profiles.save(listing.roster, ANN, meeting_url=OWN)
    copied(diary, listing, ANN)  # the one profile the database's two stores read
    assert diary.profiles[ANN].meeting_url == OWN
    await act_in(chat, changes.propose_reschedule, booking.id, BOB,
                 [MONDAY_10 + timedelta(days=1)])
    [new_time] = [p.id for p in await bookings.proposals(diary, booking.id, ANN)]
    await act_in(chat, changes.answer_reschedule, booking.id, ANN, new_time)
    assert diary.bookings[booking.id].meeting_url == room
    for party in (ANN, BOB):
        [said] = await told_texts(chat, party, "✅ Rescheduled")
        assert f"🔗 Meeting link: {room}" in said
    attachment = await calendar.booking_invite(diary, booking.id, "REQUEST")
    [event] = Calendar.from_ical(attachment.content).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1 and str(event["LOCATION"]) == room


async def test_only_the_two_parties_see_where_they_meet(app):
    ann, bob = await consultant(app, meeting_url=OWN), await seeker(app)
    root = await registered(app, "root")  # an admin (the app's AGORA_ADMINS)
    eve = await seeker(app, "eve")
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        for party in (ann, bob):
            assert (await views.booking_card(uow, booking.id, party.id)).meeting_url == OWN
        assert (await views.booking_card(uow, booking.id, root.id)).meeting_url is None
        assert (await changes.session_terms(uow, booking.id, root.id)).meeting_url is None
        assert (await changes.session_terms(uow, booking.id, None)).meeting_url == OWN
        with pytest.raises(NotFound):
            await views.booking_card(uow, booking.id, eve.id)
        page = await views.consultant_view(uow, ann.id, eve.id, "Europe/Riga")
        shown = await public.consultant(uow, ann.id)
    assert OWN not in repr(page) and OWN not in repr(shown)
    assert await told(app, eve.id, OWN) == [] and await told(app, root.id, OWN) == []


async def test_a_cancelled_bookings_card_no_longer_shows_the_room():
    diary = staffed()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    assert (await views.booking_card(reading(diary), booking.id, BOB)).meeting_url
    await changes.cancel(diary, booking.id, ANN)
    assert (await views.booking_card(reading(diary), booking.id, BOB)).meeting_url is None


async def test_the_booking_card_and_bookings_in_chat_show_the_link_to_each_party():
    diary = staffed()
    diary.profiles[ANN].meeting_url = OWN
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    chat = await in_chat(diary)  # on the consultants' fakes
    for name in ("ann", "bob"):
        user = ChatUser(chat, name)
        await user.say(f"/start booking-{booking.id}")
        assert f"🔗 Meeting link: {OWN}" in user.texts(), user.texts()
        await user.say("/bookings")
        [page] = [r for r in user.last if isinstance(r, ListPage)]
        assert f"🔗 Meeting link: {OWN}" in page.items[0].subtitle


async def test_talk_now_meets_in_the_bookings_room_and_the_session_shares_it(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    request_id = await talk_now_accepted(app, clock, ann.id, bob.id)
    room = await _room(app, request_id)
    assert ROOM.fullmatch(room or "")
    assert f"🔗 Meeting link: {room}" in (await told(app, bob.id, "“talk now” is confirmed"))[0]
    [called] = await told(app, ann.id, "starts now")
    assert called.endswith(f"\n📞 Call: {room}")
    async with app.uow() as uow:
        session = await from_booking.of_booking(uow, request_id, None)
        assert session is not None and session.call_link == room
        session_id = session.id
    assert await act(app, sessions.set_call_link, session_id, ann.id) == room  # shared again
    other = "https://teams.microsoft.com/l/meetup-join/abc"
    assert await act(app, sessions.set_call_link, session_id, ann.id, other) == other
    assert await _room(app, request_id) == room  # the booking's room stays
