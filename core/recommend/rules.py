"""The recommendations' rules, on plain values (no database): how much an event of the past
still counts, when a person's weekly picks are due in their own zone, and which item a
“Not interested” names."""

from __future__ import annotations

from datetime import datetime

from core.clock import zone
from core.errors import NotFound
from core.i18n import _

HALF_LIFE_DAYS = 90.0  # an event this old counts half
WEEKDAY = 0  # Monday
FROM_HOUR, UNTIL_HOUR = 9, 21  # local; a job that missed 09:00 still sends later that day
KINDS = ("listing", "consultant")
# The deals that say nothing of a buyer's wants, and the sessions that do: one had, or booked.
DEAL_GONE = ("cancelled", "refunded")
SESSION_HAD = ("completed", "seeker_absent", "no_show_seeker")
SESSION_BOOKED = ("requested", "confirmed", "reschedule_proposed", "starting", "in_session")


def recency(moment: datetime, now: datetime) -> float:
    """1 for today, ½ after HALF_LIFE_DAYS, ¼ after twice that…"""
    days = max(0.0, (now - moment).total_seconds() / 86400)
    return float(0.5 ** (days / HALF_LIFE_DAYS))


def week_of(moment: datetime, zone_name: str | None) -> tuple[str, datetime]:
    """The person's ISO week (“2026-W48”) and local time at `moment` (no zone: UTC)."""
    local = moment.astimezone(zone(zone_name))
    year, week, __ = local.isocalendar()
    return f"{year}-W{week:02d}", local


def is_due(local: datetime) -> bool:
    """The weekly picks go on Monday, from 09:00 until 21:00 local time."""
    return local.weekday() == WEEKDAY and FROM_HOUR <= local.hour < UNTIL_HOUR


def declined_item(key: str) -> tuple[str, int]:
    """(kind, id) of a declined pick's key (“listing:42”); NotFound for anything else."""
    kind, __, raw = key.partition(":")
    if kind not in KINDS or not raw.isdigit() or len(raw) > 12:
        raise NotFound(_("That recommendation doesn't exist."))
    return kind, int(raw)
