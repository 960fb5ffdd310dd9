"""The library and webinars across channels, end to end: an admin publishes a webinar and a PDF
report in the console; a Telegram member (the real python-telegram-bot application against a
fake Bot API) and a Slack member (signed requests into slack-bolt) each register in chat on
their own channel, each gets the calendar invite as a file, the reminders, the join link at the
start and the recording link afterwards; the Slack member opens the report from the library."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from core.learning import due
from tests.community.test_events_and_library import PDF
from tests.console.helpers import client, post_form, root, signed_in
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.tickets.helpers import with_admins

TITLE = "Pellet quality after the EN 17225 revision"
JOIN = "https://meet.example.org/pellet-webinar"
RECORDING = "https://video.example.org/rec/42"


def one_invite(files: list[bytes]) -> Calendar:
    [ics] = [f for f in files if f.startswith(b"BEGIN:VCALENDAR")]
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    assert TITLE in str(event["SUMMARY"]) and calendar["METHOD"] == "REQUEST"
    return calendar


async def publish_from_the_console(app, admin) -> None:
    async with client(app) as http:
        await signed_in(app, http, admin)
        webinar = await post_form(http, "/admin/learning", "/admin/learning/gathering",
                                  kind="webinar", title=TITLE, starts="2026-11-25T15:00",
                                  zone="Europe/Riga", minutes="60", join_url=JOIN, place="",
                                  description="What changed for A1 and A2 pellets.")
        assert webinar.status_code == 303, webinar.text
        page = (await http.get("/admin/learning")).text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        report = await http.post("/admin/learning/pdf", data={
            "csrf": csrf, "topic": "Pellet quality", "title": "ENplus A1 handbook"},
            files={"file": ("enplus-handbook.pdf", PDF, "application/pdf")})
        assert report.status_code == 303, report.text


async def add_recording(app, admin) -> None:
    async with client(app) as http:
        await signed_in(app, http, admin)
        added = await post_form(http, "/admin/learning", "/admin/learning/gatherings/1/recording",
                                url=RECORDING)
        assert added.status_code == 303, added.text


@pytest.mark.journey
async def test_a_console_webinar_reaches_telegram_and_slack_members_from_invite_to_recording(
        world, clock):
    app = world.app
    admin = await root(app)
    await with_admins(app, "terminal:root")
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     display_name="Sam", country="LV", city="Riga", timezone="Europe/Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn",
                     timezone="America/New_York")
    await publish_from_the_console(app, admin)

    # Each registers in chat on their own channel and gets the invite as a file.
    await world.sam.say("/events", "Webinars and events")
    await world.sam.tap("Pellet quality after", "Wed, 25 Nov, 15:00 (Europe/Riga)")
    await world.sam.tap("Register", "You're registered")
    sent = await world.telegram.wait_for("sendDocument", lambda p: p["chat_id"] == str(
        TELEGRAM_USER))
    assert "calendar" in str(sent.params.get("caption")).lower()
    one_invite(list(world.telegram.files.values()))

    await world.bob.command("events")
    await _settle()
    await world.bob_sees("Wed, 25 Nov, 08:00 (America/New_York)")
    await world.bob_presses("Pellet quality after")
    await world.bob_presses("Register")
    await world.bob_sees("You're registered")
    await world.slack.wait_for("files.completeUploadExternal")
    one_invite(list(world.slack.uploads.values()))
    assert JOIN not in " ".join(world.slack.posted_texts(SLACK_USER))  # not before the start

    # The reminders, each in the person's own zone.
    clock.advance(days=4, hours=1, minutes=1)  # 2026-11-24 13:01 UTC: 24 h before
    assert await due.remind_all(app.uow) == 2
    mark = world.telegram.mark()
    told = await world.sam_told("starts in 24 hours", mark)
    assert "Wed, 25 Nov, 15:00 (Europe/Riga)" in told
    reminded = await world.bob_sees("starts in 24 hours")
    assert "08:00 (America/New_York)" in str(reminded)

    # The join link at the start, once each.
    clock.advance(days=1)
    assert await due.run_all(app.uow) == [1]
    mark = world.telegram.mark()
    assert "starts now" in await world.sam_told(JOIN, mark)
    await world.bob_sees(JOIN)

    # The recording afterwards, added in the console.
    clock.advance(hours=2)
    await add_recording(app, admin)
    mark = world.telegram.mark()
    assert "recording of" in await world.sam_told(RECORDING, mark)
    await world.bob_sees(RECORDING)

    # The report, opened from the library on Slack, arrives as the PDF itself.
    before = len(world.slack.uploads)
    await world.bob.command("learn")
    await _settle()
    await world.bob_presses("Pellet quality (1)")
    await world.bob_presses("ENplus A1 handbook")
    await world.slack.wait_for("files.completeUploadExternal",
                               lambda p: len(world.slack.uploads) > before)
    assert PDF in list(world.slack.uploads.values())[before:]
