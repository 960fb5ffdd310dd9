"""The CalDAV side of the calendar adapter (bots.calendars.remote): finding the calendar that
holds events, a time-range query for its events (free-busy where only that is shared), and
writing or removing one event by its UID — each answer's status checked here, since caldav's
low-level calls return rather than raise most HTTP errors."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

from lxml import etree

from core.consulting.calendars.port import CalendarAccess, CalendarUnreachable, Span

if TYPE_CHECKING:
    from caldav.aio import AsyncDAVClient
    from caldav.response import DAVResponse

log = logging.getLogger(__name__)

CALDAV_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
RESOURCE_TYPE, DISPLAY_NAME = "{DAV:}resourcetype", "{DAV:}displayname"
COMPONENTS = "{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set"
# A server matches all-day and floating events in its own zone, which may be up to 14 hours
# from ours: it is asked a day more on each side, and busy_spans keeps what overlaps.
QUERY_MARGIN = timedelta(days=1)
UID_TAKEN = (409, 412)  # another resource holds the UID: Radicale 409, Xandikos and Stalwart 412


class Refused(Exception):
    """A server's answer with an HTTP error status (mapped to a problem in one place)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class Collection:
    url: str
    name: str


def event_address(calendar_url: str, uid: str) -> str:
    """Where the event with this UID is kept in the calendar: `<uid>.ics`, the UID made safe
    for a path (anything but letters, digits and `@._-` replaced, and a hash of the whole UID
    added then, so that two UIDs never share an address)."""
    name = re.sub(r"[^A-Za-z0-9@._-]", "-", uid)
    if name != uid or len(name) > 120:
        name = f"{name[:80]}-{hashlib.sha256(uid.encode()).hexdigest()[:16]}"
    return f"{calendar_url.rstrip('/')}/{quote(name, safe='@')}.ics"


def raise_for(response: DAVResponse) -> None:
    if response.status >= 400:
        raise Refused(response.status)



async def calendar_url_of(client: AsyncDAVClient, access: CalendarAccess) -> str:
    """The calendar chosen when it was connected, else the one `check` would choose."""
    return access.calendar_url or (await find_calendar(client, access)).url


async def find_calendar(client: AsyncDAVClient, access: CalendarAccess) -> Collection:
    """The chosen calendar; else the address itself if it is a calendar for events; else the
    account's first calendar for events."""
    if access.calendar_url:
        chosen = await _event_calendar(client, access.calendar_url)
        if chosen is None:
            raise CalendarUnreachable("not_found", "the chosen address is no calendar for events")
        return chosen
    here = await _event_calendar(client, str(client.url))
    if here is not None:
        return here
    for calendar in await client.get_calendars(await client.get_principal()):
        found = await _event_calendar(client, str(calendar.url))
        if found is not None:
            return found
    raise CalendarUnreachable("not_found", "the account has no calendar for events")


async def _event_calendar(client: AsyncDAVClient, url: str) -> Collection | None:
    """The collection at `url` if it is a calendar that holds events (a calendar naming no
    components holds all, RFC 4791 5.2.3)."""
    from caldav.response import PropfindResult

    response = await client.propfind(url, props=[RESOURCE_TYPE, DISPLAY_NAME, COMPONENTS], depth=0)
    raise_for(response)
    if response.tree is None:  # a web page or a file: the address is no CalDAV server's
        raise CalendarUnreachable("invalid", "the address gives no CalDAV answer")
    for result in response.results or []:
        if not isinstance(result, PropfindResult):
            continue
        properties = result.properties
        components = _listed(properties.get(COMPONENTS)) or ["VEVENT"]
        if CALDAV_CALENDAR in _listed(properties.get(RESOURCE_TYPE)) and "VEVENT" in components:
            address = urljoin(url, result.href)
            name = str(properties.get(DISPLAY_NAME) or "").strip()
            return Collection(address, name or address.rstrip("/").rsplit("/", 1)[-1])
    return None


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


