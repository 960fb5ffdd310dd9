"""Market analytics for one product and region (a country, or everywhere): price per MWh by
month from completed deals and listings on the market (median and range), volume traded,
demand (searches, saved searches, offers), supply (quantity listed) and a short price forecast.

Prices stay in minor units per MWh and are never converted between currencies: a series is in
one currency. Quantities are compared in MWh (quantity times the listing's energy per unit).
The months are cut in core.market.series; demand is counted in core.market.demand; the rows
all this is computed from are read through core.market.history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from core.catalog.rules import ListingState
from core.catalog.taxonomy import TYPES, price_per_mwh_minor
from core.i18n import _
from core.market.demand import _offers, _saved, _searches
from core.market.forecast import Forecast, forecast_prices
from core.market.history import AwardRow, ListingRow, MarketHistory
from core.market.series import _aware, _index, month_starts
from core.market.sql_history import history_of
from core.storage.uow import UnitOfWork

PUBLIC_MIN_DEALS = 3  # the public page shows a month's deal prices only from this many deals


@dataclass(frozen=True)
class Spread:
    """Median and range of prices per MWh (minor units) and how many made them."""

    count: int
    median: int | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Month:
    label: str  # "2026-03"
    deals: Spread  # completed deals' unit prices per MWh
    asks: Spread  # asking prices of listings on the market that month
    volume_mwh: Decimal  # traded in completed deals
    supply_mwh: Decimal  # listed on the market that month
    searches: int
    saved: int  # saved searches created
    offers: int  # negotiations opened (first offers)
    awarded: Spread = Spread(0)  # tenders' and auctions' awarded prices per MWh (price records)


@dataclass(frozen=True)
class MarketAnalytics:
    product_type: str
    country: str | None  # None: every region
    currency: str
    months: list[Month]
    live_listings: int
    live_supply_mwh: Decimal  # quantity on the market now
    live_asks: Spread
    saved_active: int  # saved searches for this product still alerting
    forecast: Forecast | None
    no_forecast: str = ""  # why there is no forecast, in plain words
    currencies: list[str] = field(default_factory=list)  # every currency with prices here
    public: bool = False  # months with few deals keep their prices to themselves

    @property
    def deals(self) -> int:
        return sum(m.deals.count for m in self.months)

    @property
    def volume_mwh(self) -> Decimal:
        return sum((m.volume_mwh for m in self.months), Decimal(0))


def spread(values: list[int]) -> Spread:
    """Median (halves rounded up) and range of integer prices."""
    if not values:
        return Spread(0)
    middle = Decimal(str(median(values))).to_integral_value(ROUND_HALF_UP)
    return Spread(len(values), int(middle), min(values), max(values))


def _mwh(quantity_milli: int, energy: str | None) -> Decimal:
    return Decimal(quantity_milli) / 1000 * Decimal(energy or "0")


async def market_analytics(uow: UnitOfWork | MarketHistory, product_type: str, country: str | None = None,
                           currency: str | None = None, *, public: bool = False
                           ) -> MarketAnalytics:
    """Everything the market charts show for a product in a region over the last 12 months.
    `currency` picks the series (default: the one with most prices); `public` hides the
    prices and volume of months with fewer than PUBLIC_MIN_DEALS deals."""
    history = history_of(uow)
    now = history.now()
    starts = month_starts(now)
    deals = await history.completed_deals(product_type, country, starts[0])
    listed = await history.listed(product_type, country)
    records = await history.awards(product_type, country, starts[0])
    counts = Counter([d.currency for d in deals] + [r.currency for r in listed]
                     + [r.currency for r in records])
    currency = currency if currency is not None and currency in counts else (
        counts.most_common(1)[0][0] if counts else (currency or "EUR"))
    month_deals: list[list[int]] = [[] for __ in starts[:-1]]
    volume = [Decimal(0) for __ in starts[:-1]]
    for d in deals:
        i = _index(starts, d.updated_at)
        if i is None:
            continue
        volume[i] += _mwh(d.quantity_milli, d.energy_mwh_per_unit)
        per_mwh = price_per_mwh_minor(d.price_minor, Decimal(d.energy_mwh_per_unit or "0"))
        if d.currency == currency and per_mwh is not None:
            month_deals[i].append(per_mwh)
    awarded = _awarded(records, starts, currency)
    asks, supply, live = _listed(listed, starts, now, currency)
    searches = await _searches(history, product_type, country, starts)
    saved, saved_active = await _saved(history, product_type, country, starts)
    offers = await _offers(history, product_type, country, starts)
    months = []
    for i, start in enumerate(starts[:-1]):
        dealt = spread(month_deals[i])
        shown = dealt if not public or dealt.count >= PUBLIC_MIN_DEALS else Spread(dealt.count)
        hidden_volume = public and 0 < dealt.count < PUBLIC_MIN_DEALS
        won = spread(awarded[i])
        months.append(Month(f"{start:%Y-%m}", shown, spread(asks[i]),
                            Decimal(0) if hidden_volume else volume[i].quantize(Decimal("0.1")),
                            supply[i].quantize(Decimal("0.1")), searches[i], saved[i], offers[i],
                            won if not public or won.count >= PUBLIC_MIN_DEALS
                            else Spread(won.count)))
    medians = [m.deals.median for m in months]
    what = (_("at least {least} completed deals", least=PUBLIC_MIN_DEALS) if public
            else _("completed deals"))
    forecast, why = forecast_prices([m.label for m in months], medians, starts[-1], what)
    live_prices = [p for p, __ in live]
    return MarketAnalytics(
        product_type, country, currency, months, len(live),
        sum((q for __, q in live), Decimal(0)).quantize(Decimal("0.1")), spread(live_prices),
        saved_active, forecast, why, sorted(counts, key=lambda c: (-counts[c], c)), public)


def _awarded(rows: Sequence[AwardRow], starts: list[datetime], currency: str) -> list[list[int]]:
    """Each month's awarded tender and auction prices per MWh in the currency shown."""
    found: list[list[int]] = [[] for __ in starts[:-1]]
    for r in rows:
        i = _index(starts, r.recorded_at)
        if i is not None and r.currency == currency and r.price_mwh_minor is not None:
            found[i].append(r.price_mwh_minor)
    return found


