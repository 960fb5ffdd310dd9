"""What a listing shows on the public site, read from the catalogue's public services and set
in the chat card's words (the same quantities, prices per MWh and specs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from conversations.flows.listing_card import qty
from core.catalog.gazetteer import town_name
from core.catalog.tables import Listing, ListingMedia
from core.catalog.taxonomy import (
    CERTIFICATIONS,
    DELIVERY,
    SPEC_LABELS,
    UNITS,
    carbon_saving_kg,
    product,
)
from core.disclosure import public_text
from core.i18n import _, dates, n_
from core.i18n.countries import country_name
from core.money.model import Money
from core.money.reading import shown_number
from core.public.listings import PublicSeller, Result


@dataclass(frozen=True)
class Photo:
    url: str
    alt: str


@dataclass(frozen=True)
class ListingCard:
    listing_id: int
    title: str
    product: str
    grade: str
    price: str  # “€230.00 per t”
    negotiable: bool
    price_mwh: str | None  # “€47.92 per MWh”
    quantity: str
    min_order: str | None
    place: str  # town and country, never an address
    delivery: list[str]
    available: str
    specs: list[tuple[str, str]]
    certifications: list[str]
    carbon: str | None
    description: str
    photos: list[Photo]
    summary: str  # one line for lists and the card shared by a link


@dataclass(frozen=True)
class ResultCard:
    """A listing in a list of results: what a person scans before opening it."""

    listing_id: int
    title: str
    product: str
    initial: str  # the product's letter on a card without a photo
    price: str  # “€230.00 per t”
    price_mwh: str | None
    place: str
    km: str | None  # “120 km away”, when the search was near a place
    photo: Photo | None
    reputation: str
    negotiable: bool
    town: tuple[float, float] | None


def result_card(found: Result) -> ResultCard:
    listing = found.listing
    kind, price, mwh = prices(listing)
    photo = Photo(f"/listings/{listing.id}/photos/{found.photo_id}",
                  _("Photo of {title}", title=listing.title)) if found.photo_id else None
    return ResultCard(
        listing.id, listing.title, kind, kind[:1].upper(), price, mwh, place(listing),
        _("{km} km away", km=shown_number(Decimal(round(found.km)))) if found.km is not None
        else None, photo, reputation(found.seller), listing.negotiable, found.town)


def prices(listing: Listing) -> tuple[str, str, str | None]:
    """The product's name, “€230.00 per t” and “€47.92 per MWh” (None without energy content),
    as every card of a listing says them."""
    unit = _(UNITS.get(listing.unit, listing.unit))
    per_mwh = money(listing.price_mwh_minor, listing.currency)
    return (_(product(listing.product_type).label),
            _("{price} per {unit}", price=money(listing.price_minor, listing.currency), unit=unit),
            _("{price} per MWh", price=per_mwh) if per_mwh else None)


def money(minor: int | None, currency: str) -> str | None:
    return None if minor is None else str(Money(minor, currency))


def place(listing: Listing) -> str:
    town = town_name(listing.city, listing.country)
    return ", ".join(p for p in (town, country_name(listing.country) if listing.country
                                 else "") if p)


def listing_card(listing: Listing, photos: Sequence[ListingMedia] = ()) -> ListingCard:
    """The public card: no coordinates, no Incoterms place (it may be an address), no files
    other than photos."""
    kind, price, mwh = prices(listing)
    card_photos = [Photo(f"/listings/{listing.id}/photos/{m.id}",
                         _("Photo {n} of {title}", n=n, title=listing.title))
                   for n, m in enumerate(photos, 1)]
    summary = " · ".join(part for part in (
        kind, price, mwh, qty(listing.quantity_milli, listing.unit), place(listing)) if part)
    return ListingCard(
        listing.id, listing.title, kind, listing.grade or "", price, listing.negotiable,
        mwh, qty(listing.quantity_milli, listing.unit),
        qty(listing.min_order_milli, listing.unit) if listing.min_order_milli else None,
        place(listing), _delivery(listing),
        f"{dates.day(listing.available_from)} – {dates.day(listing.valid_until)}",
        [(_(SPEC_LABELS[k][0]), f"{v}{SPEC_LABELS[k][1]}")
         for k, v in (listing.specs or {}).items() if k in SPEC_LABELS],
        [_(CERTIFICATIONS.get(c, c)) for c in listing.certifications or []], _carbon(listing),
        public_text(listing.description), card_photos, summary)


def _delivery(listing: Listing) -> list[str]:
    radius = listing.delivery_radius_km if "delivery" in (listing.delivery or []) else None
    return [_("Delivery within {km} km", km=radius) if d == "delivery" and radius
            else _(DELIVERY.get(d, d)) for d in listing.delivery or []]


def _carbon(listing: Listing) -> str | None:
    energy = Decimal(listing.energy_mwh_per_unit or "0")
    if energy <= 0:
        return None
    saving = carbon_saving_kg(listing.product_type, energy)
    return _("Avoids about {saving} kg CO₂e per {unit} against fossil fuel (RED II comparator; "
             "an estimate)", saving=shown_number(saving),
             unit=_(UNITS.get(listing.unit, listing.unit)))


def reputation(seller: PublicSeller) -> str:
    """“★ 4.7 from 12 ratings · 9 deals completed”, or “No ratings yet”."""
    # the chat's words for a rating (core.deals.reputation.stars_text)
    text = n_("★ {mean} from {n} rating", "★ {mean} from {n} ratings", seller.ratings,
              mean=shown_number(round(Decimal(str(seller.rating)), 1))) \
        if seller.rating is not None else _("No ratings yet")
    if seller.deals:
        text += " · " + n_("{n} deal completed", "{n} deals completed", seller.deals)
    return text
