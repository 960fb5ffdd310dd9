"""The consultant marketplace end to end across channels: a consultant on Telegram (the real
python-telegram-bot application against a fake Bot API) builds a profile with a photo and goes
live; a seeker on Slack (signed requests into the real slack-bolt app) finds them, books a free
time, authorises on the sandbox page; the consultant accepts; at the start both join, talk with
the clock, the seeker ends at minute 25 (charged, commission deducted, paid out), reviews in a
modal; the consultant reads the figures with a chart on Telegram. Her own calendar (a real CalDAV
server, Radicale), connected on Telegram, keeps her meeting off the seeker's free times and gets
the booking written into it."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from core.consulting.bookings import due
from core.consulting.bookings.calendar import uid
from core.consulting.tables import Booking
from core.money.model import Money
from tests.consulting.session_support import tick
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.radicale import connected_in_chat, events, running_radicale
from tests.support.two_channels import JPEG, SLACK_USER, TELEGRAM_USER

MEETING = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nBEGIN:VEVENT\r\n"
           "UID:audit-call@example.org\r\nDTSTAMP:20261101T000000Z\r\n"
           "DTSTART:20261120T140000Z\r\nDTEND:20261120T150000Z\r\nSUMMARY:Audit call\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")  # her first bookable hour today, 16:00 in Riga


@pytest.fixture
def radicale(tmp_path):
    with running_radicale(tmp_path / "radicale") as server:
        yield server


@pytest.mark.journey
async def test_a_telegram_consultant_and_a_slack_seeker_hold_a_paid_session(world, clock, radicale):
    app = world.app
    cora = await registered(app, str(TELEGRAM_USER), channel="telegram",
                            address=str(TELEGRAM_USER), roles=("consultant",),
                            display_name="Cora Lind", country="LV", city="Riga",
                            timezone="Europe/Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     roles=("seeker",), display_name="Sid", timezone="Europe/Berlin")

    # Cora's profile, one question at a time on Telegram, then a photo, then live.
    tg = world.sam
    await tg.say("/consultant", "Headline")
    await tg.say("Pellet quality auditor", "About you")
    await tg.say("Fifteen years auditing ENplus pellet plants and supply chains.", "Expertise")
    await tg.tap("Pellet quality", "Expertise")
    await tg.tap("Done", "Languages")
    await tg.say("English, Latvian", "How you charge")
    await tg.tap("Per session", "Session length")
    await tg.tap("60 minutes", "Price")
    await tg.say("90", "Weekly hours")
    await tg.say("Mon-Sun 08:00-20:00", "Still needed: a photo")
    await tg.tap("Photo", "Send a photo")
    world.telegram.files[f"P{TELEGRAM_USER}s1280"] = JPEG
    await tg.send(world.telegram.photo(TELEGRAM_USER), "tap Go live")  # the preview, with its button
    await tg.tap("Go live", "Legal name")  # her receipts' billing details, once
    await tg.tap("Keep", "Street address")
    await tg.say("Brīvības iela 10", "Postcode")
    await tg.say("LV-1010", "Town")
    await tg.tap("Keep", "Country")
    await tg.tap("Keep", "VAT number")
    await tg.tap("Skip", "Live: seekers can find and book you")

    # Her own calendar, connected on Telegram: its meeting today is busy time on Agora.
    work = await connected_in_chat(tg, radicale, MEETING)

    # Sid finds Cora on Slack (a typo forgiven) and books a free time.
    await world.bob.command("consultants")
    await _settle()
    await world.bob.dm("pelet qualty")
    await _settle()
    await world.bob_sees("Cora Lind")
    await world.bob_presses("View")
    await world.bob_sees("Next free (Europe/Berlin)")
    await world.bob_presses("Book a time")
    await world.bob_sees("Free times with Cora Lind")
    await world.bob_presses(":")  # the first free time (labels are times like “Fri 20 Nov 15:00”)
    await world.bob_sees("What would you like to discuss?")
    mark = world.telegram.mark()  # before the request: its notice may go out at once
    await world.bob.dm("Pellet moisture")
    await world.bob_sees("Requested")

    # Cora accepts on Telegram; Sid authorises on the sandbox page.
    await world.deliver()
    asked = await world.sam_told("asks for", mark)
    assert "asks for a 60-minute session" in asked and "Topic: Pellet moisture" in asked
    await tg.tap("Accept", "Confirmed")
    await world.deliver()
    await world.bob_sees("Authorise up to €90.00")
    async with app.uow() as uow:
        booking_id, starts_at = (await uow.session.execute(
            select(Booking.id, Booking.starts_at))).one()
    escrow = await app.payments.by_reference(f"booking:{booking_id}")
    assert escrow is not None and escrow.state == "awaiting_authorisation"
    assert starts_at >= datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # not during her meeting
    [written] = [e for e in events(radicale, work) if str(e["UID"]) == uid(booking_id)]
    assert written.decoded("DTSTART") == starts_at  # the booking, in her calendar
    paid = await world.http.post(urlparse(escrow.pay_url).path,
                                 data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200
    assert (await app.payments.get(escrow.id)).state == "authorised"

    # At the start both are called; they join and talk; Sid ends at minute 25.
    clock._now = starts_at
    assert await due.run_all(app.uow, app.payments)
    mark = world.telegram.mark()
    await world.deliver()
    await world.sam_told("starts now", mark)
    await tg.tap("Join", "Waiting for the other party")
    await world.bob_sees("starts now")
    await world.bob_presses("Join")
    await world.bob_sees("In session")
    await world.bob.dm("How do I prepare for the ENplus audit?")
    await _settle()
    mark = world.telegram.mark()
    await world.deliver()
    assert "ENplus audit" in await world.sam_told("ENplus audit", mark)
    clock.advance(minutes=25)
    await tick(app)  # the scheduler's session job took the paid time at minute 10 …
    await world.deliver()  # … and its notice reached both then, before the end
    await tg.say("Start with the moisture logs.", "· paid")
    await world.bob.dm("Thank you!")
    await _settle()
    await world.bob_presses("End the session")
    await world.bob_sees("is charged; the receipt follows")
    price = Money.parse("90", "EUR")
    assert (await app.payments.wallet(cora.id)).paid_out == [
        price - app.payments.commission_for("consulting", price)]

    # Sid reviews in a modal; Cora reads the figures with a chart.
    await world.deliver()
    await world.bob_sees("ended")
    await world.bob_presses("⭐ Review")
    await world.bob_fills({"stars": "5", "comment": "Clear and practical."})
    await world.bob_sees("review is published")
    mark = world.telegram.mark()
    await tg.say("/metrics", "Your consulting")
    chart = await world.telegram.wait_for("sendPhoto", since=mark)
    assert chart.params["chat_id"] == str(TELEGRAM_USER)
    assert "Sessions: 1 (1 paid), 25 minutes" in "\n".join(world.telegram.texts(TELEGRAM_USER))
