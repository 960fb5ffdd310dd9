"""What a session costs, as stated rules (plain values, no database) on integer minor units (never floats):

- A per-session rate (`session30`, `session60`) is the price of one block of 30 or 60 minutes;
  a booking of several blocks costs that many. Time beyond the booked length (once extended)
  costs the block's price per minute (price ÷ block minutes), rounded half up at the end.
- A per-minute rate costs the rate per started minute from the end of the free window
  (`paid_from`) to the end, or to the booked end when the session ran over.
- Ended before the free window closed: nothing. Never more than the authorisation.
- The free window (10 minutes) is offered per seeker and consultant by `AGORA_FREE_MINUTES_RULE`:
  "once per pair" (default), "once per pair per N days", "every session" or "never".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.errors import DomainError
from core.i18n import _
from core.money.model import Money

FREE_MINUTES = 10
UNIT_MINUTES = {"session30": 30, "session60": 60, "minute": 1}
STARTED = ("live_free", "live_paid", "overtime", "ended_free", "ended_paid")
_RULE = re.compile(r"^\s*(once per pair(?: per (\d{1,4}) days?)?|every session|never)\s*$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class FreeRule:
    """How often a seeker gets the free window with one consultant."""

    kind: str  # once | every | never
    days: int | None = None  # once per pair within this many days; None: ever


def parse_free_rule(text: str) -> FreeRule:
    """“once per pair”, “once per pair per 30 days”, “every session” or “never”."""
    match = _RULE.match(text or "")
    if match is None:
        raise ValueError("must be 'once per pair', 'once per pair per N days', "
                         "'every session' or 'never'")
    words = match.group(1).lower()
    if words == "never":
        return FreeRule("never")
    if words == "every session":
        return FreeRule("every")
    return FreeRule("once", int(match.group(2)) if match.group(2) else None)


def check_unit(rate_unit: str) -> int:
    """The minutes one unit of the rate buys (30, 60 or 1); DomainError for an unknown unit."""
    if rate_unit not in UNIT_MINUTES:
        raise DomainError(_("A rate is per {unit_minutes}, not {rate_unit}.",
                            unit_minutes=', '.join(UNIT_MINUTES), rate_unit=repr(rate_unit)))
    return UNIT_MINUTES[rate_unit]


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def price_for(rate: Money, rate_unit: str, minutes: int) -> Money:
    """The most a booking of `minutes` can cost (what is authorised): whole blocks for a
    per-session rate, every minute for a per-minute one."""
    block = check_unit(rate_unit)
    return Money(rate.amount * math.ceil(minutes / block), rate.currency)


def extension_price(rate: Money, rate_unit: str, minutes: int) -> Money:
    """`minutes` beyond the booked length: the block's price per minute, rounded half up."""
    block = check_unit(rate_unit)
    return Money(_half_up(Decimal(rate.amount) * minutes / block), rate.currency)


def started_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end`, each started minute counting as one."""
    seconds = (end - start).total_seconds()
    return max(0, math.ceil(seconds / 60))


def charge(rate: Money, rate_unit: str, started_at: datetime | None,
           paid_from: datetime | None, booked_minutes: int, extended_minutes: int,
           authorised: Money, ended_at: datetime) -> Money:
    """What the seeker pays for a session ending at `ended_at`, by the rules above."""
    zero = Money(0, rate.currency)
    if started_at is None or paid_from is None or ended_at < paid_from:
        return zero
    base_end = started_at + timedelta(minutes=booked_minutes)
    stop = min(ended_at, base_end + timedelta(minutes=extended_minutes))
    if rate_unit == "minute":
        due = Money(rate.amount * started_minutes(paid_from, stop), rate.currency)
    else:
        due = price_for(rate, rate_unit, booked_minutes)
        if stop > base_end:
            due += extension_price(rate, rate_unit, started_minutes(base_end, stop))
    return min(due, authorised)


def free_window(rule: FreeRule, used: int) -> int:
    """Free minutes a session starts with under `rule`, when the pair has used `used` free
    windows (within the rule's days): 10, or 0 once the free sessions are used."""
    if rule.kind != "once":
        return FREE_MINUTES if rule.kind == "every" else 0
    return 0 if used else FREE_MINUTES
