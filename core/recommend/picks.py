"""Scoring, in the open: a listing earns points for its product, its product in that country and
its country from the person's taste, a price near what they paid, and its seller's reputation;
a consultant for their fields and rating. Each pick keeps the words of what earned it most.

Never picked: the person's own listings or profile, listings not published, expired or with
nothing left, consultants not live, anything the person declined, listings already on their
watchlist, consultants they already booked.

What is on offer, and the person's history, come from the recommendations' sources
(`core.recommend.sources`): given the unit of work, the database; given sources, those (the
tests' in-memory ones), so the scoring is tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.i18n import _, present
from core.i18n.countries import country_name
from core.money.model import Money
from core.recommend.sources import Adviser, OnOffer, SellerRating, Sources
from core.recommend.sql_sources import sources_of
from core.recommend.taste import Taste, field_label, taste_of
from core.storage.uow import UnitOfWork

# What each kind of affinity is worth per point of taste.
PRODUCT, PLACE, COUNTRY, FIELD = 1.0, 1.5, 0.3, 1.0
PRICE = 0.6  # at most, for a price per MWh equal to what the person paid
REPUTATION = 0.4  # at most either way, for a 5★ (or 1★) seller or consultant
LIMIT = 5


@dataclass(frozen=True)
class Pick:
    """One recommended listing or consultant, its score and the reasons in words."""

    kind: str  # listing | consultant
    item_id: int
    title: str
    score: float
    reasons: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_id}"


async def recommend(uow: UnitOfWork | Sources, account_id: int, *, limit: int = LIMIT,
                    consultants: int = 2, before: datetime | None = None) -> list[Pick]:
    """The person's best picks now: up to `limit` in all, of which up to `consultants`
    consultants; empty when their history says nothing yet."""
    sources = sources_of(uow)
    now = sources.now()
    taste = await taste_of(sources, account_id, now, before)
    if taste.empty:
        return []
    declined = await sources.declined(account_id)
    people = (await consultant_picks(sources, account_id, taste, declined))[:consultants]
    goods = await listing_picks(sources, account_id, taste, declined, now)
    return sorted([*goods[: limit - len(people)], *people], key=lambda p: -p.score)


async def listing_picks(sources: Sources, account_id: int, taste: Taste, declined: set[str],
                        now: datetime) -> list[Pick]:
    """Every published listing the taste says something about, best first."""
    products = [k[1] for k in taste.score if k[0] == "product"]
    countries = [k[1] for k in taste.score if k[0] == "country" and k[1]]
    picks = []
    for listing, stats in await sources.on_offer(account_id, products, countries, now):
        if f"listing:{listing.id}" in declined or listing.id in taste.watched:
            continue
        pick = score_listing(taste, listing, stats)
        if pick is not None:
            picks.append(pick)
    return sorted(picks, key=lambda p: (-p.score, p.item_id))


def score_listing(taste: Taste, listing: OnOffer, stats: SellerRating | None) -> Pick | None:
    """A listing's points and reasons; None when nothing in the taste points at it."""
    product, country = listing.product_type, listing.country or ""
    parts = [(PLACE * taste.get(("place", product, country)), taste.words(("place", product, country))),
             (PRODUCT * taste.get(("product", product)), taste.words(("product", product))),
             (COUNTRY * taste.get(("country", country)), taste.words(("country", country)))]
    if not any(points for points, __ in parts[:2]):
        return None  # a country alone is no reason to offer a product
    extra: list[tuple[float, str]] = []
    paid = taste.price_paid(product, listing.currency)
    if paid and listing.price_mwh_minor:
        closeness = max(0.0, 1 - abs(listing.price_mwh_minor - paid) / paid)
        extra.append((PRICE * closeness, "" if closeness < 0.85 else
                      _("near the {amount}/MWh you paid", amount=Money(paid, listing.currency))))
    if stats is not None and stats.ratings:
        stars = stats.rating_x10 / 10
        extra.append((REPUTATION * (stars - 3) / 2,
                      _("seller rated {stars}★", stars=present.stars_value(stars)) if stars >= 4.5 else ""))
    return _pick("listing", listing.id, f"{listing.title} — {listing.city}, "
                 f"{country_name(country)}" if country else f"{listing.title} — {listing.city}",
                 parts, extra)


async def consultant_picks(sources: Sources, account_id: int, taste: Taste,
                           declined: set[str]) -> list[Pick]:
    """Live consultants in the fields the taste points at, best first."""
    if not any(k[0] == "field" for k in taste.score):
        return []
    picks = []
    for profile, name in await sources.advisers(account_id):
        if f"consultant:{profile.account_id}" in declined or \
                profile.account_id in taste.consultants_met:
            continue
        pick = score_consultant(taste, profile, name)
        if pick is not None:
            picks.append(pick)
    return sorted(picks, key=lambda p: (-p.score, p.item_id))


def score_consultant(taste: Taste, profile: Adviser, name: str) -> Pick | None:
    """A consultant's points for their fields and rating; None when no field matches."""
    parts = sorted(((FIELD * taste.get(("field", str(c))), taste.words(("field", str(c))))
                    for c in profile.categories), reverse=True)
    if not parts or not parts[0][0]:
        return None
    extra: list[tuple[float, str]] = []
    if profile.ratings:
        stars = profile.stars_total / profile.ratings
        extra.append((REPUTATION * (stars - 3) / 2,
                      _("rated {stars}★", stars=present.stars_value(stars)) if stars >= 4.5 else ""))
    fields = ", ".join(field_label(str(c)) for c in profile.categories[:2])
    return _pick("consultant", profile.account_id, f"{name} — {profile.headline or fields}",
                 parts, extra)


def _pick(kind: str, item_id: int, title: str, parts: list[tuple[float, str]],
          extra: list[tuple[float, str]]) -> Pick | None:
    score = sum(points for points, __ in [*parts, *extra])
    words: list[str] = []
    for points, text in sorted(parts, key=lambda p: -p[0]):
        stem = text.rsplit(" ", 1)[0]  # “you bought wood pellets” without the count
        if points > 0 and text and len(words) < 2 and not any(w.startswith(stem) for w in words):
            words.append(text)
    words += [text for points, text in extra if points > 0 and text]
    return Pick(kind, item_id, title, round(score, 3), tuple(words))
