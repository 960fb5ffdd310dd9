"""The price indices' methodology as plain rules (no database): which trades count, how a
week's value is made, and when it is not published. `docs/price-index.md` states the same.

1. A trade counts for an index when it is in the index's currency (no exchange rates are
   kept: other currencies are left out), on the index's delivery basis (other Incoterms are
   left out, not normalised: Agora does not know the freight between two terms), in tonnes
   (or kilograms, converted; trades by volume or energy are left out) and of the index's grade.
2. The week is the ISO week (Monday 00:00 to Monday 00:00 UTC) of the trade's completion
   (a deal) or award (a tender's or auction's deal).
3. Outliers: a trade priced more than TRIM_BAND (25 %) above or below the week's
   volume-weighted median is dropped.
4. The value is the volume-weighted average price per tonne of the trades kept, and per MWh
   their value over their energy (each listing's energy per tonne: the seller's lab NCV where
   given, else the catalogue's default). Without an energy figure it is per tonne only.
5. Not published (never a number) unless the trades kept come from at least MIN_SELLERS
   sellers and MIN_BUYERS buyers, and no seller or buyer holds more than MAX_SHARE of the
   volume — so no party's price can be read back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

TRIM_BAND = Decimal("0.25")
MIN_SELLERS = 3
MIN_BUYERS = 3
MAX_SHARE = Decimal("0.6")
FIRST_WEEKS = 26  # weeks computed back when an index is first computed
TONNES = {"t": Decimal(1), "kg": Decimal("0.001")}  # tonnes in one trade unit


@dataclass(frozen=True)
class Trade:
    """One completed deal or award, as the index reads it."""

    seller_id: int
    buyer_id: int
    quantity: Decimal  # in `unit`
    unit: str
    price_minor: int  # per `unit`
    currency: str
    basis: str | None  # the agreed delivery term
    grade: str | None
    mwh_per_unit: Decimal  # 0: unknown


class Unpublished(StrEnum):
    NO_TRADES = "no-trades"
    FEW_PARTIES = "few-parties"


@dataclass(frozen=True)
class WeekValue:
    """A week's figure: the value per tonne (and per MWh) when published, else why not."""

    per_t_minor: int | None
    per_mwh_minor: int | None
    tonnes: Decimal
    deals: int
    dropped: int  # outliers trimmed
    unpublished: Unpublished | None = None


@dataclass(frozen=True)
class _Priced:
    trade: Trade
    tonnes: Decimal
    per_t: Decimal  # minor units per tonne
    mwh: Decimal  # energy of the whole trade, 0 when unknown


def counts(trade: Trade, currency: str, basis: str, grade: str | None) -> bool:
    """Whether a trade counts for an index of this currency, basis and grade (rule 1)."""
    return (trade.currency == currency and (trade.basis or "").upper() == basis
            and trade.unit in TONNES and trade.quantity > 0
            and (grade is None or (trade.grade or "").strip().lower() == grade.lower()))


def _priced(trade: Trade) -> _Priced:
    per_unit = TONNES[trade.unit]
    return _Priced(trade, trade.quantity * per_unit, Decimal(trade.price_minor) / per_unit,
                   trade.quantity * trade.mwh_per_unit)


def weighted_median(prices: list[tuple[Decimal, Decimal]]) -> Decimal:
    """The price at which half the volume is traded at or below (pairs of price, volume)."""
    ordered = sorted(prices)
    half = sum(v for _p, v in ordered) / 2
    running = Decimal(0)
    for price, volume in ordered:
        running += volume
        if running >= half:
            return price
    raise ValueError("no prices")


def trim(trades: list[_Priced]) -> tuple[list[_Priced], int]:
    """The trades within TRIM_BAND of the volume-weighted median, and how many were dropped."""
    median = weighted_median([(t.per_t, t.tonnes) for t in trades])
    low, high = median * (1 - TRIM_BAND), median * (1 + TRIM_BAND)
    kept = [t for t in trades if low <= t.per_t <= high]
    return kept, len(trades) - len(kept)


def enough_parties(trades: list[Trade]) -> bool:
    """At least MIN_SELLERS sellers and MIN_BUYERS buyers, none above MAX_SHARE of the volume."""
    priced = [_priced(t) for t in trades]
    total = sum(p.tonnes for p in priced)
    for side, least in ((lambda t: t.seller_id, MIN_SELLERS), (lambda t: t.buyer_id, MIN_BUYERS)):
        shares: dict[int, Decimal] = defaultdict(Decimal)
        for p in priced:
            shares[side(p.trade)] += p.tonnes
        if len(shares) < least or max(shares.values()) > total * MAX_SHARE:
            return False
    return True


def _minor(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_EVEN))


def week_value(trades: list[Trade]) -> WeekValue:
    """The week's value from the trades that count (rules 3 to 5)."""
    if not trades:
        return WeekValue(None, None, Decimal(0), 0, 0, Unpublished.NO_TRADES)
    kept, dropped = trim([_priced(t) for t in trades])
    tonnes = sum((p.tonnes for p in kept), Decimal(0))
    if not enough_parties([p.trade for p in kept]):
        return WeekValue(None, None, tonnes, len(kept), dropped, Unpublished.FEW_PARTIES)
    value = sum((p.per_t * p.tonnes for p in kept), Decimal(0))
    energy = sum((p.mwh for p in kept), Decimal(0))
    known = all(p.mwh > 0 for p in kept)
    return WeekValue(_minor(value / tonnes), _minor(value / energy) if known else None,
                     tonnes, len(kept), dropped)


def week_start(at: datetime) -> date:
    """The Monday of the ISO week an instant (UTC) falls in."""
    day = at.astimezone(UTC).date() if at.tzinfo else at.date()
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start, start + timedelta(weeks=1)


def week_label(monday: date) -> str:
    """“2026-W47”: the ISO week, as the CSV and the chart's data write it."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_due(last_done: date | None, now: datetime) -> list[date]:
    """The ended weeks not yet computed, oldest first: after the last one stored, or the last
    FIRST_WEEKS when none is. The running week is never computed (it has not ended)."""
    current = week_start(now)
    first = last_done + timedelta(weeks=1) if last_done else current - timedelta(weeks=FIRST_WEEKS)
    return [first + timedelta(weeks=n) for n in range((current - first).days // 7)]


def change_percent(latest: int, previous: int | None) -> Decimal | None:
    """Week-on-week change as a fraction (0.05 is +5 %), or None without a previous value."""
    if not previous:
        return None
    return (Decimal(latest - previous) / Decimal(previous)).quantize(Decimal("0.0001"))
