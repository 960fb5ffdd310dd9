"""A listing's rules, on plain values (no database): quantities, prices, lab values, how long
it may stay valid, when it runs out and when its seller is reminded, what a moderator's
reason must be, who may change a listing and in which state, what publishing asks for, what
a short form's answers are completed with, and what an edit to a live listing leads to. The
services load a listing, call these and store it; the form asks by them. Beside it, on plain
values too: what a new listing starts from (starting_rules), a buyer's saved searches
(saved_search_rules) and what a file sent to Agora must be (upload_rules)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from core.catalog.taxonomy import CERTIFICATIONS, SPEC_LABELS, UNITS, ProductType, product
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.money.reading import shown_number

SPEC_KEYS = ("moisture", "ash", "ncv", "bulk_density", "particle_size")
# Lab values outside these are typing mistakes (the form's fields use the same ranges).
SPEC_RANGES = {"moisture": (Decimal(0), Decimal(70), "%"), "ash": (Decimal(0), Decimal(40), "%"),
               "ncv": (Decimal(1), Decimal(50), " MJ/kg"),
               "bulk_density": (Decimal(20), Decimal(1200), " kg/m³")}


class ListingState(StrEnum):
    """A listing's `status` (its moves: core.catalog.lifecycle.TRANSITIONS), compared by name."""

    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    PAUSED = "paused"
    SOLD_OUT = "sold_out"
    EXPIRED = "expired"
    CLOSED = "closed"


EDITABLE_STATUSES = (ListingState.DRAFT, ListingState.PUBLISHED, ListingState.PAUSED)
MAX_UNITS = Decimal(10_000_000)
LONGEST_VALID = timedelta(days=366)  # a listing is valid for at most a year
SHORTEST_PUBLISHED = timedelta(days=1)  # published, it stays up at least a day
REMIND_BEFORE = timedelta(days=3)  # the seller is told this long before it runs out
REASON_LENGTH = (5, 500)  # a moderator's reason for sending a listing back


class ListingFacts(Protocol):
    """What the checks read of a listing (its row or any object with these)."""

    product_type: str
    unit: str
    currency: str
    quantity_milli: int
    min_order_milli: int | None
    price_mwh_minor: int | None
    delivery: list[str]
    delivery_radius_km: int | None
    incoterm_place: str | None
    available_from: datetime
    valid_until: datetime


def milli(value: str | Decimal | None) -> int | None:
    """A decimal quantity as thousandths (exact)."""
    return None if value in (None, "") else int(Decimal(str(value)) * 1000)


def minor(value: str | Decimal, currency: str) -> int:
    """A decimal price as minor units of its currency (exact; too many decimals refused)."""
    return Money.parse(str(value), currency).amount


def problems(listing: ListingFacts, now: datetime) -> list[str]:
    """Plausibility checks per product type; an empty list means the listing looks sound."""
    kind = product(listing.product_type)
    found: list[str] = []
    if listing.unit not in kind.units:
        allowed = ", ".join(UNITS[u] for u in kind.units)
        found.append(_("{product} is traded in {allowed}, not {unit}.", product=kind.label, allowed=allowed,
                       unit=UNITS.get(listing.unit, "?")))
    if not 0 < listing.quantity_milli <= MAX_UNITS * 1000:
        found.append(_("The quantity must be more than 0 and at most 10,000,000 units."))
    if listing.min_order_milli and listing.min_order_milli > listing.quantity_milli:
        found.append(_("The minimum order can't be larger than the quantity on offer."))
    found += _price_problems(listing, kind)
    if "delivery" in listing.delivery and not listing.delivery_radius_km:
        found.append(_("Delivery within a radius needs the radius in km."))
    incoterms = [d for d in listing.delivery if d.isupper()]
    if incoterms and not listing.incoterm_place:
        found.append(_("{incoterms} needs a named place (e.g. EXW Riga).", incoterms=", ".join(incoterms)))
    if listing.valid_until <= listing.available_from:
        found.append(_("“Valid until” must be after “available from”."))
    if listing.valid_until <= now:
        found.append(_("“Valid until” is in the past."))
    if listing.valid_until - max(listing.available_from, now) > LONGEST_VALID:
        found.append(_("A listing can be valid for at most a year; renew it later instead."))
    return found


def with_defaults(values: dict[str, Any], today: datetime, days: int) -> dict[str, Any]:
    """A short form's answers completed: a title from the product and place (in the seller's
    language: it is written for them, and they can change it), fixed price, available today
    and valid for the policy's number of days."""
    kind = _(product(values.get("product_type") or "other").label)
    if values.get("grade"):
        kind = _("{product}, {grade}", product=kind, grade=values["grade"])
    place = (values.get("location") or {}).get("city")
    title = _("{product} from {place}", product=kind, place=place) if place else kind
    start = today.date()
    return {"title": title[:100], "negotiable": "no", "available_from": start.isoformat(),
            "valid_until": (start + timedelta(days=days)).isoformat(),
            **{k: v for k, v in values.items() if v not in (None, "", [])}}


