"""How a listing row becomes a search document."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale

from core.catalog.index_rows import Doc
from core.catalog.stock import Certified
from core.catalog.tables import Listing
from core.catalog.taxonomy import CERTIFICATIONS, product

_COUNTRIES = Locale("en").territories


def counted_claims(claims: Iterable[str], held: Iterable[Certified]) -> tuple[str, ...]:
    """The claims search counts (its free text, its certification filter): a claim a
    certificate on the seller's profile backs counts while that certificate is valid (through
    its last day, `Certified.valid`, read on the day the listing is indexed); a claim no
    profile certificate backs — the listing's own, proven by its own document — always does."""
    lapsed = {one.scheme for one in held if not one.valid}
    return tuple(code for code in claims if code not in lapsed)


def search_text(listing: Listing, claims: Iterable[str] | None = None) -> str:
    """Title, product type, grade, certifications, city and country: what free text matches
    (`claims`: the certifications counted, by default every one the listing makes)."""
    kind = product(listing.product_type)
    claimed = (listing.certifications or []) if claims is None else claims
    certs = " ".join(CERTIFICATIONS.get(c, c) for c in claimed)
    country = _COUNTRIES.get(listing.country or "", "")
    parts = [listing.title, kind.label, listing.grade or "", certs, listing.city, country]
    return " ".join(p for p in parts if p)


def doc_of(listing: Listing, rating: float = 0.0, held: Iterable[Certified] = ()) -> Doc:
    """The index document of a published listing (`held`: the certificates on its seller's
    profile, which decide which of its claims count — `counted_claims`)."""
    claims = counted_claims(listing.certifications or (), held)
    published = listing.published_at.timestamp() if listing.published_at else 0.0
    return Doc(
        id=listing.id, text=search_text(listing, claims), product_type=listing.product_type,
        quantity=listing.quantity_milli / 1000, price_minor=listing.price_minor,
        price_mwh_minor=listing.price_mwh_minor, currency=listing.currency,
        lat=listing.latitude, lon=listing.longitude,
        certifications=claims, delivery=tuple(listing.delivery or ()),
        negotiable=listing.negotiable, rating=rating, published=published,
        country=(listing.country or "").upper(),
    )
