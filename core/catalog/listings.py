"""Creating and editing listings: values in, checked rows out (drafts until submitted)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.accounts.member import Member
from core.accounts.tables import Account
from core.catalog import review
from core.catalog.events import ListingChanged
from core.catalog.listing_card import ListingCard, card_of, listing_card
from core.catalog.rules import (
    EDITABLE_STATUSES,
    SPEC_KEYS,
    ListingState,
    check_editable,
    check_own,
    milli,
    minor,
    problems,
    spec_problems,
)
from core.catalog.sql_stock import stock_of
from core.catalog.starting_rules import starting_values as starting_from
from core.catalog.stock import Stock
from core.catalog.tables import Listing
from core.catalog.taxonomy import UNITS, mwh_per_unit, price_per_mwh_minor
from core.errors import Conflict, DomainError, NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def apply(listing: Listing, values: dict[str, Any]) -> None:
    """Copy form values onto the row; only the keys present change."""
    if "currency" in values and "price" not in values and listing.price_minor and listing.currency:
        # A new currency keeps the price's value (230 EUR → 230 SEK), not its minor units.
        price = Money(listing.price_minor, listing.currency).decimal
        values = {**values, "price": str(price)}
    simple = ("product_type", "grade", "title", "description", "unit", "currency",
              "delivery_radius_km", "incoterm_place")
    for key in simple:
        if key in values:
            setattr(listing, key, values[key])
    if "quantity" in values:
        listing.quantity_milli = milli(values["quantity"]) or 0
    if "min_order" in values:
        listing.min_order_milli = milli(values["min_order"])
    if "price" in values:
        listing.price_minor = minor(values["price"], listing.currency)
    if "negotiable" in values:
        listing.negotiable = values["negotiable"] == "yes"
    for key in ("delivery", "certifications"):
        if key in values:
            setattr(listing, key, list(values[key] or []))
    if values.get("location"):
        place = values["location"]
        listing.city, listing.country = place["city"], place.get("country")
        listing.latitude, listing.longitude = place["lat"], place["lon"]
    for key in ("available_from", "valid_until"):
        if values.get(key):
            setattr(listing, key, _when(values[key]))
    specs = dict(listing.specs or {})
    specs.update({k: values[k] for k in SPEC_KEYS if k in values})
    listing.specs = {k: v for k, v in specs.items() if v not in (None, "")}
    _derive(listing)


def _derive(listing: Listing) -> None:
    if listing.unit not in UNITS:
        raise DomainError(_("Please choose the unit the quantity and price are in."))
    specs = listing.specs or {}
    wrong = spec_problems(specs)  # before they feed the energy content
    if wrong:
        raise DomainError(_("Please fix this first:\n• {problems}", problems="\n• ".join(wrong)))
    ncv = Decimal(specs["ncv"]) if specs.get("ncv") else None
    density = Decimal(specs["bulk_density"]) if specs.get("bulk_density") else None
    energy = mwh_per_unit(listing.product_type, listing.unit, ncv, density)
    listing.energy_mwh_per_unit = str(energy.quantize(Decimal("0.000001")))
    listing.price_mwh_minor = price_per_mwh_minor(listing.price_minor, energy)


async def starting_values(uow: UnitOfWork | Stock, account: Member | Account
                          ) -> dict[str, Any]:
    """What a new listing starts from: the seller's last listing, else the profile (the chat's
    member, or the Mini App's account)."""
    last = await stock_of(uow).last_of(account.id)
    return starting_from(last, account.currency, account, tuple(account.currencies or ()))


def days_listed(uow: UnitOfWork | Stock) -> int:
    """How long a listing stays up once published (or renewed), by the running policy."""
    return stock_of(uow).policy.listing_days


def sketch(seller_id: int, values: dict[str, Any], now: datetime) -> Listing:
    """A listing from the form's values, checked, not saved: a draft's start, or the live
    preview of a form still being filled in (the Mini App's)."""
    listing = Listing(seller_id=seller_id, status=ListingState.DRAFT, specs={}, delivery=[],
                      certifications=[], negotiable=False, created_at=now, updated_at=now,
                      energy_mwh_per_unit="0", price_minor=0, quantity_milli=0)
    apply(listing, values)
    _raise_problems(listing, now)
    return listing