async def event_texts(client: AsyncDAVClient, calendar_url: str, start: datetime,
                       end: datetime) -> list[str]:
    """The raw iCalendar text of every event overlapping the window (recurring ones whole);
    where the account may see only free-busy time (RFC 4791's read-free-busy: the event query
    is refused with 403), the server's free-busy answer instead."""
    from caldav.lib.error import DAVError

    try:
        return await _query_events(client, calendar_url, start - QUERY_MARGIN, end + QUERY_MARGIN)
    except DAVError as refused:
        if refused.status != 403:
            raise
        return [await _query_free_busy(client, calendar_url, start, end)]


async def _query_events(client: AsyncDAVClient, calendar_url: str, start: datetime,
                        end: datetime) -> list[str]:
    from caldav.response import CalendarQueryResult

    # Not expanded by the server (expand=False): busy_spans expands, the same on every server.
    response = await client.calendar_query(calendar_url, start=start, end=end, event=True)
    raise_for(response)
    return [r.calendar_data for r in response.results or []
            if isinstance(r, CalendarQueryResult) and r.calendar_data]


async def _query_free_busy(client: AsyncDAVClient, calendar_url: str, start: datetime,
                           end: datetime) -> str:
    from caldav.elements import cdav

    query = cdav.FreeBusyQuery() + cdav.TimeRange(start, end)
    response = await client.report(calendar_url, _xml(query), depth=1)
    raise_for(response)
    return response.raw


def spans_of_one(text: str, start: datetime, end: datetime) -> list[Span]:
    """One event's busy spans; a broken one is left out (logged) rather than failing the
    whole calendar, which the consultant could not mend from here."""
    from bots.calendars.busy import busy_spans

    try:
        return busy_spans(text, start, end)
    except ValueError:
        log.warning("a calendar event that is no valid iCalendar was left out of the busy times")
        return []


async def put(client: AsyncDAVClient, calendar_url: str, uid: str, ics: bytes) -> None:
    """Write the event at its address; if the calendar already holds its UID elsewhere (the
    server refuses a second resource with it), replace that one."""
    href = event_address(calendar_url, uid)
    response = await _put_at(client, href, ics)
    if response.status in UID_TAKEN:
        held = await _held_at(client, calendar_url, uid)
        if held is not None and held != href:
            response = await _put_at(client, held, ics)
    raise_for(response)


async def _put_at(client: AsyncDAVClient, href: str, ics: bytes) -> DAVResponse:
    return await client.put(href, ics.decode("utf-8"), {"Content-Type": "text/calendar; charset=utf-8"})


async def remove(client: AsyncDAVClient, calendar_url: str, uid: str) -> None:
    """Delete the event at its address, or wherever the calendar holds its UID; nothing if
    it is nowhere (a calendar that is gone is still `not_found`, from the search)."""
    response = await client.delete(event_address(calendar_url, uid))
    if response.status in (404, 410):
        held = await _held_at(client, calendar_url, uid)
        if held is None:
            return
        response = await client.delete(held)
    if response.status not in (404, 410):
        raise_for(response)


async def _held_at(client: AsyncDAVClient, calendar_url: str, uid: str) -> str | None:
    """The address of the calendar's event with this UID, if any."""
    from caldav.elements import cdav, dav

    uid_filter = cdav.PropFilter("UID") + cdav.TextMatch(uid)  # a substring match: checked below
    events = cdav.CompFilter("VCALENDAR") + (cdav.CompFilter("VEVENT") + uid_filter)
    query = cdav.CalendarQuery() + (dav.Prop() + cdav.CalendarData()) + (cdav.Filter() + events)
    response = await client.report(calendar_url, _xml(query), depth=1)
    raise_for(response)
    for result in response.parse_calendar_query():
        if result.calendar_data and _holds_uid(result.calendar_data, uid):
            return urljoin(calendar_url, result.href)
    return None


def _holds_uid(text: str, uid: str) -> bool:
    from bots.calendars.busy import parse_calendars

    try:
        return any(str(event.get("UID")) == uid
                   for calendar in parse_calendars(text) for event in calendar.walk("VEVENT"))
    except ValueError:
        return False


def _xml(element: Any) -> str:
    return etree.tostring(element.xmlelement(), encoding="utf-8", xml_declaration=True).decode()
