"""The calendar port's adapter (core.consulting.calendars.port.Calendars): a consultant's CalDAV
account read and written with the caldav library's async client, or an ICS address read with
httpx (the CalDAV requests themselves are in bots.calendars.dav). Busy times are worked out
here from the raw iCalendar text (bots.calendars.busy), so recurring events come out right
whatever the server does or does not expand.

Each call opens its own connection and closes it: core keeps only the address and the secret.
Each call as a whole (all the requests it makes) is bounded by the timeout, and its failures
become CalendarUnreachable: 401/403 `auth`; 404/410 or no calendar for events `not_found`;
no connection, a timeout, 429 or 5xx `unreachable`; any other answer that is no calendar
`invalid`. The password, and an ICS address (which is itself the key to its calendar), are
never put in a message or a log line: a failure names the host at most, and the library's
exception is not chained to ours (its text may hold the address)."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
from lxml import etree

from bots.calendars.dav import (
    Refused,
    calendar_url_of,
    event_texts,
    find_calendar,
    put,
    remove,
    spans_of_one,
)
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

log = logging.getLogger(__name__)

MAX_ICS_BYTES = 20_000_000  # a feed larger than this is no one's own calendar
READ_ONLY = "an ICS address is read-only"


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
                found = await find_calendar(client, access)
            return CalendarFound(found.name, found.url)

    async def busy(self, access: CalendarAccess, start: datetime, end: datetime) -> list[Span]:
        from bots.calendars.busy import busy_spans, merge_spans

        async with self._bounded(access):
            if access.kind == "ics":
                return busy_spans(await self._download(access), start, end)
            async with self._client(access) as client:
                texts = await event_texts(client, await calendar_url_of(client, access), start, end)
        return merge_spans(span for text in texts for span in spans_of_one(text, start, end))

    async def put_event(self, access: CalendarAccess, uid: str, ics: bytes) -> None:
        _writable(access)
        async with self._bounded(access), self._client(access) as client:
            await put(client, await calendar_url_of(client, access), uid, ics)

    async def remove_event(self, access: CalendarAccess, uid: str) -> None:
        _writable(access)
        async with self._bounded(access), self._client(access) as client:
            await remove(client, await calendar_url_of(client, access), uid)

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
                raise Refused(response.status_code)
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


def _writable(access: CalendarAccess) -> None:
    if access.kind != "caldav":
        raise CalendarUnreachable("invalid", READ_ONLY)


# --- what went wrong ------------------------------------------------------------------------


def _problem(error: BaseException) -> Problem | None:
    """The problem an exception means, None for one that is no calendar's fault (a bug)."""
    status = getattr(error, "status", None)  # Refused's, and caldav's DAVError's
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
