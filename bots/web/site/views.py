"""What a listing shows on the public site, read from the catalogue's public services and set
in the chat card's words (the same quantities, prices per MWh and specs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.catalog.listing_card import listing_card as read_model
from core.catalog.stock import Certified
from core.catalog.tables import Listing, ListingMedia
from core.disclosure import public_text
from core.i18n import _, n_, present
from core.public.listing_words import words
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
    certified: list[str]  # “ENplus certified, valid until 3 May 2027”: the profile's, valid
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
    said = words(read_model(listing))
    photo = Photo(f"/listings/{listing.id}/photos/{found.photo_id}",
                  _("Photo of {title}", title=listing.title)) if found.photo_id else None
    return ResultCard(
        listing.id, listing.title, said.product, said.product[:1].upper(), said.price_per_unit,
        said.per_mwh_phrase, said.place,
        _("{km} km away", km=present.count(round(found.km))) if found.km is not None else None,
        photo, reputation(found.seller), listing.negotiable, found.town)


def prices(listing: Listing) -> tuple[str, str, str | None]:
    """The product's name, “€230.00 per t” and “€47.92 per MWh” (None without energy content),
    as every card of a listing says them."""
    said = words(read_model(listing))
    return said.product, said.price_per_unit, said.per_mwh_phrase


def place(listing: Listing) -> str:
    return words(read_model(listing)).place


def listing_card(listing: Listing, photos: Sequence[ListingMedia] = (),
                 held: Sequence[Certified] = ()) -> ListingCard:
    """The public card, laid out from the listing's read model in the reader's words (the
    chat's card says the same): no coordinates, no Incoterms place (it may be an address), no
    files other than photos."""
    card = read_model(listing, [m for m in photos if m.kind == "photo"], held=held)
    said = words(card)
    card_photos = [Photo(f"/listings/{listing.id}/photos/{m.id}",
                         _("Photo {n} of {title}", n=n, title=listing.title))
                   for n, m in enumerate(card.photos, 1)]
    summary = " · ".join(part for part in (
        said.product, said.price_per_unit, said.per_mwh_phrase, said.quantity, said.place)
        if part)
    carbon = _("Avoids about {saving} kg CO₂e per {unit} against fossil fuel (RED II "
               "comparator; an estimate)", saving=said.carbon_kg, unit=said.unit) \
        if said.carbon_kg else None
    return ListingCard(
        listing.id, listing.title, said.product, said.grade, said.price_per_unit,
        listing.negotiable, said.per_mwh_phrase, said.quantity, said.min_order, said.place,
        list(said.delivery), said.available, list(said.specs), list(said.certifications),
        list(said.certified), carbon, public_text(listing.description), card_photos, summary)


def reputation(seller: PublicSeller) -> str:
    """“★ 4.7 from 12 ratings · 9 deals completed”, or “No ratings yet”."""
    # the chat's words for a rating (core.deals.ratings.reputation.stars_text)
    text = n_("★ {mean} from {n} rating", "★ {mean} from {n} ratings", seller.ratings,
              mean=present.stars_value(seller.rating)) \
        if seller.rating is not None else _("No ratings yet")
    if seller.deals:
        text += " · " + n_("{n} deal completed", "{n} deals completed", seller.deals)
    return text
