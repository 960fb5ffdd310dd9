"""The calendar adapter (bots/calendars) against a real CalDAV server (Radicale, started per
test) and a small local ICS feed: busy times in UTC with recurring events, their moved and
cancelled instances, all-day and free events; bookings written, moved and removed by UID; and
each failure told as the problem core shows the consultant. Then busy_spans alone, on the
iCalendar corners no server needs to be asked about."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bots.calendars import RemoteCalendars, busy_spans
from core.consulting.calendars.port import CalendarAccess, CalendarFound, CalendarUnreachable
from tests.support.radicale import (
    ASSISTANT,
    RadicaleServer,
    add_event,
    events,
    make_calendar,
    running_radicale,
)
from tests.support.servers import free_port, serve

MARCH = (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC))  # a Monday to a Monday
UID = "booking-7@agora.invalid"


@pytest.fixture
def radicale(tmp_path) -> Iterator[RadicaleServer]:
    with running_radicale(tmp_path / "radicale") as server:
        yield server


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(*pairs: tuple[str, str]) -> list[tuple[datetime, datetime]]:
    return [(utc(a), utc(b)) for a, b in pairs]


def vcalendar(*components: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Tests//EN\n" + head + "".join(components) + \
        "END:VCALENDAR\n"


def vevent(uid: str, *lines: str) -> str:
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260101T000000Z\n" + "".join(
        line + "\n" for line in lines) + "END:VEVENT\n"


def booking(start: str, minutes: int = 60, uid: str = UID) -> bytes:
    begin = utc(start)
    stamp = "%Y%m%dT%H%M%SZ"
    return vcalendar(vevent(uid, f"DTSTART:{begin.strftime(stamp)}",
                            f"DTEND:{(begin + timedelta(minutes=minutes)).strftime(stamp)}",
                            "SUMMARY:Agora session")).encode()


def own(radicale: RadicaleServer, calendar_url: str | None = None) -> CalendarAccess:
    return CalendarAccess("caldav", radicale.url, radicale.username, radicale.password,
                          calendar_url=calendar_url)


# --- busy times from a CalDAV calendar --------------------------------------------------------

WEEKLY = vcalendar(
    vevent("weekly", "DTSTART;TZID=Europe/Berlin:20260302T100000",
           "DTEND;TZID=Europe/Berlin:20260302T110000", "RRULE:FREQ=WEEKLY;COUNT=6",
           "EXDATE;TZID=Europe/Berlin:20260309T100000", "SUMMARY:Team call"),
    vevent("weekly", "RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000",  # moved to Tuesday 14:00
           "DTSTART;TZID=Europe/Berlin:20260317T140000", "DTEND;TZID=Europe/Berlin:20260317T150000"),
    vevent("weekly", "RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000",
           "DTSTART;TZID=Europe/Berlin:20260323T100000", "DTEND;TZID=Europe/Berlin:20260323T110000",
           "STATUS:CANCELLED"))


async def test_busy_times_are_read_in_utc_with_recurrences_moved_and_cancelled_as_the_calendar_says(
        radicale):
    work = make_calendar(radicale, "work", "Work")
    add_event(radicale, work, vcalendar(vevent(  # after the spring change: Berlin is UTC+2
        "dentist", "DTSTART;TZID=Europe/Berlin:20260331T150000",
        "DTEND;TZID=Europe/Berlin:20260331T163000")))
    add_event(radicale, work, WEEKLY)
    add_event(radicale, work, vcalendar(vevent("fair", "DTSTART;VALUE=DATE:20260304",
                                               "DTEND;VALUE=DATE:20260305")))
    add_event(radicale, work, vcalendar(vevent("reading", "DTSTART:20260305T090000Z",
                                               "DTEND:20260305T100000Z", "TRANSP:TRANSPARENT")))
    add_event(radicale, work, vcalendar(vevent("holiday", "DTSTART:20260501T090000Z",
                                               "DTEND:20260501T100000Z")))
    busy = await RemoteCalendars().busy(own(radicale, work), *MARCH)
    assert busy == spans(("2026-03-02 09:00", "2026-03-02 10:00"),  # the weekly call, 9 March left out
                         ("2026-03-04 00:00", "2026-03-05 00:00"),  # the all-day fair (no zone: UTC)
                         ("2026-03-17 13:00", "2026-03-17 14:00"),  # 16 March moved to Tuesday
                         ("2026-03-30 08:00", "2026-03-30 09:00"),  # 23 March cancelled; now CEST
                         ("2026-03-31 13:00", "2026-03-31 14:30"))  # the dentist
    assert all(start.tzinfo == UTC for start, _ in busy)


async def test_busy_times_come_from_the_first_calendar_for_events_when_none_was_chosen(radicale):
    make_calendar(radicale, "tasks", "Tasks", components=("VTODO",))
    work = make_calendar(radicale, "work", "Work")
    add_event(radicale, work, vcalendar(vevent("call", "DTSTART:20260303T090000Z",
                                               "DURATION:PT45M")))
    busy = await RemoteCalendars().busy(own(radicale), *MARCH)
    assert busy == spans(("2026-03-03 09:00", "2026-03-03 09:45"))


async def test_a_calendar_shared_for_its_free_busy_time_only_still_gives_its_busy_times(radicale):
    work = make_calendar(radicale, "work", "Work")
    add_event(radicale, work, WEEKLY)
    assistant = CalendarAccess("caldav", radicale.url, ASSISTANT, radicale.users[ASSISTANT],
                               calendar_url=work)
    # The server refuses the assistant the events themselves: its free-busy answer is read
    # (the cancelled instance is a FREE period there). Before the spring change only:
    # Radicale 3.9 expands free-busy at the first instance's UTC offset, 30 March at 09:00 UTC.
    busy = await RemoteCalendars().busy(assistant, MARCH[0], utc("2026-03-28 00:00"))
    assert busy == spans(("2026-03-02 09:00", "2026-03-02 10:00"),
                         ("2026-03-17 13:00", "2026-03-17 14:00"))


# --- bookings written into the calendar -------------------------------------------------------


async def test_a_booking_put_into_the_calendar_is_found_by_any_caldav_client(radicale):
    work = make_calendar(radicale, "work", "Work")
    await RemoteCalendars().put_event(own(radicale, work), UID, booking("2026-03-10 09:00"))
    [event] = events(radicale, work)
    assert str(event["UID"]) == UID and str(event["SUMMARY"]) == "Agora session"
    assert event.decoded("DTSTART") == utc("2026-03-10 09:00")


async def test_putting_a_booking_again_moves_it_rather_than_adding_a_second(radicale):
    work = make_calendar(radicale, "work", "Work")
    calendars = RemoteCalendars()
    await calendars.put_event(own(radicale, work), UID, booking("2026-03-10 09:00"))
    await calendars.put_event(own(radicale, work), UID, booking("2026-03-12 15:00", minutes=90))
    [event] = events(radicale, work)
    assert event.decoded("DTSTART") == utc("2026-03-12 15:00")
    assert event.decoded("DTEND") == utc("2026-03-12 16:30")


async def test_a_booking_a_calendar_app_keeps_under_another_name_is_replaced_where_it_is(radicale):
    work = make_calendar(radicale, "work", "Work")
    add_event(radicale, work, booking("2026-03-10 09:00").decode(), name="copied-by-the-app")
    await RemoteCalendars().put_event(own(radicale, work), UID, booking("2026-03-11 09:00"))
    [event] = events(radicale, work)
    assert event.decoded("DTSTART") == utc("2026-03-11 09:00")


async def test_a_removed_booking_is_gone_and_removing_one_that_is_not_there_is_fine(radicale):
    work = make_calendar(radicale, "work", "Work")
    add_event(radicale, work, vcalendar(vevent("other", "DTSTART:20260303T090000Z",
                                               "DTEND:20260303T100000Z")))
    calendars = RemoteCalendars()
    await calendars.put_event(own(radicale, work), UID, booking("2026-03-10 09:00"))
    await calendars.remove_event(own(radicale, work), UID)
    await calendars.remove_event(own(radicale, work), UID)
    await calendars.remove_event(own(radicale, work), "booking-404@agora.invalid")
    assert [str(event["UID"]) for event in events(radicale, work)] == ["other"]


async def test_a_booking_is_written_into_the_first_calendar_for_events_when_none_was_chosen(radicale):
    make_calendar(radicale, "tasks", "Tasks", components=("VTODO",))
    work = make_calendar(radicale, "work", "Work")
    await RemoteCalendars().put_event(own(radicale), UID, booking("2026-03-10 09:00"))
    assert [str(event["UID"]) for event in events(radicale, work)] == [UID]


async def test_an_ics_address_cannot_be_written():
    feed = CalendarAccess("ics", "https://calendar.example.com/secret-token/basic.ics")
    for write in (RemoteCalendars().put_event(feed, UID, booking("2026-03-10 09:00")),
                  RemoteCalendars().remove_event(feed, UID)):
        with pytest.raises(CalendarUnreachable) as failure:
            await write
        assert failure.value.problem == "invalid" and "read-only" in failure.value.detail


# --- checking a CalDAV account -----------------------------------------------------------------


async def test_checking_an_account_finds_its_first_calendar_for_events_and_its_name(radicale):
    make_calendar(radicale, "tasks", "Tasks", components=("VTODO",))
    work = make_calendar(radicale, "work", "Work and meetings")
    assert await RemoteCalendars().check(own(radicale)) == CalendarFound("Work and meetings", work)


async def test_checking_an_address_that_is_itself_a_calendar_uses_that_calendar(radicale):
    make_calendar(radicale, "work", "Work")
    private = make_calendar(radicale, "private", "Private")
    access = CalendarAccess("caldav", private, radicale.username, radicale.password)
    assert await RemoteCalendars().check(access) == CalendarFound("Private", private)


async def test_checking_keeps_to_the_calendar_chosen_when_it_was_connected(radicale):
    make_calendar(radicale, "work", "Work")
    private = make_calendar(radicale, "private", "Private")
    assert await RemoteCalendars().check(own(radicale, private)) == CalendarFound("Private", private)


async def test_a_wrong_password_is_an_auth_problem_and_is_never_repeated(radicale):
    make_calendar(radicale, "work", "Work")
    wrong = CalendarAccess("caldav", radicale.url, radicale.username, "Wrong-Secret-42")
    with pytest.raises(CalendarUnreachable) as failure:
        await RemoteCalendars().check(wrong)
    assert failure.value.problem == "auth"
    assert "Wrong-Secret-42" not in str(failure.value) and failure.value.__cause__ is None


async def test_an_account_without_a_calendar_for_events_is_not_found(radicale):
    make_calendar(radicale, "tasks", "Tasks", components=("VTODO",))
    with pytest.raises(CalendarUnreachable) as failure:
        await RemoteCalendars().check(own(radicale))
    assert failure.value.problem == "not_found"


async def test_a_calendar_deleted_since_it_was_chosen_is_not_found(radicale):
    gone = own(radicale, f"{radicale.home()}deleted/")
    for call in (RemoteCalendars().check(gone), RemoteCalendars().busy(gone, *MARCH),
                 RemoteCalendars().remove_event(gone, UID)):
        with pytest.raises(CalendarUnreachable) as failure:
            await call
        assert failure.value.problem == "not_found"


async def test_a_stopped_server_is_unreachable_at_once_and_reachable_when_it_is_back(radicale):
    work = make_calendar(radicale, "work", "Work")
    calendars = RemoteCalendars(timeout=2)
    radicale.stop()
    began = time.monotonic()
    with pytest.raises(CalendarUnreachable) as failure:
        await calendars.check(own(radicale))
    assert failure.value.problem == "unreachable" and time.monotonic() - began < 2
    radicale.start()
    assert await calendars.check(own(radicale)) == CalendarFound("Work", work)


async def test_a_server_that_never_answers_is_unreachable_once_the_timeout_is_over():
    with socket.socket() as silent:  # takes connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", free_port()))
        silent.listen()
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        began = time.monotonic()
        with pytest.raises(CalendarUnreachable) as failure:
            await RemoteCalendars(timeout=0.5).check(CalendarAccess("caldav", address, "ann", "pw"))
    assert failure.value.problem == "unreachable"
    assert 0.4 < time.monotonic() - began < 3


# --- an ICS address -----------------------------------------------------------------------------

FEED = vcalendar(vevent("standup", "DTSTART:20260302T080000", "DTEND:20260302T081500",
                        "RRULE:FREQ=DAILY;COUNT=2"),
                 head="X-WR-CALNAME:Ann's bookings\nX-WR-TIMEZONE:Europe/Riga\n")
PAGES = {"/calendar.ics": (200, "text/calendar", FEED.encode()),
         "/moved.ics": (302, "text/plain", b""),
         "/login": (200, "text/html", b"<!doctype html><html><body>Sign in</body></html>")}


async def feed_app(scope, receive, send) -> None:
    """A web server with one calendar feed, an old address moved to it, and a sign-in page."""
    status, content_type, body = PAGES.get(scope["path"], (404, "text/plain", b"no such page"))
    headers = [(b"content-type", content_type.encode())]
    if status == 302:
        headers.append((b"location", b"/calendar.ics"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def test_an_ics_address_gives_its_name_and_its_busy_times_after_a_redirect():
    async with serve(feed_app) as base:
        feed = CalendarAccess("ics", f"{base}/moved.ics")
        assert await RemoteCalendars().check(feed) == CalendarFound("Ann's bookings", None)
        busy = await RemoteCalendars().busy(feed, *MARCH)
    assert busy == spans(("2026-03-02 06:00", "2026-03-02 06:15"),  # 08:00 in Riga (UTC+2)
                         ("2026-03-03 06:00", "2026-03-03 06:15"))


async def test_an_ics_address_answering_a_web_page_is_invalid_and_a_missing_one_not_found():
    async with serve(feed_app) as base:
        for path, problem in (("/login", "invalid"), ("/gone.ics", "not_found")):
            with pytest.raises(CalendarUnreachable) as failure:
                await RemoteCalendars().check(CalendarAccess("ics", f"{base}{path}"))
            assert failure.value.problem == problem
            assert path not in str(failure.value)  # an ICS address is a secret


async def test_a_caldav_address_answering_a_web_page_or_a_feed_is_invalid():
    async with serve(feed_app) as base:
        for path in ("/login", "/calendar.ics"):
            with pytest.raises(CalendarUnreachable) as failure:
                await RemoteCalendars().check(CalendarAccess("caldav", f"{base}{path}", "ann", "pw"))
            assert failure.value.problem == "invalid"


# --- busy_spans alone ---------------------------------------------------------------------------

WINDOW = (utc("2026-06-01 00:00"), utc("2026-06-08 00:00"))


def test_floating_times_are_in_the_calendars_x_wr_timezone():
    ics = vcalendar(vevent("a", "DTSTART:20260602T090000", "DTEND:20260602T100000"),
                    head="X-WR-TIMEZONE:America/New_York\n")
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-02 13:00", "2026-06-02 14:00"))


def test_an_x_wr_timezone_naming_no_zone_is_left_aside():
    ics = vcalendar(vevent("a", "DTSTART:20260602T090000", "DTEND:20260602T100000"),
                    head="X-WR-TIMEZONE:Mars/Olympus_Mons\n")
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-02 09:00", "2026-06-02 10:00"))


def test_floating_times_without_a_calendar_zone_are_in_utc():
    ics = vcalendar(vevent("a", "DTSTART:20260602T090000", "DTEND:20260602T100000"))
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-02 09:00", "2026-06-02 10:00"))


def test_an_event_without_an_end_lasts_its_duration_a_whole_day_or_no_time_at_all():
    ics = vcalendar(vevent("talk", "DTSTART:20260602T090000Z", "DURATION:PT1H30M"),
                    vevent("trip", "DTSTART;VALUE=DATE:20260604"),
                    vevent("reminder", "DTSTART:20260605T120000Z"),
                    head="X-WR-TIMEZONE:Europe/Berlin\n")
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-02 09:00", "2026-06-02 10:30"),
                                             ("2026-06-03 22:00", "2026-06-04 22:00"))


def test_an_all_day_event_blocks_its_day_in_the_zone_of_the_calendars_vtimezone():
    berlin = ("BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\n"
              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
              "END:DAYLIGHT\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
              "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
              "END:STANDARD\nEND:VTIMEZONE\n")
    ics = vcalendar(vevent("fair", "DTSTART;VALUE=DATE:20260603", "DTEND;VALUE=DATE:20260605"),
                    head=berlin)
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-02 22:00", "2026-06-04 22:00"))


def test_cancelled_free_and_agoras_own_events_and_events_outside_the_window_block_nothing():
    ics = vcalendar(vevent("off", "DTSTART:20260602T090000Z", "DTEND:20260602T100000Z",
                           "STATUS:CANCELLED"),
                    vevent("free", "DTSTART:20260603T090000Z", "DTEND:20260603T100000Z",
                           "TRANSP:TRANSPARENT"),
                    vevent("later", "DTSTART:20260608T000000Z", "DTEND:20260608T010000Z"),
                    vevent("booking-7@agora.invalid", "DTSTART:20260604T090000Z",
                           "DTEND:20260604T100000Z"),  # Agora's own booking: Agora holds it
                    vevent("edge", "DTSTART:20260531T230000Z", "DTEND:20260601T003000Z"))
    assert busy_spans(ics, *WINDOW) == spans(("2026-05-31 23:00", "2026-06-01 00:30"))


def test_an_event_without_a_start_or_with_a_broken_rule_leaves_the_others_counted():
    ics = vcalendar(vevent("nothing", "SUMMARY:No time given"),
                    vevent("broken", "DTSTART:20260602T090000Z", "RRULE:FREQ=SOMETIMES"),
                    vevent("fine", "DTSTART:20260603T090000Z", "DTEND:20260603T100000Z"))
    assert busy_spans(ics, *WINDOW) == spans(("2026-06-03 09:00", "2026-06-03 10:00"))


def test_a_free_busy_answer_counts_its_busy_periods_but_not_its_free_ones():
    ics = vcalendar("BEGIN:VFREEBUSY\nDTSTART:20260601T000000Z\nDTEND:20260608T000000Z\n"
                    "FREEBUSY;FBTYPE=BUSY:20260602T090000Z/20260602T100000Z,20260603T090000Z/PT30M\n"
                    "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260604T090000Z/20260604T100000Z\n"
                    "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20260605T090000Z/20260605T100000Z\n"
                    "FREEBUSY;FBTYPE=FREE:20260606T090000Z/20260606T100000Z\n"
                    "FREEBUSY:20260607T090000Z/20260607T100000Z\nEND:VFREEBUSY\n")
    assert busy_spans(ics, *WINDOW) == spans(
        ("2026-06-02 09:00", "2026-06-02 10:00"), ("2026-06-03 09:00", "2026-06-03 09:30"),
        ("2026-06-04 09:00", "2026-06-04 10:00"), ("2026-06-05 09:00", "2026-06-05 10:00"),
        ("2026-06-07 09:00", "2026-06-07 10:00"))


def test_overlapping_and_touching_spans_are_merged_into_one():
    ics = vcalendar(vevent("a", "DTSTART:20260602T090000Z", "DTEND:20260602T110000Z"),
                    vevent("b", "DTSTART:20260602T100000Z", "DTEND:20260602T103000Z"),
                    vevent("c", "DTSTART:20260602T110000Z", "DTEND:20260602T120000Z"),
                    vevent("d", "DTSTART:20260602T130000Z", "DTEND:20260602T140000Z"))
    assert busy_spans(ics.encode(), *WINDOW) == spans(("2026-06-02 09:00", "2026-06-02 12:00"),
                                                      ("2026-06-02 13:00", "2026-06-02 14:00"))


def test_text_that_is_no_calendar_is_refused():
    for text in ("<!doctype html><html>Sign in</html>", "", "BEGIN:VEVENT\nUID:x\nEND:VEVENT\n"):
        with pytest.raises(ValueError):
            busy_spans(text, *WINDOW)
