"""Quiet hours: a local-time window in which non-urgent notifications wait."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, start: str | None, end: str | None, tz: str) -> datetime | None:
    """When the quiet window that contains `now` ends (UTC), or None if it is not quiet now."""
    if not start or not end or start == end:
        return None
    local = now.astimezone(ZoneInfo(tz))
    begin, finish = parse_hhmm(start), parse_hhmm(end)
    t = local.time().replace(second=0, microsecond=0)
    overnight = begin > finish
    inside = (t >= begin or t < finish) if overnight else (begin <= t < finish)
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if overnight and t >= begin else local.date()
    end_local = datetime.combine(end_day, finish, tzinfo=local.tzinfo)
    return end_local.astimezone(now.tzinfo)
