"""Free slots, computed: pure functions over a consultant's weekly hours (in their own zone),
notice, buffer, daily maximum, days off and existing bookings, shown in the seeker's zone.

Everything runs on integer POSIX seconds. Each local day is converted once: on a day without a
daylight-saving change a wall time is `local seconds - offset`; only on the two change days a
year is each candidate converted by itself (a wall time that does not exist that day — the
spring gap — is skipped; one that happens twice — the autumn overlap — is taken the first
time). Busy times widened by the buffer are merged once and looked up by bisection, so a
consultant's fortnight costs a few hundred integer comparisons, never a loop over minutes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.consulting.calendars.port import OwnBusy
from core.consulting.profiles.taxonomy import WEEKDAYS
from core.errors import DomainError
from core.i18n import N_, _, present

DAY = 86_400
# Until each consultant sets their own: how far ahead a time may be booked (as Calendly's
# default), and the steps in which starts are offered from the opening of the hours.
HORIZON_DAYS = 60
GRID_MINUTES = 30
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
Busy = Sequence[tuple[datetime, datetime]]


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone; DomainError for a name that is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("“{name}” is not a time zone; use a name like Europe/Riga.", name=name)) from None


def _minutes(text: str) -> int:
    found = _HHMM.match(text.strip())
    if not found or (found.group(1) == "24" and found.group(2) != "00"):
        raise DomainError(_("“{text}” is not a time of day; write it as 09:00.", text=text))
    return int(found.group(1)) * 60 + int(found.group(2))


def parse_hours(weekly: dict[str, list[list[str]]]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Weekly hours as minutes of the day per weekday (Monday first), checked: known day names,
    each interval starting before it ends, none overlapping."""
    unknown = set(weekly) - set(WEEKDAYS)
    if unknown:
        raise DomainError(_("Unknown day {day}: use {weekdays}.",
                            day=repr(sorted(unknown)[0]), weekdays=', '.join(WEEKDAYS)))
    days = []
    for name in WEEKDAYS:
        spans = sorted((_minutes(a), _minutes(b)) for a, b in weekly.get(name, []))
        for i, (a, b) in enumerate(spans):
            if a >= b:
                raise DomainError(_("On {name} an interval ends before it starts.", name=name))
            if i + 1 < len(spans) and spans[i + 1][0] < b:
                raise DomainError(_("On {name} two intervals overlap.", name=name))
        days.append(tuple(spans))
    return tuple(days)


@dataclass(frozen=True)
class Schedule:
    """A consultant's rules, ready for fast slot computation."""

    zone: ZoneInfo
    hours: tuple[tuple[tuple[int, int], ...], ...]  # per weekday: (start, end) minutes
    notice: int  # seconds
    buffer: int  # seconds
    daily_max: int
    days_off: frozenset[date]
    horizon: int = HORIZON_DAYS * 86400  # seconds: the farthest start bookable from now
    grid: int = GRID_MINUTES  # minutes: starts go from the opening of the hours in these steps

    @classmethod
    def of(cls, weekly_hours: dict[str, list[list[str]]], zone: str, notice_minutes: int,
           buffer_minutes: int, daily_max: int, days_off: Iterable[str | date] = (), *,
           horizon_days: int = HORIZON_DAYS, grid_minutes: int = GRID_MINUTES) -> Schedule:
        """From a profile's fields."""
        off = frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in days_off)
        return cls(zone_of(zone), parse_hours(weekly_hours), notice_minutes * 60,
                   buffer_minutes * 60, daily_max, off, horizon_days * 86400, grid_minutes)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _wall(day: date, minute: int, zone: ZoneInfo) -> tuple[int, bool]:
    """(POSIX seconds, exists) of a wall time on a local day; an ambiguous one is its first."""
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return _epoch(aware), back == naive


class _Day:
    """One local day's conversions: constant offset on most days, exact on change days."""

    def __init__(self, day: date, zone: ZoneInfo) -> None:
        self.day, self.zone = day, zone
        first = datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset()
        last = datetime(day.year, day.month, day.day, 23, 59, tzinfo=zone).utcoffset()
        self.steady = first == last
        self.base = (day.toordinal() - 719_163) * DAY - int(first.total_seconds())  # type: ignore[union-attr]

    def at(self, minute: int) -> tuple[int, bool]:
        if self.steady:
            return self.base + minute * 60, True
        return _wall(self.day, minute, self.zone)


