"""A consultant's own calendar, in a real CalDAV server (Radicale, started here): its busy times
keep those slots off every way of booking, a held slot the calendar filled since is refused at
confirmation (the calendar read again outside the transaction first), bookings are written into
it, moved and removed by their UID, a failure is told once and Agora's hours still work, the
app password is sealed at rest, and every member has a private feed of their bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bots.server import create_app
from core.consulting.bookings import changes, slots
from core.consulting.bookings import service as bookings
from core.consulting.bookings.calendar import uid
from core.consulting.calendars.tables import CalendarBusy, ConnectedCalendar
from core.consulting.profiles import service as profiles
from core.errors import Conflict, DomainError
from core.storage.tables import Conversation
from tests.consulting.helpers import booked, confirmed, consultant, seeker, status
from tests.deals.chat_helpers import last_notice
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts
from tests.support.radicale import add_event, events, make_calendar, running_radicale

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga
MONDAY_14 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def vevent(name: str, start: datetime, end: datetime, extra: str = "") -> str:
    """A calendar app's event, in UTC."""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{name}@example.org\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n{extra}"
            f"SUMMARY:{name}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def radicale(tmp_path):
    with running_radicale(tmp_path / "radicale") as server:
        yield server


async def connected(app, radicale, account, name: str = "Work") -> str:
    """The consultant's calendar `name` in Radicale, connected to Agora; its URL."""
    url = make_calendar(radicale, name.lower(), name)
    view = await app.calendars.connect(account.id, "caldav", radicale.url, radicale.username,
                                       radicale.password)
    assert view.name == name and view.status == "ok" and view.writes
    return url


async def offered(app, consultant_id: int) -> list[datetime]:
    async with app.uow() as uow:
        return await slots.open_slots(uow, consultant_id, 60, 7, "Europe/Riga")


async def test_busy_times_of_the_consultants_calendar_are_never_offered_nor_booked(app, radicale):
    ann, bob = await consultant(app, "ann", buffer_minutes=15), await seeker(app, "bob")
    url = make_calendar(radicale, "work", "Work")
    add_event(radicale, url, vevent("dentist", MONDAY_10, MONDAY_10 + timedelta(hours=1)))
    daily = MONDAY_14 + timedelta(hours=1)  # 15:00 in Riga, Monday to Wednesday but Tuesday
    add_event(radicale, url, vevent("standup", daily, daily + timedelta(minutes=30),
                                    "RRULE:FREQ=DAILY;COUNT=3\r\n"
                                    f"EXDATE:{daily + timedelta(days=1):%Y%m%dT%H%M%SZ}\r\n"))
    noon = MONDAY_10 + timedelta(hours=2)
    add_event(radicale, url, vevent("free-time", noon, noon + timedelta(hours=1),
                                    "TRANSP:TRANSPARENT\r\n"))
    before = await offered(app, ann.id)
    assert {MONDAY_10, noon, daily, daily + timedelta(days=1), daily + timedelta(days=2)} <= set(before)

    await app.calendars.connect(ann.id, "caldav", radicale.url, radicale.username,
                                radicale.password)
    after = set(await offered(app, ann.id))
    assert MONDAY_10 not in after and MONDAY_10 - timedelta(minutes=30) not in after  # + buffer
    assert daily not in after and daily + timedelta(days=2) not in after
    assert daily + timedelta(days=1) in after  # that day's standup was cancelled (EXDATE)
    assert noon in after  # an event marked free keeps the time free
    async with app.uow() as uow:
        with pytest.raises(Conflict, match="just taken"):
            await bookings.request_slot(uow, bob.id, ann.id, MONDAY_10)
        many = await slots.busy_of_many(uow, [ann.id], MONDAY_10 - timedelta(days=1),
                                        MONDAY_10 + timedelta(days=1))
    assert (MONDAY_10, MONDAY_10 + timedelta(hours=1)) in many[ann.id]  # the directory's too


async def test_talk_now_is_refused_while_the_calendar_is_busy(app, radicale, clock):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    url = await connected(app, radicale, ann)
    now = clock.now()
    add_event(radicale, url, vevent("call", now - timedelta(minutes=10), now + timedelta(hours=1)))
    assert await app.calendars.refresh(ann.id)
    async with app.uow() as uow:
        await profiles.set_online(uow, ann.id, True)
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(Conflict, match="busy now"):
            await bookings.request_now(uow, bob.id, ann.id)