def _price_problems(listing: ListingFacts, kind: ProductType) -> list[str]:
    """The plausible price band per MWh is known in EUR only; other currencies are not checked
    (no exchange rates here)."""
    pmwh = listing.price_mwh_minor
    if listing.currency != "EUR" or pmwh is None:
        return []
    low, high = (Money.parse(str(bound), "EUR") for bound in kind.price_mwh)
    if low <= Money(pmwh, "EUR") <= high:
        return []
    return [_("{price} per MWh is outside the plausible range for "
              "{product} ({low}–{high} EUR/MWh). Check the price and unit.",
              price=Money(pmwh, "EUR"), product=kind.label.lower(), low=kind.price_mwh[0],
              high=kind.price_mwh[1])]


def spec_problems(specs: dict[str, Any]) -> list[str]:
    found = []
    for key, (low, high, unit) in SPEC_RANGES.items():
        value = specs.get(key)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = Decimal("NaN")
        if not number.is_finite() or not low <= number <= high:
            found.append(_("{field} must be between {low} and {high}{unit}.",
                           field=_(SPEC_LABELS[key][0]), low=shown_number(low),
                           high=shown_number(high), unit=unit))
    return found


def expires_at(valid_until: datetime, now: datetime) -> datetime:
    """When a listing published now runs out: its “valid until”, but never within a day."""
    return max(valid_until, now + SHORTEST_PUBLISHED)


def renewed_until(now: datetime, days: int) -> datetime:
    """A renewed listing is valid, and runs out, `days` (the policy's) from now."""
    return now + timedelta(days=days)


def reminder_from(now: datetime) -> datetime:
    """Listings running out by this moment (and not yet) are due their reminder."""
    return now + REMIND_BEFORE


def reason_fits(reason: str) -> bool:
    """A moderator's reason (stripped) is 5 to 500 characters."""
    low, high = REASON_LENGTH
    return low <= len(reason) <= high


def check_own(status: str, owner_id: int, seller_id: int) -> None:
    """A seller acts on a listing of their own that is not closed: a closed one is gone for
    them (NotFound), another seller's is refused (NotAllowed)."""
    if status == ListingState.CLOSED:
        raise NotFound(_("That listing doesn't exist any more."))
    if owner_id != seller_id:
        raise NotAllowed(_("That listing belongs to another seller."))


def check_editable(status: str) -> None:
    """A draft, a published or a paused listing may be edited; not one sold out, expired,
    waiting for review or closed."""
    if status not in EDITABLE_STATUSES:
        raise NotAllowed(_("A listing that is {status} can't be edited.",
                           status=status.replace("_", " ")))


def check_documents(certifications: list[str], has_document: bool) -> None:
    """A listing claiming a certification is published only with a document to prove it."""
    if certifications and not has_document:
        claimed = ", ".join(CERTIFICATIONS.get(c, c) for c in certifications)
        raise DomainError(_("You claim {claimed}: add the certificate as a document (PDF or "
                            "image) before publishing, or remove the claim.", claimed=claimed))


def check_currency(currency: str, accepted: tuple[str, ...]) -> None:
    """A listing is priced in a currency its seller accepts offers in (any, when they chose
    none: core.accounts.accepted)."""
    if accepted and currency not in accepted:
        raise DomainError(_("You accept offers in {currencies} only: price the listing in one "
                            "of them, or accept {currency} on your profile.",
                            currencies=", ".join(accepted), currency=currency))


def submitted(moderation: bool) -> ListingState:
    """Where a submitted draft goes: to a moderator's queue when moderation is on, else live."""
    return ListingState.PENDING_REVIEW if moderation else ListingState.PUBLISHED


def check_resume(expires_at: datetime | None, now: datetime) -> None:
    """A paused listing resumes only while it has not run out (one that has is renewed)."""
    if expires_at is not None and expires_at <= now:
        raise DomainError(_("This listing has run out; renew it instead."))


def republished(action: str, status: str) -> bool:
    """Whether a seller's action brings a listing back to search as if new (saved searches
    meet it again): renewing one that had expired or sold out."""
    return action == "renew" and status in (ListingState.EXPIRED, ListingState.SOLD_OUT)


LIVE = (ListingState.PUBLISHED, ListingState.PAUSED)  # in search, or back in it at a tap


def after_edit(status: str, moderation: bool) -> str:
    """What a seller's change to a listing leads to: a live one goes back to a moderator
    ("review", moderation on) or meets the saved searches again ("match", published only:
    a paused one is out of search); anything else stays as it is ("none")."""
    if status not in LIVE:
        return "none"
    if moderation:
        return "review"
    return "match" if status == ListingState.PUBLISHED else "none"
