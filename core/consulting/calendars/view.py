"""A connected calendar as its owner sees it: the read model flows show (never its secrets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.consulting.calendars.tables import ConnectedCalendar


@dataclass(frozen=True)
class CalendarView:
    """A connected calendar as its owner sees it (never its secrets)."""

    kind: str
    name: str
    host: str
    status: str  # CalendarStatus
    problem: str | None
    read_at: datetime | None
    writes: bool  # bookings are written into it (CalDAV)


def view_of(row: ConnectedCalendar) -> CalendarView:
    return CalendarView(row.kind, row.name, row.host, row.status, row.problem, row.synced_at,
                        row.kind == "caldav")
