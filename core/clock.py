"""Time as a port, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


def zone(name: str | None) -> ZoneInfo:
    """A person's time zone by its IANA name; UTC when they have none or it is not one."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(moment: datetime, timezone: str | None) -> str:
    """A moment as a person reads it in their own zone and conventions: “Mon 24 Nov, 14:00
    (Europe/Riga)”, “Mo., 24. Nov., 14:00 (Europe/Riga)”."""
    from core.i18n.present import when

    where = zone(timezone)
    return f"{when(moment.astimezone(where), 'MMMEdHm')} ({where.key})"
