"""How the market's series are cut (core.market.analytics): the months they cover, the month
an instant falls in, and a region's filter (a country, or everywhere)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

MONTHS = 12  # months the series cover, the current one last


def month_starts(now: datetime, count: int = MONTHS) -> list[datetime]:
    """The first instants (UTC) of the last `count` months, oldest first, plus the next one."""
    year, month = now.year, now.month
    starts: list[datetime] = []
    for __ in range(count):
        starts.insert(0, datetime(year, month, 1, tzinfo=UTC))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    year, month = (now.year, now.month + 1) if now.month < 12 else (now.year + 1, 1)
    return [*starts, datetime(year, month, 1, tzinfo=UTC)]


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _index(starts: list[datetime], at: datetime | None) -> int | None:
    at = _aware(at)
    if at is None or at < starts[0] or at >= starts[-1]:
        return None
    return max(i for i in range(len(starts) - 1) if starts[i] <= at)


def _region(column: Any, country: str | None) -> list[Any]:
    return [column == country] if country else []


def _by_month(starts: list[datetime], stamps: list[datetime]) -> list[int]:
    found = [0] * (len(starts) - 1)
    for at in stamps:
        i = _index(starts, at)
        if i is not None:
            found[i] += 1
    return found