async def test_the_daily_maximum_counts_sessions_not_the_calendars_meetings(app, radicale):
    ann, bob = await consultant(app, "ann", daily_max=1), await seeker(app, "bob")
    url = await connected(app, radicale, ann)
    add_event(radicale, url, vevent("board", MONDAY_10, MONDAY_10 + timedelta(hours=1)))
    assert await app.calendars.refresh(ann.id)
    assert MONDAY_14 in await offered(app, ann.id)
    await confirmed(app, bob.id, ann.id, MONDAY_14)
    assert not [t for t in await offered(app, ann.id) if t.date() == MONDAY_14.date()]


async def accepted_in_chat(app, radicale, clock, event: str):
    """Bob holds Monday 14:00 with Ann; `event` goes into her calendar, and Ann, whose
    calendar was read longer ago than a confirmation trusts, taps Accept in chat."""
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    url = await connected(app, radicale, ann)
    booking = await booked(app, bob.id, ann.id, MONDAY_14)
    add_event(radicale, url, event)
    clock.advance(minutes=2)
    ann_chat = ChatUser(app, "ann")
    await last_notice(app, ann_chat, "asks")
    await ann_chat.tap("Accept")
    return ann, booking, ann_chat


async def test_a_held_slot_the_calendar_filled_since_is_refused_when_the_consultant_accepts(
        app, radicale, clock):
    ann, booking, ann_chat = await accepted_in_chat(app, radicale, clock, vevent(
        "school-run", MONDAY_14, MONDAY_14 + timedelta(minutes=45)))
    assert "Your calendar has something else at that time now" in ann_chat.texts()
    assert await status(app, booking.id) == "requested"
    async with app.uow() as uow:  # read during the press, outside its transaction
        row = await uow.session.get(ConnectedCalendar, ann.id)
        assert row is not None and row.synced_at == clock.now()


async def test_a_held_slot_still_free_in_the_calendar_is_confirmed_after_reading_it(
        app, radicale, clock):
    ann, booking, ann_chat = await accepted_in_chat(app, radicale, clock, vevent(
        "lunch", MONDAY_10, MONDAY_10 + timedelta(minutes=45)))
    assert "Confirmed" in ann_chat.texts()
    assert await status(app, booking.id) == "confirmed"
    async with app.uow() as uow:
        spans = list((await uow.session.execute(select(CalendarBusy.starts_at).where(
            CalendarBusy.account_id == ann.id))).scalars())
    assert spans == [MONDAY_10]  # read again before confirming: the lunch is known


async def test_bookings_are_written_moved_and_removed_in_the_consultants_calendar(app, radicale):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    url = await connected(app, radicale, ann)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_14)
    await app.dispatcher.run_once()
    [event] = events(radicale, url)
    assert str(event["UID"]) == uid(booking.id)
    assert event.decoded("DTSTART") == MONDAY_14 and "METHOD" not in event.to_ical().decode()

    # Read back, Agora's own event is not a busy time of its own: the booking is moved an hour.
    assert await app.calendars.refresh(ann.id)
    later = MONDAY_14 + timedelta(minutes=30)
    async with app.uow() as uow:
        await changes.propose_reschedule(uow, booking.id, ann.id, [later])
        await uow.commit()
    async with app.uow() as uow:
        [proposal] = await bookings.proposals(uow, booking.id, bob.id)
        await changes.answer_reschedule(uow, booking.id, bob.id, proposal.id)
        await uow.commit()
    await app.dispatcher.run_once()
    [event] = events(radicale, url)
    assert str(event["UID"]) == uid(booking.id) and event.decoded("DTSTART") == later

    async with app.uow() as uow:
        await changes.cancel(uow, booking.id, ann.id)
        await uow.commit()
    await app.dispatcher.run_once()
    assert events(radicale, url) == []


async def test_a_calendar_connected_later_gets_the_bookings_already_confirmed(app, radicale):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    booking = await confirmed(app, bob.id, ann.id, MONDAY_14)
    url = await connected(app, radicale, ann)
    await app.dispatcher.run_once()
    assert [str(e["UID"]) for e in events(radicale, url)] == [uid(booking.id)]


