"""Webinars end to end in chat (the terminal driver) on a fake clock: an admin publishes one
with its start in their own zone; a member registers and gets a calendar invite (read back with
icalendar); reminders go once 24 h and 15 min before, in each person's zone; the join link
arrives at the start, once; the recording link reaches the registrants when it is added.
Publishing's checks and refused buttons run in memory: test_webinars_in_memory_chat.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from conversations.messages import Choice, FileReply
from core.learning import due
from core.learning.tables import Gathering
from tests.community.helpers import told
from tests.support.accounts import registered
from tests.support.chat import ChatUser

JOIN = "https://meet.example.org/pellet-webinar"
# The fake clock starts at 2026-11-20 12:00 UTC; Riga is UTC+2 in winter.
STARTS = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


async def publish_webinar(app) -> ChatUser:
    root = ChatUser(app, "root")
    await root.say("/publish")
    await root.tap("A webinar")
    await root.say("Pellet quality after the EN 17225 revision")
    assert "Europe/Riga" in root.texts()
    await root.say("2026-11-25 15:00")  # 15:00 in Riga
    await root.tap("60 min")
    await root.say(JOIN)
    await root.tap("Skip")
    assert "Published 🎙 Webinar" in root.texts() and "Wed 25 Nov, 15:00 (Europe/Riga)" in root.texts()
    return root


def invite_of(replies) -> Calendar:
    [ics] = [r for r in replies if isinstance(r, FileReply)]
    assert ics.mime_type == "text/calendar"
    return Calendar.from_ical(ics.content)


async def test_a_webinar_from_registration_to_recording(app, clock):
    await registered(app, "root", timezone="Europe/Riga")
    ann = await registered(app, "ann", timezone="America/New_York")
    bob = await registered(app, "bob", timezone="Asia/Tokyo")
    root = await publish_webinar(app)
    async with app.uow() as uow:
        [webinar] = (await uow.session.execute(select(Gathering))).scalars()
        assert webinar.starts_at == STARTS and webinar.join_url == JOIN
        uow.session.expunge(webinar)

    ann_chat = ChatUser(app, "ann")
    await ann_chat.say("/events")
    assert "Wed 25 Nov, 08:00 (America/New_York)" in ann_chat.texts()
    assert JOIN not in ann_chat.texts()  # the link comes at the start only
    await ann_chat.tap("Pellet quality after")
    replies = await ann_chat.tap("Register")
    assert "You're registered" in ann_chat.texts()
    first = invite_of(replies)
    assert first["METHOD"] == "REQUEST"
    [event] = first.walk("VEVENT")
    assert event["UID"] == f"gathering-{webinar.id}@agora.invalid"
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == STARTS + timedelta(minutes=60)
    again = invite_of(await ann_chat.tap("Calendar invite"))
    assert [e["UID"] for e in again.walk("VEVENT")] == [event["UID"]]
    bob_chat = ChatUser(app, "bob")
    await bob_chat.send(Choice(f"@do:view_gathering:rsvp:{webinar.id}:going"))
    assert "You're registered" in bob_chat.texts()

    # Nothing before the 24 h mark; then once, in each person's zone.
    clock.advance(days=4, hours=0, minutes=59)  # 2026-11-24 12:59 UTC
    assert await due.remind_all(app.uow) == 0
    clock.advance(minutes=2)
    assert await due.remind_all(app.uow) == 2
    assert await due.remind_all(app.uow) == 0
    [to_ann] = await told(app, ann.id, "starts in 24 hours")
    assert "Wed 25 Nov, 08:00 (America/New_York)" in to_ann["text"]
    [to_bob] = await told(app, bob.id, "starts in 24 hours")
    assert "Wed 25 Nov, 22:00 (Asia/Tokyo)" in to_bob["text"]
    clock.advance(hours=23, minutes=44)  # 12:45 on the day
    assert await due.remind_all(app.uow) == 2
    assert await due.remind_all(app.uow) == 0
    assert len(await told(app, ann.id, "starts in 15 minutes")) == 1
    assert await told(app, ann.id, JOIN) == []

    # The join link at the start, once.
    assert await gatherings_started(app) == []
    clock.advance(minutes=15)
    assert await due.run_all(app.uow) == [webinar.id]
    assert await due.run_all(app.uow) == []
    [start] = await told(app, ann.id, JOIN)
    assert "starts now" in start["text"]
    assert len(await told(app, bob.id, JOIN)) == 1

    # Afterwards the admin adds the recording; the registrants are told.
    clock.advance(hours=2)
    await root.send(Choice(f"@do:view_gathering:{webinar.id}"))
    await root.tap("Add the recording")
    await root.say("not a link")
    assert "web address" in root.texts()
    await root.say("https://video.example.org/rec/42")
    assert "Added" in root.texts()
    for person in (ann, bob):
        [rec] = await told(app, person.id, "recording of")
        assert "https://video.example.org/rec/42" in rec["text"]


async def gatherings_started(app) -> list[int]:
    async with app.uow() as uow:
        return list((await uow.session.execute(select(Gathering.id).where(
            Gathering.status == "started"))).scalars())