"""The calendar port's adapter (core.consulting.calendars.port.Calendars): a consultant's CalDAV
account read and written with the caldav library's async client, or an ICS address read with
httpx. Busy times are worked out here from the raw iCalendar text (bots.calendars.busy), so
recurring events come out right whatever the server does or does not expand.

Each call opens its own connection and closes it: core keeps only the address and the secret.
Each call as a whole (all the requests it makes) is bounded by the timeout, and its failures
become CalendarUnreachable: 401/403 `auth`; 404/410 or no calendar for events `not_found`;
no connection, a timeout, 429 or 5xx `unreachable`; any other answer that is no calendar
`invalid`. The password, and an ICS address (which is itself the key to its calendar), are
never put in a message or a log line: a failure names the host at most, and the library's
exception is not chained to ours (its text may hold the address)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

import httpx
from lxml import etree

from core.consulting.calendars.port import (
    CalendarAccess,
    CalendarFound,
    CalendarUnreachable,
    Problem,
    Span,
)

# caldav (with niquests) and the iCalendar libraries take some 0.4 s to import: they are
# loaded with the first calendar call (imports inside the functions), not when every agora
# process builds its container.
if TYPE_CHECKING:
    from caldav.aio import AsyncDAVClient
    from caldav.response import DAVResponse

log = logging.getLogger(__name__)

CALDAV_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
RESOURCE_TYPE, DISPLAY_NAME = "{DAV:}resourcetype", "{DAV:}displayname"
COMPONENTS = "{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set"
MAX_ICS_BYTES = 20_000_000  # a feed larger than this is no one's own calendar
# A server matches all-day and floating events in its own zone, which may be up to 14 hours
# from ours: it is asked a day more on each side, and busy_spans keeps what overlaps.
QUERY_MARGIN = timedelta(days=1)
UID_TAKEN = (409, 412)  # another resource holds the UID: Radicale 409, Xandikos and Stalwart 412
READ_ONLY = "an ICS address is read-only"


class _Refused(Exception):
    """A server's answer with an HTTP error status (mapped to a problem in one place)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class _Collection:
    url: str
    name: str


