"""What a person's own history says they like: products, regions and consultant fields, each
with a recency-weighted affinity and the reason in words (“you bought wood pellets in Latvia
twice”). Read from their deals, searches, saved searches, watchlist and bookings, as the
recommendations' sources give them (`core.recommend.sources`): the database's, or a test's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from statistics import median

from core.catalog.gazetteer import nearest
from core.catalog.query import SearchQuery
from core.catalog.taxonomy import TYPES, price_per_mwh_minor
from core.consulting.profiles.taxonomy import CATEGORIES
from core.i18n import _, n_
from core.i18n.countries import country_name
from core.recommend.rules import SESSION_BOOKED, SESSION_HAD, recency
from core.recommend.sources import Booked, Bought, Saved, Searched, Sources, Watched
from core.recommend.sql_sources import sources_of
from core.storage.uow import UnitOfWork

# How much one event of each kind says about a person's wants, before recency.
WEIGHTS = {"deal": 3.0, "saved": 2.0, "watch": 1.5, "session": 1.5, "search": 1.0}
# The consultants' fields that go with a product, both ways (a pellet buyer may want a pellet
# quality expert; a session on biogas plants says something about biogas).
FIELD_PRODUCTS: dict[str, tuple[str, ...]] = {
    "pellet-quality": ("pellets", "briquettes"),
    "biogas-plants": ("biogas",),
    "biofuels-regulation": ("biodiesel", "hvo", "bioethanol", "uco"),
    "biomass-sourcing": ("chips", "firewood", "agri"),
    "carbon-accounting": ("biochar",),
}


@dataclass
class Taste:
    """Affinities keyed by ("product", p), ("place", p, country), ("country", c) and
    ("field", category); each key keeps the words of its strongest source."""

    score: dict[tuple[str, ...], float] = field(default_factory=lambda: defaultdict(float))
    reason: dict[tuple[str, ...], tuple[float, str]] = field(default_factory=dict)
    paid_mwh: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    watched: set[int] = field(default_factory=set)
    consultants_met: set[int] = field(default_factory=set)

    def add(self, key: tuple[str, ...], weight: float, words: str) -> None:
        self.score[key] += weight
        if weight > self.reason.get(key, (0.0, ""))[0]:
            self.reason[key] = (weight, words)

    def get(self, key: tuple[str, ...]) -> float:
        return self.score.get(key, 0.0)

    def words(self, key: tuple[str, ...]) -> str:
        return self.reason.get(key, (0.0, ""))[1]

    def price_paid(self, product: str, currency: str) -> int | None:
        """The median price per MWh the person paid for this product (minor units)."""
        paid = self.paid_mwh.get((product, currency))
        return int(median(paid)) if paid else None

    @property
    def empty(self) -> bool:
        return not self.score


def times(n: int) -> str:
    if n == 1:
        return _("once")
    if n == 2:
        return _("twice")
    return n_("{n} time", "{n} times", n)


def label(product: str) -> str:
    return _(TYPES[product].label).lower() if product in TYPES else product


def field_label(category: str) -> str:
    return _(CATEGORIES[category]).lower() if category in CATEGORIES else category.lower()


async def taste_of(uow: UnitOfWork | Sources, account_id: int, now: datetime,
                   before: datetime | None = None) -> Taste:
    """Everything the person's own history says, as of `now`; only events before `before`
    count (the benchmark holds out each buyer's latest deal this way)."""
    sources = sources_of(uow)
    taste = Taste()
    cutoff = before or now
    _deals(taste, await sources.bought(account_id, cutoff), now)
    _searches(taste, await sources.searched(account_id, cutoff), now)
    _saved(taste, await sources.saved(account_id, cutoff), now)
    _watched(taste, await sources.watched(account_id, cutoff), now)
    _sessions(taste, await sources.booked(account_id, cutoff, (*SESSION_HAD, *SESSION_BOOKED)),
              now)
    return taste


def _deals(taste: Taste, deals: list[Bought], now: datetime) -> None:
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for deal in deals:
        w = WEIGHTS["deal"] * recency(deal.at, now)
        groups[(deal.product, deal.country)].append(w)
        paid = _per_mwh(deal.price_minor, deal.energy_mwh_per_unit)
        if paid:
            taste.paid_mwh[(deal.product, deal.currency)].append(paid)
    by_product: dict[str, list[float]] = defaultdict(list)
    for (product, country), weights in groups.items():
        words = (_("you bought {product} in {country} {times}", product=label(product),
                   country=country_name(country), times=times(len(weights))) if country
                 else _("you bought {product} {times}", product=label(product), times=times(len(weights))))
        taste.add(("place", product, country), sum(weights), words)
        taste.add(("country", country), sum(weights) / 2, words)
        by_product[product] += weights
        for category, products in FIELD_PRODUCTS.items():
            if product in products:
                taste.add(("field", category), sum(weights) / 3, words)
    for product, weights in by_product.items():
        taste.add(("product", product), sum(weights),
                  _("you bought {product} {times}", product=label(product), times=times(len(weights))))


def _per_mwh(price_minor: int, energy: str) -> int | None:
    try:
        return price_per_mwh_minor(price_minor, Decimal(energy))
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return None


def _searches(taste: Taste, searches: list[Searched], now: datetime) -> None:
    groups: dict[str, list[float]] = defaultdict(list)
    for search in searches:
        groups[search.product].append(WEIGHTS["search"] * recency(search.at, now))
    for product, weights in groups.items():
        taste.add(("product", product), sum(weights),
                  _("you searched for {product} {times}", product=label(product),
                    times=times(len(weights))))


def _saved(taste: Taste, searches: list[Saved], now: datetime) -> None:
    for saved in searches:
        query = SearchQuery.from_dict(saved.query)
        product = query.product_type or _product_in(query.text)
        if product is None:
            continue
        w = WEIGHTS["saved"] * recency(saved.at, now)
        if query.lat is not None and query.lon is not None:
            place = nearest(query.lat, query.lon)
            words = _("you saved a search for {product} near {city}", product=label(product),
                      city=place.city)
            taste.add(("place", product, place.country), w, words)
            taste.add(("country", place.country), w / 2, words)
        else:
            words = _("you saved a search for {product}", product=label(product))
        taste.add(("product", product), w, words)


def _product_in(text: str) -> str | None:
    folded = text.lower()
    for code, kind in TYPES.items():
        if code in folded or kind.label.lower() in folded:
            return code
    return None


def _watched(taste: Taste, watches: list[Watched], now: datetime) -> None:
    for watch in watches:
        taste.watched.add(watch.listing_id)
        w = WEIGHTS["watch"] * recency(watch.at, now)
        words = _("you watched “{title}”", title=watch.title)
        taste.add(("product", watch.product), w, words)
        taste.add(("place", watch.product, watch.country), w, words)


def _sessions(taste: Taste, bookings: list[Booked], now: datetime) -> None:
    for booking in bookings:
        taste.consultants_met.add(booking.consultant_id)
        w = WEIGHTS["session"] * recency(booking.starts_at or booking.created_at, now)
        had = booking.status in SESSION_HAD
        for category in booking.categories[:2]:
            words = (_("you had a session on {field}", field=field_label(category)) if had
                     else _("you booked a session on {field}", field=field_label(category)))
            taste.add(("field", category), w, words)
            for product in FIELD_PRODUCTS.get(category, ()):
                taste.add(("product", product), w / 2, words)