def local_instant(day: date, hhmm: str, zone: str | ZoneInfo) -> datetime:
    """A wall time typed by a person, on a day in their zone, as an aware instant: the first
    of a time the autumn change repeats; DomainError for one the spring change skips."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    seconds, exists = _wall(day, _minutes(hhmm), tz)
    if not exists:
        raise DomainError(_("{hhmm} does not exist on {day} in {key}: the clocks "
                            "go forward then. Choose another time.",
                            hhmm=hhmm, day=present.day(day), key=tz.key))
    return datetime.fromtimestamp(seconds, tz)


def _merged(busy: Busy, buffer: int) -> tuple[list[int], list[int]]:
    """Busy intervals widened by the buffer on both sides and merged: (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted((_epoch(a) - buffer, _epoch(b) + buffer) for a, b in busy):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _clashes(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    i = bisect_right(starts, s) - 1
    if i >= 0 and ends[i] > s:
        return True
    return i + 1 < len(starts) and starts[i + 1] < e


def _per_day(busy: Busy, zone: ZoneInfo) -> dict[date, int]:
    count: dict[date, int] = {}
    for span in busy:
        if isinstance(span, OwnBusy):
            continue  # the consultant's own meeting, not one of their sessions
        start = span[0]
        day = start.astimezone(zone).date()
        count[day] = count.get(day, 0) + 1
    return count


def free_starts(rules: Schedule, busy: Busy, start: datetime, end: datetime, minutes: int,
                now: datetime, step_minutes: int | None = None, limit: int | None = None) -> list[int]:
    """POSIX seconds of every free start of a `minutes` session in [start, end)."""
    taken = _per_day(busy, rules.zone)
    b_starts, b_ends = _merged(busy, rules.buffer)
    lo = max(_epoch(start), _epoch(now) + rules.notice)
    hi = min(_epoch(end), _epoch(now) + rules.horizon + 1)  # none past the horizon
    length, step = minutes * 60, step_minutes or rules.grid
    found: list[int] = []
    day = datetime.fromtimestamp(lo, rules.zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(hi, rules.zone).date()
    while day <= last:
        spans = rules.hours[day.weekday()]
        if spans and day not in rules.days_off and taken.get(day, 0) < rules.daily_max:
            local = _Day(day, rules.zone)
            for a, b in spans:
                close, __ = local.at(b)
                for minute in range(a, b - minutes + 1, step):
                    s, exists = local.at(minute)
                    if not exists:
                        continue  # the spring gap: that wall time never happens that day
                    if s >= hi:
                        break
                    if s < lo or s + length > close:
                        continue
                    if not _clashes(b_starts, b_ends, s, s + length):
                        found.append(s)
                        if limit is not None and len(found) >= limit:
                            return found
        day += timedelta(days=1)
    return found


def free_slots(rules: Schedule, busy: Busy, start: datetime, end: datetime, minutes: int,
               now: datetime, show_in: str | ZoneInfo = "UTC", step_minutes: int | None = None
               ) -> list[datetime]:
    """Free session starts in [start, end), as aware datetimes in the seeker's zone."""
    zone = show_in if isinstance(show_in, ZoneInfo) else zone_of(show_in)
    return [datetime.fromtimestamp(s, zone)
            for s in free_starts(rules, busy, start, end, minutes, now, step_minutes)]


def next_free_slot(rules: Schedule, busy: Busy, now: datetime, minutes: int, days: int = 14,
                   show_in: str | ZoneInfo = "UTC", end: datetime | None = None
                   ) -> datetime | None:
    """The first free start within `days` (or before `end`): a directory card's “next free”,
    in the seeker's zone."""
    zone = show_in if isinstance(show_in, ZoneInfo) else zone_of(show_in)
    until = end or now + timedelta(days=days)
    found = free_starts(rules, busy, now, until, minutes, now, limit=1)
    return datetime.fromtimestamp(found[0], zone) if found else None


def window(now: datetime, seeker_zone: str | ZoneInfo, days: int) -> tuple[datetime, datetime]:
    """From now to the end of the seeker's local day `days` days ahead (“free within N days”)."""
    zone = seeker_zone if isinstance(seeker_zone, ZoneInfo) else zone_of(seeker_zone)
    today = now.astimezone(zone).date()
    end = datetime.combine(today + timedelta(days=days + 1), datetime.min.time(), zone)
    return now, end.astimezone(UTC)


def why_not(rules: Schedule, busy: Busy, starts_at: datetime, minutes: int, now: datetime,
            *, in_hours: bool = True) -> str | None:
    """Why a session can't start then (a sentence, in English: shown as `_(reason)`), or None
    when it can. `in_hours=False` (a time the consultant agrees to, or “talk now”) checks only
    what no agreement can change: the past, the daily maximum and overlaps with buffers."""
    s, length = _epoch(starts_at), minutes * 60
    local = starts_at.astimezone(rules.zone)
    if s < _epoch(now):
        return N_("That time has passed.")
    if in_hours and s < _epoch(now) + rules.notice:
        return N_("That time is too soon: it needs more notice.")
    if in_hours and s > _epoch(now) + rules.horizon:
        return N_("That time is too far ahead to book.")
    if in_hours and local.date() in rules.days_off:
        return N_("That day is a day off.")
    if _per_day(busy, rules.zone).get(local.date(), 0) >= rules.daily_max:
        return N_("That day is fully booked.")
    if in_hours and not _within_hours(rules, local.date(), s, s + length):
        return N_("That time is outside the consultant's hours.")
    if in_hours and not _on_grid(rules, local.date(), s):
        return N_("Sessions start at the times offered: pick one of those.")
    b_starts, b_ends = _merged(busy, rules.buffer)
    if _clashes(b_starts, b_ends, s, s + length):
        return N_("That time was just taken.")
    return None


def _on_grid(rules: Schedule, day: date, s: int) -> bool:
    """Whether `s` is one of the day's starts as `free_starts` steps them: from the opening
    of a span of hours, every `grid` minutes."""
    local = _Day(day, rules.zone)
    return any(local.at(minute) == (s, True)
               for a, b in rules.hours[day.weekday()] for minute in range(a, b, rules.grid))


def _within_hours(rules: Schedule, day: date, s: int, e: int) -> bool:
    local = _Day(day, rules.zone)
    for a, b in rules.hours[day.weekday()]:
        open_at, __ = local.at(a)
        close, __ = local.at(b)
        if open_at <= s and e <= close:
            return True
    return False