async def create_draft(uow: UnitOfWork | Stock, seller_id: int, values: dict[str, Any]
                       ) -> ListingCard:
    """A new draft from the listing form; checks run now so the preview shows a sound listing."""
    stock = stock_of(uow)
    listing = sketch(seller_id, values, stock.now())
    await stock.put(listing)
    return listing_card(listing)


async def edit(uow: UnitOfWork | Stock, listing_id: int, seller_id: int, values: dict[str, Any]
               ) -> ListingCard:
    """Change fields of a draft, published or paused listing; the same checks apply.

    A live listing then goes back to review (moderation on) or is matched against saved
    searches again (moderation off): see `review.content_changed`.
    """
    stock = stock_of(uow)
    listing = await own_listing(stock, listing_id, seller_id)
    check_editable(listing.status)
    apply(listing, values)
    now = stock.now()
    _raise_problems(listing, now)
    await _still_editable(stock, listing.id, now)
    stock.emit(ListingChanged(listing.id, listing.status))
    await review.content_changed(stock, listing)
    return listing_card(listing)


async def _still_editable(uow: UnitOfWork | Stock, listing_id: int, now: datetime) -> None:
    """Guard in the database (a conditional update): the edit only lands if nobody closed or
    sold it meanwhile."""
    if not await stock_of(uow).change(listing_id, EDITABLE_STATUSES, updated_at=now):
        raise Conflict(_("That listing changed in the meantime; please look at it again."))


def _raise_problems(listing: Listing, now: datetime) -> None:
    found = problems(listing, now)
    if found:
        raise DomainError(_("Please fix this first:\n• {problems}", problems="\n• ".join(found)))


async def own_listing(uow: UnitOfWork | Stock, listing_id: int, seller_id: int) -> Listing:
    """The seller's own listing, or a polite error."""
    listing = await stock_of(uow).listing(listing_id)
    if listing is None:
        raise NotFound(_("That listing doesn't exist any more."))
    check_own(listing.status, listing.seller_id, seller_id)
    return listing


async def current_values(uow: UnitOfWork | Stock, listing_id: int, seller_id: int) -> dict[str, Any]:
    """The seller's own listing as form values, to edit with its current values shown."""
    return form_values(await own_listing(uow, listing_id, seller_id))


async def file_added(uow: UnitOfWork | Stock, listing_id: int, seller_id: int) -> bool:
    """After a photo or document is added: a live listing's content changed, so it goes back to
    review (moderation on: True, the caller tells the seller) or meets saved searches again."""
    stock = stock_of(uow)
    listing = await own_listing(stock, listing_id, seller_id)
    return listing.status in review.LIVE and await review.content_changed(
        stock, listing) == "pending_review"


async def own_card(uow: UnitOfWork | Stock, listing_id: int, seller_id: int, *,
                   whole: bool = False) -> ListingCard:
    """The card of the seller's own listing (`own_listing`: a polite error when it is gone or
    another seller's); `whole` adds its files and its seller."""
    listing = await own_listing(uow, listing_id, seller_id)
    return await card_of(uow, listing) if whole else listing_card(listing)


def form_values(listing: Listing) -> dict[str, Any]:
    """The listing as form values (for editing one field with its current value shown)."""
    q = Decimal(listing.quantity_milli) / 1000
    mo = Decimal(listing.min_order_milli) / 1000 if listing.min_order_milli else None
    return {
        "product_type": listing.product_type, "grade": listing.grade, "title": listing.title,
        "description": listing.description, "quantity": f"{q.normalize():f}", "unit": listing.unit,
        "min_order": f"{mo.normalize():f}" if mo else None,
        "price": f"{Money(listing.price_minor, listing.currency).decimal:f}",
        "currency": listing.currency,
        "negotiable": "yes" if listing.negotiable else "no", "delivery": listing.delivery,
        "delivery_radius_km": listing.delivery_radius_km,
        "incoterm_place": listing.incoterm_place,
        "location": {"city": listing.city, "country": listing.country,
                     "lat": listing.latitude, "lon": listing.longitude},
        "available_from": listing.available_from.date().isoformat(),
        "valid_until": listing.valid_until.date().isoformat(),
        **{k: (listing.specs or {}).get(k) for k in SPEC_KEYS},
        "certifications": listing.certifications,
    }