async def test_a_failing_calendar_is_told_once_and_agora_hours_still_work(app, radicale):
    ann = await consultant(app, "ann")
    url = await connected(app, radicale, ann)
    add_event(radicale, url, vevent("dentist", MONDAY_10, MONDAY_10 + timedelta(hours=1)))
    assert await app.calendars.refresh(ann.id)
    radicale.stop()
    assert not await app.calendars.refresh(ann.id)
    assert not await app.calendars.refresh(ann.id)
    trouble = [t for t in await told_texts(app, ann.id) if "does not answer" in t]
    assert len(trouble) == 1 and "Agora hours alone decide" in trouble[0]
    free = await offered(app, ann.id)
    assert free and MONDAY_10 not in free  # the busy times last read still count

    radicale.start()
    assert await app.calendars.refresh(ann.id)
    assert [t for t in await told_texts(app, ann.id) if "is read again" in t]


async def test_a_refused_password_is_said_plainly_and_nothing_is_kept(app, radicale):
    ann = await consultant(app, "ann")
    make_calendar(radicale, "work", "Work")
    with pytest.raises(DomainError, match="refused that user name and password"):
        await app.calendars.connect(ann.id, "caldav", radicale.url, radicale.username, "wrong")
    async with app.uow() as uow:
        assert await uow.session.get(ConnectedCalendar, ann.id) is None


async def test_the_app_password_is_sealed_at_rest_and_never_shown(app, radicale):
    ann = await consultant(app, "ann")
    await connected(app, radicale, ann)
    async with app.uow() as uow:
        row = await uow.session.get(ConnectedCalendar, ann.id)
        assert row is not None
        stored = " ".join(str(v) for v in (row.address_sealed, row.password_sealed, row.username,
                                            row.host, row.calendar_url, row.name))
        assert radicale.password not in stored and row.host == "127.0.0.1"
        assert app.calendars.access_of(row).password == radicale.password
    ann_chat = ChatUser(app, "ann")
    await ann_chat.say("/calendar")
    assert "Work at 127.0.0.1" in ann_chat.texts() and radicale.password not in ann_chat.texts()


async def test_a_consultant_connects_their_calendar_in_chat(app, radicale):
    ann = await consultant(app, "ann")
    make_calendar(radicale, "work", "Work")
    ann_chat = ChatUser(app, "ann")
    await ann_chat.say("/calendar")
    assert "No calendar connected" in ann_chat.texts()
    await ann_chat.tap("CalDAV")
    await ann_chat.say(radicale.url)
    await ann_chat.say(radicale.username)
    await ann_chat.say("wrong-password")
    assert "refused that user name and password" in ann_chat.texts()
    await ann_chat.tap("CalDAV")
    await ann_chat.say(radicale.url)
    await ann_chat.say(radicale.username)
    await ann_chat.say(radicale.password)
    assert "Connected: Work" in ann_chat.texts()
    async with app.uow() as uow:
        assert (await uow.session.get(ConnectedCalendar, ann.id)) is not None
        kept = [(c.data, c.history) for c in (await uow.session.execute(select(Conversation)))
                .scalars()]
    assert kept and radicale.password not in str(kept)  # not kept with the conversation


async def test_each_member_subscribes_to_a_private_feed_of_their_bookings(app):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    booking = await confirmed(app, bob.id, ann.id, MONDAY_14)
    bob_chat = ChatUser(app, "bob")
    await bob_chat.say("/calendar")
    [address] = [w for w in bob_chat.texts().split() if w.endswith(".ics")]
    path = "/" + address.split("/", 3)[3]
    transport = httpx.ASGITransport(app=create_app(app, run_workers=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://agora.test") as web:
        feed = await web.get(path)
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        assert uid(booking.id) in feed.text and "Agora session with Ann" in feed.text
        await bob_chat.tap("New private address")
        assert (await web.get(path)).status_code == 404
        assert (await web.get("/feeds/bookings/not-a-token.ics")).status_code == 404


async def test_a_session_the_seeker_moves_is_moved_in_the_consultants_calendar(app, radicale):
    ann, bob = await consultant(app, "ann"), await seeker(app, "bob")
    url = await connected(app, radicale, ann)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_14)
    await app.dispatcher.run_once()
    later = MONDAY_14 + timedelta(hours=2)
    async with app.uow() as uow:
        await changes.move(uow, booking.id, bob.id, later, app.calendars)
        await uow.commit()
    await app.dispatcher.run_once()
    [event] = events(radicale, url)
    assert str(event["UID"]) == uid(booking.id) and event.decoded("DTSTART") == later
    assert int(event["SEQUENCE"]) == 1
