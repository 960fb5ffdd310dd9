"""A listing as people see it: one read model, built by core from the listing and its rules,
with typed values (Money, a quantity with its unit, days, a place), never a table row.

Every face draws a listing from it — the chat card and result line, the public site, the
Mini App, the console — through `core.public.listing_words`, which writes it for the current
reader. A field added to a listing is added here and in the words, and appears everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.catalog.sql_stock import stock_of
from core.catalog.stock import Certified, Stock
from core.catalog.tables import Listing, ListingMedia
from core.catalog.taxonomy import SPEC_LABELS, carbon_saving_kg
from core.catalog.views import SellerInfo, by_ids, media_of, mine, seller_info, viewable
from core.i18n import present
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Spec:
    """A lab value the seller stated: its key ("moisture"), the figure and its unit suffix."""

    key: str
    value: Decimal | str  # a figure; as typed when it is not one
    suffix: str  # "%", " MJ/kg"


@dataclass(frozen=True)
class Media:
    id: int
    kind: str  # photo | document
    name: str


@dataclass(frozen=True)
class ListingCard:
    """What any face shows of one listing."""

    id: int
    seller_id: int
    status: str
    reject_reason: str | None
    title: str
    product: str  # taxonomy code
    grade: str | None
    price: Money  # per unit
    negotiable: bool
    price_per_mwh: Money | None
    unit: str  # trade unit code
    quantity: Decimal
    min_order: Decimal | None
    delivery: tuple[str, ...]  # delivery option codes
    delivery_radius_km: int | None
    incoterm_place: str | None
    city: str
    country: str | None
    available_from: date
    valid_until: date
    specs: tuple[Spec, ...]
    certifications: tuple[str, ...]  # certification codes claimed
    carbon_saving_kg: Decimal | None  # per unit, against the fossil comparator
    description: str | None
    media: tuple[Media, ...]
    seller: SellerInfo | None
    # The claims a certificate on the seller's profile backs (core.certificates), valid or not;
    # the other claims are the listing's own, proven by its documents.
    certified: tuple[Certified, ...] = ()

    @property
    def own_claims(self) -> tuple[str, ...]:
        """The claims no profile certificate backs: the listing's own, as typed today."""
        backed = {one.scheme for one in self.certified}
        return tuple(code for code in self.certifications if code not in backed)

    @property
    def photos(self) -> tuple[Media, ...]:
        return tuple(m for m in self.media if m.kind == "photo")

    @property
    def documents(self) -> tuple[Media, ...]:
        return tuple(m for m in self.media if m.kind == "document")


def listing_card(listing: Listing, media: Sequence[ListingMedia] = (),
                 seller: SellerInfo | None = None,
                 held: Iterable[Certified] = ()) -> ListingCard:
    """The read model of `listing` (with its files, its seller and the certificates on the
    seller's profile, when the face shows them)."""
    energy = _decimal(listing.energy_mwh_per_unit) or Decimal(0)
    return ListingCard(
        id=listing.id, seller_id=listing.seller_id, status=listing.status,
        reject_reason=listing.reject_reason, title=listing.title,
        product=listing.product_type, grade=listing.grade,
        price=Money(listing.price_minor, listing.currency), negotiable=listing.negotiable,
        price_per_mwh=(Money(listing.price_mwh_minor, listing.currency)
                       if listing.price_mwh_minor else None),
        unit=listing.unit, quantity=present.thousandths(listing.quantity_milli),
        min_order=(present.thousandths(listing.min_order_milli) if listing.min_order_milli
                   else None),
        delivery=tuple(listing.delivery or ()), incoterm_place=listing.incoterm_place,
        delivery_radius_km=(listing.delivery_radius_km
                            if "delivery" in (listing.delivery or ()) else None),
        city=listing.city, country=listing.country,
        available_from=_day(listing.available_from), valid_until=_day(listing.valid_until),
        specs=tuple(Spec(key, _decimal(value) or str(value), SPEC_LABELS[key][1])
                    for key, value in (listing.specs or {}).items() if key in SPEC_LABELS),
        certifications=tuple(listing.certifications or ()),
        carbon_saving_kg=carbon_saving_kg(listing.product_type, energy) if energy > 0 else None,
        description=listing.description,
        media=tuple(Media(m.id, m.kind, m.file_name) for m in media), seller=seller,
        certified=backed(listing.certifications or (), held))


def backed(claims: Iterable[str], held: Iterable[Certified]) -> tuple[Certified, ...]:
    """The claims a profile certificate backs, in the listing's order."""
    by_scheme = {one.scheme: one for one in held}
    return tuple(by_scheme[code] for code in claims if code in by_scheme)


async def card_of(uow: UnitOfWork | Stock, listing: Listing) -> ListingCard:
    """The whole card of a listing the viewer may see: with its files and its seller."""
    held = await stock_of(uow).certified(listing.seller_id) if listing.certifications else ()
    return listing_card(listing, await media_of(uow, listing.id),
                        await seller_info(uow, listing.seller_id), held)


async def viewable_card(uow: UnitOfWork | Stock, listing_id: int, viewer_id: int | None, *,
                        whole: bool = False) -> ListingCard:
    """The card of a listing `viewer_id` may see (`views.viewable`: NotFound otherwise);
    `whole` adds its files and its seller, as the full card shows them."""
    listing = await viewable(uow, listing_id, viewer_id)
    return await card_of(uow, listing) if whole else listing_card(listing)


async def cards_by_ids(uow: UnitOfWork | Stock, ids: Iterable[int], viewer_id: int | None
                       ) -> dict[int, ListingCard]:
    """The cards of a page of results that this viewer may see, by id (`views.by_ids`)."""
    return {i: listing_card(row) for i, row in (await by_ids(uow, ids, viewer_id)).items()}


async def own_cards(uow: UnitOfWork | Stock, seller_id: int) -> list[ListingCard]:
    """A seller's own listings' cards, newest first, closed ones left out (`views.mine`)."""
    return [listing_card(row) for row in await mine(uow, seller_id)]


def _decimal(value: object) -> Decimal | None:
    """A stated figure, or None when it is none (text, “Infinity”, “NaN”)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
