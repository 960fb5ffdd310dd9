"""A listing's read model in the current reader's words and conventions: the one place each
of its fields becomes text (core.i18n.present for figures and days, the catalogue for words).

The chat card, the result line, the site's and Mini App's pages and the console all lay out
these same words, so a German reads “24,5 t”, “245,50 € pro t” and “1. Dez. 2026” on every
face of the same listing.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.gazetteer import place_name, town_name
from core.catalog.listing_card import ListingCard
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, SPEC_LABELS, product
from core.deals.ratings.reputation import stars_text
from core.i18n import _, n_, present


@dataclass(frozen=True)
class ListingWords:
    title: str
    product: str  # “Wood pellets”
    grade: str
    unit: str  # the unit's words: “t”, “loose m³”
    price: str  # “€230.00”
    price_per_unit: str  # “€230.00 per t”
    per_mwh: str | None  # “€47.92”
    per_mwh_phrase: str | None  # “€47.92 per MWh”
    quantity: str  # “22,000 t”
    min_order: str | None
    town: str  # “Rīga”
    place: str  # “Rīga, Latvia”: a town and its country, never an address
    delivery: tuple[str, ...]  # “Delivery within 50 km”, “FCA”
    available: str  # “1-31 Dec 2026”, as CLDR writes a span of days
    specs: tuple[tuple[str, str], ...]  # (“Moisture”, “8,5%”)
    certifications: tuple[str, ...]  # the listing's own claims' names
    certified: tuple[str, ...]  # “ENplus certified, valid until 3 May 2027”
    expired: tuple[str, ...]  # “ENplus expired on 3 May 2026”: only its seller is shown these
    carbon_kg: str | None  # kg CO₂e avoided per unit, as a figure
    seller: str | None  # “★ 4.5 from 2 ratings · 3 deals completed”


def words(card: ListingCard) -> ListingWords:
    """`card` written for the current reader."""
    unit = present.unit_word(card.unit)
    per_mwh = str(card.price_per_mwh) if card.price_per_mwh else None
    return ListingWords(
        title=card.title, product=_(product(card.product).label), grade=card.grade or "",
        unit=unit, price=str(card.price),
        price_per_unit=_("{price} per {unit}", price=card.price, unit=unit),
        per_mwh=per_mwh,
        per_mwh_phrase=_("{price} per MWh", price=per_mwh) if per_mwh else None,
        quantity=present.quantity(card.quantity, card.unit),
        min_order=present.quantity(card.min_order, card.unit) if card.min_order else None,
        town=town_name(card.city, card.country), place=place_name(card.city, card.country),
        delivery=_delivery(card),
        available=present.days(card.available_from, card.valid_until),
        specs=tuple((_(SPEC_LABELS[s.key][0]), _figure(s.value) + s.suffix) for s in card.specs),
        certifications=tuple(_(CERTIFICATIONS.get(c, c)) for c in card.own_claims),
        certified=tuple(_("{scheme} certified, valid until {day}",
                          scheme=_(CERTIFICATIONS.get(c.scheme, c.scheme)),
                          day=present.day(c.valid_until)) for c in card.certified if c.valid),
        expired=tuple(_("{scheme} expired on {day}", scheme=_(CERTIFICATIONS.get(c.scheme, c.scheme)),
                        day=present.day(c.valid_until)) for c in card.certified if not c.valid),
        carbon_kg=present.number(card.carbon_saving_kg) if card.carbon_saving_kg else None,
        seller=reputation(card) if card.seller else None)


def reputation(card: ListingCard) -> str:
    """The seller's standing: “★ 4.5 from 2 ratings · 3 deals completed”."""
    seller = card.seller
    if seller is None:
        return ""
    text = stars_text(seller.stars_total, seller.ratings)
    if seller.deals:
        text += " · " + n_("{n} deal completed", "{n} deals completed", seller.deals)
    return text


def _delivery(card: ListingCard) -> tuple[str, ...]:
    return tuple(_("Delivery within {km} km", km=present.count(card.delivery_radius_km))
                 if code == "delivery" and card.delivery_radius_km
                 else _(DELIVERY.get(code, code)) for code in card.delivery)


def _figure(value: object) -> str:
    return value if isinstance(value, str) else present.number(value)  # type: ignore[arg-type]