class RemoteCalendars:
    """Consultants' own calendars over the network (see the module's docstring)."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    async def check(self, access: CalendarAccess) -> CalendarFound:
        from bots.calendars.busy import calendar_name, parse_calendars

        async with self._bounded(access):
            if access.kind == "ics":
                calendars = parse_calendars(await self._download(access))
                return CalendarFound(calendar_name(calendars[0]) or "Calendar", None)
            async with self._client(access) as client:
                found = await _find_calendar(client, access)
            return CalendarFound(found.name, found.url)

    async def busy(self, access: CalendarAccess, start: datetime, end: datetime) -> list[Span]:
        from bots.calendars.busy import busy_spans, merge_spans

        async with self._bounded(access):
            if access.kind == "ics":
                return busy_spans(await self._download(access), start, end)
            async with self._client(access) as client:
                texts = await _event_texts(client, await _calendar_url(client, access), start, end)
        return merge_spans(span for text in texts for span in _spans_of_one(text, start, end))

    async def put_event(self, access: CalendarAccess, uid: str, ics: bytes) -> None:
        _writable(access)
        async with self._bounded(access), self._client(access) as client:
            await _put(client, await _calendar_url(client, access), uid, ics)

    async def remove_event(self, access: CalendarAccess, uid: str) -> None:
        _writable(access)
        async with self._bounded(access), self._client(access) as client:
            await _remove(client, await _calendar_url(client, access), uid)

    @asynccontextmanager
    async def _bounded(self, access: CalendarAccess) -> AsyncIterator[None]:
        """The block bounded by the timeout, its failures told as CalendarUnreachable."""
        host = _host(access.url)
        try:
            async with asyncio.timeout(self.timeout):
                yield
        except CalendarUnreachable:
            raise
        except Exception as error:
            problem = _problem(error)
            if problem is None:
                raise
            raise CalendarUnreachable(problem, _detail(problem, host, error)) from None

    def _client(self, access: CalendarAccess) -> AsyncDAVClient:
        from caldav.aio import AsyncDAVClient

        # No RFC 6764 discovery: it would block the event loop, and the address is a full URL.
        return AsyncDAVClient(url=web_address(access.url), username=access.username,
                              password=access.password, timeout=math.ceil(self.timeout),
                              enable_rfc6764=False)

    async def _download(self, access: CalendarAccess) -> bytes:
        """The body at an ICS address (redirects followed), refused beyond MAX_ICS_BYTES."""
        auth = (access.username, access.password or "") if access.username else None
        async with httpx.AsyncClient(follow_redirects=True, timeout=self.timeout, auth=auth) as http, \
                http.stream("GET", web_address(access.url),
                            headers={"Accept": "text/calendar, */*;q=0.5"}) as response:
            if response.status_code >= 400:
                raise _Refused(response.status_code)
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_ICS_BYTES:
                    raise ValueError("the calendar is too large")
        return bytes(body)


def web_address(address: str) -> str:
    """An address as typed, made one to fetch: `webcal://` (how calendar apps offer an ICS
    subscription) is HTTPS, and a bare host is taken as HTTPS too."""
    address = address.strip()
    scheme, _, rest = address.partition("://")
    if not rest:
        return f"https://{address}"
    return f"https://{rest}" if scheme.lower() in ("webcal", "webcals") else address


def event_address(calendar_url: str, uid: str) -> str:
    """Where the event with this UID is kept in the calendar: `<uid>.ics`, the UID made safe
    for a path (anything but letters, digits and `@._-` replaced, and a hash of the whole UID
    added then, so that two UIDs never share an address)."""
    name = re.sub(r"[^A-Za-z0-9@._-]", "-", uid)
    if name != uid or len(name) > 120:
        name = f"{name[:80]}-{hashlib.sha256(uid.encode()).hexdigest()[:16]}"
    return f"{calendar_url.rstrip('/')}/{quote(name, safe='@')}.ics"


def _writable(access: CalendarAccess) -> None:
    if access.kind != "caldav":
        raise CalendarUnreachable("invalid", READ_ONLY)


# --- what went wrong ------------------------------------------------------------------------


def _problem(error: BaseException) -> Problem | None:
    """The problem an exception means, None for one that is no calendar's fault (a bug)."""
    status = getattr(error, "status", None)  # _Refused's, and caldav's DAVError's
    if isinstance(status, int):
        return _problem_of_status(status)
    # Before OSError: niquests' errors for a malformed address are ValueErrors and OSErrors.
    if isinstance(error, ValueError | httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "invalid"  # no address, no iCalendar, a body that is not text
    if isinstance(error, OSError | httpx.TransportError):  # refused, DNS, timeouts (TimeoutError)
        return "unreachable"
    if isinstance(error, etree.LxmlError | NotImplementedError | httpx.HTTPError):
        return "invalid"  # an answer that is no WebDAV, endless redirects, a login we can't do
    from caldav.lib.error import DAVError

    return "invalid" if isinstance(error, DAVError) else None


def _problem_of_status(status: int) -> Problem:
    if status in (401, 403):
        return "auth"
    if status in (404, 410):
        return "not_found"
    return "unreachable" if status == 429 or status >= 500 else "invalid"


def _host(address: str) -> str:
    """The host of an address, the one part of it a message may show."""
    try:
        return urlsplit(web_address(address)).hostname or "the server"
    except ValueError:
        return "the server"


def _detail(problem: Problem, host: str, error: BaseException) -> str:
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return f"{host} answered HTTP {status}"
    if problem == "unreachable":
        return f"no answer from {host} ({type(error).__name__})"
    return f"{host} gave no calendar ({type(error).__name__})"


def _raise_for(response: DAVResponse) -> None:
    if response.status >= 400:
        raise _Refused(response.status)


# --- CalDAV ---------------------------------------------------------------------------------


async def _calendar_url(client: AsyncDAVClient, access: CalendarAccess) -> str:
    """The calendar chosen when it was connected, else the one `check` would choose."""
    return access.calendar_url or (await _find_calendar(client, access)).url


async def _find_calendar(client: AsyncDAVClient, access: CalendarAccess) -> _Collection:
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


async def _event_calendar(client: AsyncDAVClient, url: str) -> _Collection | None:
    """The collection at `url` if it is a calendar that holds events (a calendar naming no
    components holds all, RFC 4791 5.2.3)."""
    from caldav.response import PropfindResult

    response = await client.propfind(url, props=[RESOURCE_TYPE, DISPLAY_NAME, COMPONENTS], depth=0)
    _raise_for(response)
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
            return _Collection(address, name or address.rstrip("/").rsplit("/", 1)[-1])
    return None


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


async def _event_texts(client: AsyncDAVClient, calendar_url: str, start: datetime,
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
    _raise_for(response)
    return [r.calendar_data for r in response.results or []
            if isinstance(r, CalendarQueryResult) and r.calendar_data]


async def _query_free_busy(client: AsyncDAVClient, calendar_url: str, start: datetime,
                           end: datetime) -> str:
    from caldav.elements import cdav

    query = cdav.FreeBusyQuery() + cdav.TimeRange(start, end)
    response = await client.report(calendar_url, _xml(query), depth=1)
    _raise_for(response)
    return response.raw


def _spans_of_one(text: str, start: datetime, end: datetime) -> list[Span]:
    """One event's busy spans; a broken one is left out (logged) rather than failing the
    whole calendar, which the consultant could not mend from here."""
    from bots.calendars.busy import busy_spans

    try:
        return busy_spans(text, start, end)
    except ValueError:
        log.warning("a calendar event that is no valid iCalendar was left out of the busy times")
        return []


async def _put(client: AsyncDAVClient, calendar_url: str, uid: str, ics: bytes) -> None:
    """Write the event at its address; if the calendar already holds its UID elsewhere (the
    server refuses a second resource with it), replace that one."""
    href = event_address(calendar_url, uid)
    response = await _put_at(client, href, ics)
    if response.status in UID_TAKEN:
        held = await _held_at(client, calendar_url, uid)
        if held is not None and held != href:
            response = await _put_at(client, held, ics)
    _raise_for(response)


async def _put_at(client: AsyncDAVClient, href: str, ics: bytes) -> DAVResponse:
    return await client.put(href, ics.decode("utf-8"), {"Content-Type": "text/calendar; charset=utf-8"})


async def _remove(client: AsyncDAVClient, calendar_url: str, uid: str) -> None:
    """Delete the event at its address, or wherever the calendar holds its UID; nothing if
    it is nowhere (a calendar that is gone is still `not_found`, from the search)."""
    response = await client.delete(event_address(calendar_url, uid))
    if response.status in (404, 410):
        held = await _held_at(client, calendar_url, uid)
        if held is None:
            return
        response = await client.delete(held)
    if response.status not in (404, 410):
        _raise_for(response)


async def _held_at(client: AsyncDAVClient, calendar_url: str, uid: str) -> str | None:
    """The address of the calendar's event with this UID, if any."""
    from caldav.elements import cdav, dav

    uid_filter = cdav.PropFilter("UID") + cdav.TextMatch(uid)  # a substring match: checked below
    events = cdav.CompFilter("VCALENDAR") + (cdav.CompFilter("VEVENT") + uid_filter)
    query = cdav.CalendarQuery() + (dav.Prop() + cdav.CalendarData()) + (cdav.Filter() + events)
    response = await client.report(calendar_url, _xml(query), depth=1)
    _raise_for(response)
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
