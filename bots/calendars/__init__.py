"""The adapter behind core's calendar port (core.consulting.calendars.port): `RemoteCalendars`
reads a consultant's own calendar (CalDAV, or an ICS address) and writes bookings into it;
`busy_spans` is its pure part, iCalendar text to busy times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bots.calendars.remote import RemoteCalendars

if TYPE_CHECKING:
    from bots.calendars.busy import busy_spans

__all__ = ["RemoteCalendars", "busy_spans"]


def __getattr__(name: str) -> Any:
    # busy_spans brings icalendar and recurring-ical-events: loaded when first asked for.
    if name == "busy_spans":
        from bots.calendars.busy import busy_spans

        return busy_spans
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
