"""Busy times read from iCalendar text: the pure half of the calendar adapter (no network).

`busy_spans` turns one calendar's text (a CalDAV object, a whole ICS feed, a free-busy answer)
into the busy spans overlapping a window, in UTC, the way the owner's calendar app shows them:

- recurring events are expanded by recurring-ical-events, which honours EXDATE, RDATE and
  RECURRENCE-ID overrides (a moved instance counts at its new time) and first brings Google's
  X-WR-TIMEZONE calendars into RFC 5545 form (the x-wr-timezone package);
- an event or one instance of it with STATUS:CANCELLED, or TRANSP:TRANSPARENT ("show me as
  free"), blocks nothing, nor does one of Agora's own bookings (its UID ends in `AGORAS_OWN`);
- floating times (no TZID) are in the calendar's X-WR-TIMEZONE, else in UTC;
- an all-day event (VALUE=DATE) blocks its days from midnight to midnight in the calendar's
  zone: its X-WR-TIMEZONE, else its first VTIMEZONE, else UTC. A date carries no zone of its
  own; the zone the calendar was written in is the best guess of its owner's, and a calendar
  naming none is read in UTC, like its floating times;
- an event without DTEND lasts its DURATION, else (RFC 5545) one day for a date and no time at
  all for a date-time: such a point in time blocks nothing;
- VFREEBUSY components count by their FREEBUSY periods of type BUSY, BUSY-TENTATIVE and
  BUSY-UNAVAILABLE (not FREE).

Spans are returned whole (not cut at the window's edges), sorted, with overlapping or touching
spans merged into one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import recurring_ical_events
from icalendar import Calendar, Component, Timezone

from core.consulting.calendars.port import AGORAS_OWN, Span

X_WR_TIMEZONE = "X-WR-TIMEZONE"
BUSY_TYPES = frozenset({"BUSY", "BUSY-TENTATIVE", "BUSY-UNAVAILABLE"})
# The window is widened by more than any zone's distance from UTC before expanding, so that
# an all-day or floating occurrence at its edge is found whatever zone the library compares
# it in; what comes back is then placed exactly and kept only if it overlaps the window.
_MARGIN = timedelta(days=2)


def busy_spans(ics: bytes | str, start: datetime, end: datetime) -> list[Span]:
    """The busy spans of the calendar text `ics` overlapping [start, end), in UTC (see the
    module's docstring for the rules). Several VCALENDARs one after another are read as one.
    A naive `start` or `end` is taken as UTC. Raises ValueError if `ics` is no calendar."""
    start, end = _in_utc(start), _in_utc(end)
    spans: list[Span] = []
    for calendar in parse_calendars(ics):
        spans += _event_spans(calendar, start - _MARGIN, end + _MARGIN)
        spans += _freebusy_spans(calendar)
    return merge_spans(s for s in spans if s[0] < s[1] and s[0] < end and s[1] > start)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The spans sorted, those overlapping or touching merged into one."""
    merged: list[Span] = []
    for begin, finish in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def parse_calendars(ics: bytes | str) -> list[Calendar]:
    """The VCALENDARs in `ics`; ValueError if there is none (an HTML page, an empty body)."""
    # A byte-order mark, which some feeds start with, is no content line.
    text = ics.decode("utf-8-sig", errors="replace") if isinstance(ics, bytes) else ics.lstrip("\ufeff")
    try:
        found = Calendar.from_ical(text, multiple=True)
    except ValueError as error:
        raise ValueError("not iCalendar text") from error
    calendars = [c for c in found if isinstance(c, Calendar) and c.name == "VCALENDAR"]
    if not calendars:
        raise ValueError("no VCALENDAR in the text")
    return calendars


def calendar_name(calendar: Calendar) -> str | None:
    """The calendar's name as its owner gave it (X-WR-CALNAME, or RFC 7986's NAME), if any."""
    for key in ("X-WR-CALNAME", "NAME"):
        if str(calendar.get(key, "")).strip():
            return str(calendar[key]).strip()
    return None


def _event_spans(calendar: Calendar, start: datetime, end: datetime) -> list[Span]:
    day_zone = _calendar_zone(calendar)  # first: it drops an X-WR-TIMEZONE naming no zone
    # An event without a start takes no time, and recurring-ical-events fails on one (KeyError).
    calendar.subcomponents = [c for c in calendar.subcomponents
                              if c.name != "VEVENT" or "DTSTART" in c]
    # One broken series (a bad RRULE) must not hide the rest of the calendar's busy times.
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    return [_span(event, day_zone) for event in query.between(start, end) if _blocks(event)]


def _blocks(event: Component) -> bool:
    """Whether an occurrence takes its owner's time: not cancelled, not shown as free, and not
    one of Agora's own bookings (Agora holds those itself)."""
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    own = str(event.get("UID", "")).endswith(AGORAS_OWN)
    return status != "CANCELLED" and transparency != "TRANSPARENT" and not own


def _span(event: Any, day_zone: tzinfo) -> Span:
    # icalendar's start and end follow RFC 5545: DTEND, else DTSTART + DURATION, else one day
    # for a date and DTSTART itself for a date-time.
    return _instant(event.start, day_zone), _instant(event.end, day_zone)


def _instant(value: date | datetime, day_zone: tzinfo) -> datetime:
    if not isinstance(value, datetime):  # a date: its midnight in the calendar's zone
        return datetime.combine(value, time(0), tzinfo=day_zone).astimezone(UTC)
    return _in_utc(value)  # floating times left after X-WR-TIMEZONE are in UTC


def _in_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _calendar_zone(calendar: Calendar) -> tzinfo:
    """The zone the calendar is written in: X-WR-TIMEZONE, else its first VTIMEZONE, else UTC.
    An X-WR-TIMEZONE naming no known zone is dropped, which recurring-ical-events would
    otherwise fail on."""
    if X_WR_TIMEZONE in calendar:
        zone = _named_zone(str(calendar[X_WR_TIMEZONE]))
        if zone is not None:
            return zone
        del calendar[X_WR_TIMEZONE]
    for component in calendar.walk("VTIMEZONE"):
        return _vtimezone_zone(component)
    return UTC


def _vtimezone_zone(component: Component) -> tzinfo:
    zone = _named_zone(str(component.get("TZID", "")))
    if zone is None and isinstance(component, Timezone):
        # A zone of the calendar's own making (Outlook's "W. Europe Standard Time"): its rules.
        return component.to_tz()
    return zone or UTC


def _named_zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name.strip()) if name.strip() else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _freebusy_spans(calendar: Calendar) -> list[Span]:
    return [span for component in calendar.walk("VFREEBUSY")
            for span in _periods(component.get("FREEBUSY"))]


def _periods(value: Any) -> Iterator[Span]:
    """The busy periods of a VFREEBUSY's FREEBUSY lines (one value, or a list of them)."""
    for period in value if isinstance(value, list) else [value] if value is not None else []:
        if str(period.params.get("FBTYPE", "BUSY")).upper() not in BUSY_TYPES:
            continue
        begin, finish = period.dt  # an end, or a duration (RFC 5545's PERIOD)
        begin = _in_utc(begin)
        yield begin, begin + finish if isinstance(finish, timedelta) else _in_utc(finish)