def _listed(rows: Sequence[ListingRow], starts: list[datetime], now: datetime, currency: str
            ) -> tuple[list[list[int]], list[Decimal], list[tuple[int, Decimal]]]:
    """Asking prices and quantities of listings on the market each month, and those live now.
    A listing is on the market from publication until it expires, or until its last change
    once it left (paused, sold out, expired, closed)."""
    asks: list[list[int]] = [[] for __ in starts[:-1]]
    supply = [Decimal(0) for __ in starts[:-1]]
    live: list[tuple[int, Decimal]] = []
    for r in rows:
        begin = _aware(r.published_at)
        assert begin is not None  # the query reads only listings that were published
        expires = _aware(r.expires_at) or now
        end = min(expires, now) if r.status == ListingState.PUBLISHED else min(
            expires, _aware(r.updated_at) or now)
        quantity = _mwh(r.quantity_milli, r.energy_mwh_per_unit)
        if r.status == ListingState.PUBLISHED and expires > now:
            if r.currency == currency and r.price_mwh_minor is not None:
                live.append((r.price_mwh_minor, quantity))
            end = now
        for i in range(len(starts) - 1):
            if begin < starts[i + 1] and end >= starts[i]:
                supply[i] += quantity
                if r.currency == currency and r.price_mwh_minor is not None:
                    asks[i].append(r.price_mwh_minor)
    return asks, supply, live


async def regions(uow: UnitOfWork | MarketHistory, product_type: str, limit: int = 5
                  ) -> list[str]:
    """Countries with the most listings of this product on the market (for region buttons)."""
    return await history_of(uow).regions(product_type, limit)


async def interests(uow: UnitOfWork | MarketHistory, account_id: int) -> list[str]:
    """The products a person sells, then those they bought, then those they searched for."""
    mine = await history_of(uow).dealings(account_id)
    found = list(mine.sold)
    found += [code for code in mine.bought if code not in found]
    searched: Counter[str] = Counter()
    for code, text in mine.searched:
        if code in TYPES:
            searched[code] += 1
            continue
        words = set(str(text or "").lower().split())
        for kind in TYPES.values():
            if words & set(kind.keywords.split()) or kind.code in words:
                searched[kind.code] += 1
                break
    return found + [c for c, __ in searched.most_common() if c not in found]
