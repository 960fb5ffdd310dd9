"""What core asks of a consultant's own calendar (CalDAV, or a secret ICS address), behind one
port: the adapter lives outside core (bots/calendars/) and is wired in config/container.py.

Core never holds a connection: it keeps the address and the encrypted secret, asks the port for
busy times over a window (mirrored into `calendar_busy`), and asks it to write, move or remove
a booking's event by its UID. Every call may raise `CalendarUnreachable` with what went wrong,
which core tells the consultant once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, NamedTuple, Protocol

Kind = Literal["caldav", "ics"]  # a CalDAV account (read and write), or an ICS address (read)
Problem = Literal["auth", "not_found", "unreachable", "invalid"]


class CalendarStatus(StrEnum):
    """A connected calendar (`ConnectedCalendar.status`): ok, or failing since a reading failed
    (its `problem` says why) until one succeeds again."""

    OK = "ok"
    FAILING = "failing"


@dataclass(frozen=True)
class CalendarAccess:
    """How to reach one calendar: for CalDAV the server's (or the calendar's) address, the user
    and the app password; for an ICS address, the address alone (it is itself the secret)."""

    kind: Kind
    url: str
    username: str | None = None
    password: str | None = None
    calendar_url: str | None = None  # the CalDAV calendar chosen when it was connected


@dataclass(frozen=True)
class CalendarFound:
    """A calendar just reached: its name as its owner sees it, and for CalDAV its own address
    (the first calendar of the account that holds events, unless the address named one)."""

    name: str
    calendar_url: str | None


class CalendarUnreachable(Exception):
    """The calendar could not be used: a wrong password (`auth`), no such calendar
    (`not_found`), no answer (`unreachable`), or an answer that is no calendar (`invalid`)."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else problem)
        self.problem: Problem = problem
        self.detail = detail


Span = tuple[datetime, datetime]  # an aware start and end, in UTC
# The UIDs of the events Agora writes (its bookings) end so: a calendar's busy times leave them
# out, since Agora holds those bookings itself (and a booking must not clash with its own copy).
AGORAS_OWN = "@agora.invalid"


class OwnBusy(NamedTuple):
    """A busy time from a consultant's own calendar, among their bookings' held times: it
    blocks a slot like a booking does, but it is not a session (the daily maximum counts
    sessions only)."""

    starts: datetime
    ends: datetime


class Calendars(Protocol):
    """The port. Every method runs outside any database transaction."""

    async def check(self, access: CalendarAccess) -> CalendarFound:
        """Reach the calendar once, as it is connected; raise CalendarUnreachable if not."""
        ...

    async def busy(self, access: CalendarAccess, start: datetime, end: datetime) -> list[Span]:
        """The busy times overlapping [start, end), in UTC: recurring events expanded (their
        cancelled and moved instances as the calendar says), all-day events as the whole day
        in the event's zone (or UTC when it has none), events marked free (TRANSP:TRANSPARENT)
        and cancelled events left out."""
        ...

    async def put_event(self, access: CalendarAccess, uid: str, ics: bytes) -> None:
        """Create or replace the event with this UID (CalDAV only)."""
        ...

    async def remove_event(self, access: CalendarAccess, uid: str) -> None:
        """Remove the event with this UID; nothing if it is not there (CalDAV only)."""
        ...
