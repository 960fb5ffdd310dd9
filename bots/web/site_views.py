"""What a listing shows on the public site, read from the catalogue's public services and set
in the chat card's words (the same quantities, prices per MWh and specs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from conversations.flows.listing_card import SPEC_LABELS, qty
from core.catalog.gazetteer import country_name
from core.catalog.tables import Listing, ListingMedia
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, UNITS, carbon_saving_kg, product
from core.disclosure import public_text
from core.money.model import Money
from core.public.listings import PublicSeller


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


def money(minor: int | None, currency: str) -> str | None:
    return None if minor is None else str(Money(minor, currency))


def place(listing: Listing) -> str:
    return ", ".join(p for p in (listing.city, country_name(listing.country) if listing.country
                                 else "") if p)


def listing_card(listing: Listing, photos: Sequence[ListingMedia] = ()) -> ListingCard:
    """The public card: no coordinates, no Incoterms place (it may be an address), no files
    other than photos."""
    unit = UNITS.get(listing.unit, listing.unit)
    kind = product(listing.product_type)
    per_mwh = money(listing.price_mwh_minor, listing.currency)
    price = f"{money(listing.price_minor, listing.currency)} per {unit}"
    card_photos = [Photo(f"/listings/{listing.id}/photos/{m.id}",
                         f"Photo {n} of {listing.title}") for n, m in enumerate(photos, 1)]
    summary = " · ".join(part for part in (
        kind.label, price, f"{per_mwh} per MWh" if per_mwh else "",
        qty(listing.quantity_milli, listing.unit), place(listing)) if part)
    return ListingCard(
        listing.id, listing.title, kind.label, listing.grade or "", price, listing.negotiable,
        f"{per_mwh} per MWh" if per_mwh else None, qty(listing.quantity_milli, listing.unit),
        qty(listing.min_order_milli, listing.unit) if listing.min_order_milli else None,
        place(listing), _delivery(listing),
        f"{listing.available_from:%d %b %Y} – {listing.valid_until:%d %b %Y}",
        [(SPEC_LABELS[k][0], f"{v}{SPEC_LABELS[k][1]}") for k, v in (listing.specs or {}).items()
         if k in SPEC_LABELS],
        [CERTIFICATIONS.get(c, c) for c in listing.certifications or []], _carbon(listing),
        public_text(listing.description), card_photos, summary)


def _delivery(listing: Listing) -> list[str]:
    found = [DELIVERY.get(d, d) for d in listing.delivery or []]
    if listing.delivery_radius_km and "delivery" in (listing.delivery or []):
        found = [d.replace("a radius", f"{listing.delivery_radius_km} km") for d in found]
    return found


def _carbon(listing: Listing) -> str | None:
    energy = Decimal(listing.energy_mwh_per_unit or "0")
    if energy <= 0:
        return None
    saving = carbon_saving_kg(listing.product_type, energy)
    return (f"Avoids about {saving:,} kg CO₂e per {UNITS.get(listing.unit, listing.unit)} "
            "against fossil fuel (RED II comparator; an estimate)")


def reputation(seller: PublicSeller) -> str:
    """“★ 4.7 from 12 ratings · 9 deals completed”, or “No ratings yet”."""
    text = f"★ {seller.rating:.1f} from {seller.ratings} rating{'s' * (seller.ratings != 1)}" \
        if seller.rating is not None else "No ratings yet"
    if seller.deals:
        text += f" · {seller.deals} deal{'s' * (seller.deals != 1)} completed"
    return text
