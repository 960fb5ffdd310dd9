"""How a listing row becomes a search document."""

from __future__ import annotations

from babel import Locale

from core.catalog.index_rows import Doc
from core.catalog.tables import Listing
from core.catalog.taxonomy import CERTIFICATIONS, product

_COUNTRIES = Locale("en").territories


def search_text(listing: Listing) -> str:
    """Title, product type, grade, certifications, city and country: what free text matches."""
    kind = product(listing.product_type)
    certs = " ".join(CERTIFICATIONS.get(c, c) for c in listing.certifications or [])
    country = _COUNTRIES.get(listing.country or "", "")
    parts = [listing.title, kind.label, listing.grade or "", certs, listing.city, country]
    return " ".join(p for p in parts if p)


def doc_of(listing: Listing, rating: float = 0.0) -> Doc:
    """The index document of a published listing."""
    published = listing.published_at.timestamp() if listing.published_at else 0.0
    return Doc(
        id=listing.id, text=search_text(listing), product_type=listing.product_type,
        quantity=listing.quantity_milli / 1000, price_minor=listing.price_minor,
        price_mwh_minor=listing.price_mwh_minor, currency=listing.currency,
        lat=listing.latitude, lon=listing.longitude,
        certifications=tuple(listing.certifications or ()), delivery=tuple(listing.delivery or ()),
        negotiable=listing.negotiable, rating=rating, published=published,
        country=(listing.country or "").upper(),
    )
