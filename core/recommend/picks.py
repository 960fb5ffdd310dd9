"""Scoring, in the open: a listing earns points for its product, its product in that country and
its country from the person's taste, a price near what they paid, and its seller's reputation;
a consultant for their fields and rating. Each pick keeps the words of what earned it most.

Never picked: the person's own listings or profile, listings not published, expired or with
nothing left, consultants not live, anything the person declined, listings already on their
watchlist, consultants they already booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from core.accounts.tables import Account
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SellerStats
from core.consulting.tables import ConsultantProfile
from core.i18n import _, present
from core.i18n.countries import country_name
from core.money.model import Money
from core.recommend.tables import PickDeclined
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


async def recommend(uow: UnitOfWork, account_id: int, *, limit: int = LIMIT,
                    consultants: int = 2, before: datetime | None = None) -> list[Pick]:
    """The person's best picks now: up to `limit` in all, of which up to `consultants`
    consultants; empty when their history says nothing yet."""
    now = uow.clock.now()
    taste = await taste_of(uow, account_id, now, before)
    if taste.empty:
        return []
    declined = await declined_keys(uow, account_id)
    people = (await consultant_picks(uow, account_id, taste, declined))[:consultants]
    goods = await listing_picks(uow, account_id, taste, declined, now)
    return sorted([*goods[: limit - len(people)], *people], key=lambda p: -p.score)


async def declined_keys(uow: UnitOfWork, account_id: int) -> set[str]:
    rows = await uow.session.execute(select(PickDeclined.kind, PickDeclined.item_id)
                                     .where(PickDeclined.account_id == account_id))
    return {f"{kind}:{item}" for kind, item in rows.all()}


async def listing_picks(uow: UnitOfWork, account_id: int, taste: Taste, declined: set[str],
                        now: datetime) -> list[Pick]:
    """Every published listing the taste says something about, best first."""
    products = [k[1] for k in taste.score if k[0] == "product"]
    countries = [k[1] for k in taste.score if k[0] == "country" and k[1]]
    stmt = (select(Listing, SellerStats).outerjoin(SellerStats,
                                                   SellerStats.account_id == Listing.seller_id)
            .where(Listing.status == ListingState.PUBLISHED, Listing.seller_id != account_id,
                   Listing.quantity_milli > 0,
                   or_(Listing.expires_at.is_(None), Listing.expires_at > now),
                   or_(Listing.product_type.in_(products), Listing.country.in_(countries))))
    picks = []
    for listing, stats in (await uow.session.execute(stmt)).all():
        if f"listing:{listing.id}" in declined or listing.id in taste.watched:
            continue
        pick = score_listing(taste, listing, stats)
        if pick is not None:
            picks.append(pick)
    return sorted(picks, key=lambda p: (-p.score, p.item_id))


def score_listing(taste: Taste, listing: Listing, stats: SellerStats | None) -> Pick | None:
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


async def consultant_picks(uow: UnitOfWork, account_id: int, taste: Taste, declined: set[str]
                           ) -> list[Pick]:
    """Live consultants in the fields the taste points at, best first."""
    if not any(k[0] == "field" for k in taste.score):
        return []
    stmt = (select(ConsultantProfile, Account.display_name)
            .join(Account, Account.id == ConsultantProfile.account_id)
            .where(ConsultantProfile.live.is_(True), ConsultantProfile.account_id != account_id))
    picks = []
    for profile, name in (await uow.session.execute(stmt)).all():
        if f"consultant:{profile.account_id}" in declined or \
                profile.account_id in taste.consultants_met:
            continue
        pick = score_consultant(taste, profile, name)
        if pick is not None:
            picks.append(pick)
    return sorted(picks, key=lambda p: (-p.score, p.item_id))


def score_consultant(taste: Taste, profile: ConsultantProfile, name: str) -> Pick | None:
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
