"""What a session costs, as stated rules on integer minor units (never floats):

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

from sqlalchemy import func, select

from core.consulting.sessions.tables import ConsultSession
from core.errors import DomainError
from core.money.model import Money
from core.storage.uow import UnitOfWork

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
        raise DomainError(f"A rate is per {', '.join(UNIT_MINUTES)}, not {rate_unit!r}.")
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


def charge_for(session: ConsultSession, ended_at: datetime) -> Money:
    """What the seeker pays for a session ending at `ended_at`, by the rules above."""
    zero = Money(0, session.currency)
    if session.started_at is None or session.paid_from is None or ended_at < session.paid_from:
        return zero
    rate = Money(session.rate_minor, session.currency)
    base_end = session.started_at + timedelta(minutes=session.booked_minutes)
    stop = min(ended_at, base_end + timedelta(minutes=session.extended_minutes))
    if session.rate_unit == "minute":
        due = Money(rate.amount * started_minutes(session.paid_from, stop), rate.currency)
    else:
        due = price_for(rate, session.rate_unit, session.booked_minutes)
        if stop > base_end:
            due += extension_price(rate, session.rate_unit, started_minutes(base_end, stop))
    return min(due, Money(session.authorised_minor, session.currency))


async def free_window_for(uow: UnitOfWork, seeker_id: int, consultant_id: int,
                          excluding: int | None = None) -> int:
    """Free minutes this seeker's next session with this consultant starts with (the booking
    card says so): 10, or 0 once the rule's free sessions for the pair are used."""
    rule = parse_free_rule(uow.policy.free_minutes_rule)
    if rule.kind != "once":
        return FREE_MINUTES if rule.kind == "every" else 0
    query = select(func.count(ConsultSession.id)).where(
        ConsultSession.seeker_id == seeker_id, ConsultSession.consultant_id == consultant_id,
        ConsultSession.free_used.is_(True), ConsultSession.status.in_(STARTED))
    if excluding is not None:
        query = query.where(ConsultSession.id != excluding)
    if rule.days is not None:
        query = query.where(ConsultSession.started_at >= uow.clock.now() - timedelta(days=rule.days))
    used = (await uow.session.execute(query)).scalar_one()
    return 0 if used else FREE_MINUTES
