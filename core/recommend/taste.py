"""What a person's own history says they like: products, regions and consultant fields, each
with a recency-weighted affinity and the reason in words (“you bought wood pellets in Latvia
twice”). Read from their deals, searches, saved searches, watchlist and bookings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from statistics import median

from sqlalchemy import select

from core.catalog.gazetteer import nearest
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing, SavedSearch, SearchLog, Watch
from core.catalog.taxonomy import TYPES, price_per_mwh_minor
from core.consulting.profiles.taxonomy import CATEGORIES
from core.consulting.tables import Booking, ConsultantProfile
from core.deals.tables import Deal
from core.i18n import _, n_
from core.i18n.countries import country_name
from core.recommend.rules import recency
from core.storage.uow import UnitOfWork

# How much one event of each kind says about a person's wants, before recency.
WEIGHTS = {"deal": 3.0, "saved": 2.0, "watch": 1.5, "session": 1.5, "search": 1.0}
DEAL_GONE = ("cancelled", "refunded")
SESSION_HAD = ("completed", "seeker_absent", "no_show_seeker")
SESSION_BOOKED = ("requested", "confirmed", "reschedule_proposed", "starting", "in_session")
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


async def taste_of(uow: UnitOfWork, account_id: int, now: datetime,
                   before: datetime | None = None) -> Taste:
    """Everything the person's own history says, as of `now`; only events before `before`
    count (the benchmark holds out each buyer's latest deal this way)."""
    taste = Taste()
    cutoff = before or now
    await _deals(uow, taste, account_id, now, cutoff)
    await _searches(uow, taste, account_id, now, cutoff)
    await _saved(uow, taste, account_id, now, cutoff)
    await _watched(uow, taste, account_id, now, cutoff)
    await _sessions(uow, taste, account_id, now, cutoff)
    return taste


async def _deals(uow: UnitOfWork, taste: Taste, account_id: int, now: datetime,
                 cutoff: datetime) -> None:
    stmt = (select(Deal, Listing).join(Listing, Listing.id == Deal.listing_id)
            .where(Deal.buyer_id == account_id, Deal.status.not_in(DEAL_GONE),
                   Deal.created_at < cutoff))
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for deal, listing in (await uow.session.execute(stmt)).all():
        w = WEIGHTS["deal"] * recency(deal.created_at, now)
        groups[(listing.product_type, listing.country or "")].append(w)
        paid = _per_mwh(deal.price_minor, listing.energy_mwh_per_unit)
        if paid:
            taste.paid_mwh[(listing.product_type, deal.currency)].append(paid)
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


async def _searches(uow: UnitOfWork, taste: Taste, account_id: int, now: datetime,
                    cutoff: datetime) -> None:
    stmt = select(SearchLog).where(SearchLog.account_id == account_id,
                                   SearchLog.product_type.is_not(None),
                                   SearchLog.created_at < cutoff)
    groups: dict[str, list[float]] = defaultdict(list)
    for row in (await uow.session.execute(stmt)).scalars():
        groups[str(row.product_type)].append(WEIGHTS["search"] * recency(row.created_at, now))
    for product, weights in groups.items():
        taste.add(("product", product), sum(weights),
                  _("you searched for {product} {times}", product=label(product),
                    times=times(len(weights))))


async def _saved(uow: UnitOfWork, taste: Taste, account_id: int, now: datetime,
                 cutoff: datetime) -> None:
    stmt = select(SavedSearch).where(SavedSearch.account_id == account_id,
                                     SavedSearch.active.is_(True), SavedSearch.created_at < cutoff)
    for saved in (await uow.session.execute(stmt)).scalars():
        query = SearchQuery.from_dict(saved.query)
        product = query.product_type or _product_in(query.text)
        if product is None:
            continue
        w = WEIGHTS["saved"] * recency(saved.created_at, now)
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


async def _watched(uow: UnitOfWork, taste: Taste, account_id: int, now: datetime,
                   cutoff: datetime) -> None:
    stmt = (select(Watch, Listing).join(Listing, Listing.id == Watch.listing_id)
            .where(Watch.account_id == account_id, Watch.created_at < cutoff))
    for watch, listing in (await uow.session.execute(stmt)).all():
        taste.watched.add(listing.id)
        w = WEIGHTS["watch"] * recency(watch.created_at, now)
        words = _("you watched “{title}”", title=listing.title)
        taste.add(("product", listing.product_type), w, words)
        taste.add(("place", listing.product_type, listing.country or ""), w, words)


async def _sessions(uow: UnitOfWork, taste: Taste, account_id: int, now: datetime,
                    cutoff: datetime) -> None:
    stmt = (select(Booking, ConsultantProfile)
            .join(ConsultantProfile, ConsultantProfile.account_id == Booking.consultant_id)
            .where(Booking.seeker_id == account_id,
                   Booking.status.in_((*SESSION_HAD, *SESSION_BOOKED)),
                   Booking.created_at < cutoff))
    for booking, profile in (await uow.session.execute(stmt)).all():
        taste.consultants_met.add(booking.consultant_id)
        w = WEIGHTS["session"] * recency(booking.starts_at or booking.created_at, now)
        had = booking.status in SESSION_HAD
        for category in profile.categories[:2]:
            words = (_("you had a session on {field}", field=field_label(str(category))) if had
                     else _("you booked a session on {field}", field=field_label(str(category))))
            taste.add(("field", str(category)), w, words)
            for product in FIELD_PRODUCTS.get(str(category), ()):
                taste.add(("product", product), w / 2, words)
