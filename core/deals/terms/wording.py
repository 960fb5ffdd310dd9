"""How a deal's frozen terms read in their PDF (core.deals.terms.pdf): each field's label and
its value as the reader writes it — labels and sentences in their language with the English
beside, figures, quantities, money and days in their conventions, what the parties wrote as
written."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from core.catalog.rules import SPEC_RANGES
from core.catalog.taxonomy import UNITS, product
from core.deals.terms import deadline_words
from core.deals.terms.goods import certifications
from core.errors import DomainError
from core.i18n import N_, _, bilingual, present
from core.money.model import Money, exponent
from core.said import side_by_side

LABELS = {
    "product": N_("Product"), "title": N_("Listing title"), "listing_id": N_("Listing"),
    "offer_id": N_("Offer"), "seller_id": N_("Seller account"), "buyer_id": N_("Buyer account"),
    "quantity": N_("Quantity"), "tolerance_percent": N_("Quantity tolerance"),
    "unit_price": N_("Unit price"), "price_index": N_("Price index"), "total": N_("Total"),
    "incoterm": N_("Incoterm"),
    "place": N_("Place"), "delivery_from": N_("Delivery from"), "delivery_to": N_("Delivery to"),
    "payment_method": N_("Payment"), "grade": N_("Grade"), "certifications": N_("Certification"),
}
ORDER = ("product", "grade", "certifications", "title", "quantity", "tolerance_percent",
         "unit_price", "price_index", "total", "incoterm", "place", "delivery_from", "delivery_to",
         "payment_method", "listing_id", "offer_id", "seller_id", "buyer_id")
# Printed with the quantity, the prices and the parties.
CONSUMED = frozenset({"unit", "currency", "parties"})
SECTIONS = ("schedule", "specs", "quality", "deadlines")
SPEC_LABELS = {"moisture": N_("Moisture"), "ash": N_("Ash"), "ncv": N_("Net calorific value"),
               "bulk_density": N_("Bulk density"), "particle_size": N_("Particle size")}
PAYMENT = {"escrow": N_("Through Agora's escrow"),
           "direct": N_("Arranged directly between the parties (Agora holds nothing)"),
           "net14": N_("On terms: invoiced at shipment, due 14 days later, by bank transfer"),
           "net30": N_("On terms: invoiced at shipment, due 30 days later, by bank transfer")}
# A quality limit: its bound, and the penalty the terms name (as written, or from the specs).
LIMITS = {True: N_("at most {limit}"), False: N_("at least {limit}")}
PENALTIES = {True: N_("at most {limit}; penalty: {penalty}"),
             False: N_("at least {limit}; penalty: {penalty}")}
PER_UNIT = {True: N_("at most {limit}; penalty: {penalty} per unit of deviation, per unit of goods"),
            False: N_("at least {limit}; penalty: {penalty} per unit of deviation, per unit of "
                      "goods")}


def label_of(key: str) -> str:
    """A readable label for a key, in the reader's language with the English beside it: a
    key Agora names ('unit_price' → 'Unit price'), else the key in words ('tolerance_percent'
    → 'Tolerance percent', in English alone)."""
    if key in LABELS:
        return bilingual(LABELS[key])
    return key.replace("_", " ").strip().capitalize() or key


def unknown_keys(body: Mapping[str, Any]) -> set[str]:
    """Keys this module has no place for, listed at the end."""
    return set(body) - set(ORDER) - CONSUMED - set(SECTIONS)


def main_rows(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The known top-level fields in their fixed order, as label and text."""
    values = {key: body[key] for key in ORDER if body.get(key) not in (None, "")}
    code = str(body.get("unit") or "")

    def unit() -> str:
        return _(UNITS[code]) if code in UNITS else code

    if "product" in values:
        kind = product(str(values["product"]))
        values["product"] = f"{bilingual(kind.label)} ({values['product']})"
    if values.get("certifications"):
        values["certifications"] = ", ".join(bilingual(name) for name in certifications(body))
    if "quantity" in values:
        quantity = values["quantity"]
        values["quantity"] = side_by_side(lambda: _quantity(quantity, code))
    if "unit_price" in values:
        values["total"] = _total(body)
        price = _amount(body["unit_price"], body)
        values["unit_price"] = side_by_side(lambda: _("{price} per {unit}", price=price,
                                                      unit=unit() or _("unit")))
    if "tolerance_percent" in values:
        values["tolerance_percent"] = "± " + _number(values["tolerance_percent"], present.percent)
    for key in ("delivery_from", "delivery_to"):
        if key in values:
            values[key] = _when(values[key])
    if "payment_method" in values:
        method = str(values["payment_method"])
        values["payment_method"] = bilingual(PAYMENT[method]) if method in PAYMENT else method
    for key in ("listing_id", "offer_id", "seller_id", "buyer_id"):
        if key in values:
            values[key] = f"#{values[key]}"
    return [(label_of(key), _text(values[key])) for key in ORDER if values.get(key)]


def quality_rows(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The terms' quality limits and their penalties, as label and text."""
    currency = str(body.get("currency") or "")
    return [_quality(item, currency) for item in body.get("quality") or []]


def _deadline(key: str, value: Any) -> tuple[str, str]:
    """A deadline's label and words in the reader's language (English beside), or a moment."""
    label = bilingual(deadline_words.LABELS[key]) if key in deadline_words.LABELS \
        else label_of(key)
    return label, deadline_words.read_back(key, str(value)) or _when(value)


def _schedule(value: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The contract's schedule: how many, how often, each and in all, and every date. The
    quantity and total above are each call-off's; accepting these terms accepts them all."""
    every = str(value.get("every"))  # frozen in English: "weekly", "every 2 weeks"…
    rows = [(bilingual("Call-offs"), side_by_side(lambda: f"{value.get('call_offs')}, {_(every)}")),
            (bilingual("Each call-off"), str(value.get("each"))),
            (bilingual("In all"), str(value.get("in_all")))]
    rows += [(bilingual("Call-off {n}", n=n), _when(day))
             for n, day in enumerate(value.get("dates") or [], 1)]
    rows.append((bilingual("How"), bilingual(
        "Each call-off is paid into escrow, shipped, confirmed and released on its own, under "
        "these terms; one call-off's failure leaves the others.", sep="\n")))
    return rows


def _quality(item: Any, currency: str = "") -> tuple[str, str]:
    """('Moisture', 'at most 10%; penalty: 4.60 EUR per point per unit')."""
    if not isinstance(item, Mapping):
        return bilingual("Limit"), _text(item)
    most = bool(item.get("is_maximum", True))
    name = str(item.get("name") or "")
    limit = _spec(name, item.get("limit", "?"))
    if item.get("penalty") not in (None, ""):  # as the parties wrote it
        text = bilingual(PENALTIES[most], limit=limit, penalty=_text(item["penalty"]))
    elif item.get("penalty_minor") and currency:  # as frozen from the listing's specs
        penalty = str(Money(int(item["penalty_minor"]), currency))
        text = bilingual(PER_UNIT[most], limit=limit, penalty=penalty)
    else:
        text = bilingual(LIMITS[most], limit=limit)
    label = bilingual(SPEC_LABELS[name]) if name in SPEC_LABELS else name  # or as written
    return label or bilingual("Parameter"), text


def _spec_label(key: str) -> str:
    """A specification's label: a spec Agora names in the reader's language (English beside),
    any other as the terms name it."""
    return bilingual(SPEC_LABELS[key]) if key in SPEC_LABELS else label_of(key)


def _spec(key: str, value: Any) -> str:
    suffix = SPEC_RANGES[key][2] if key in SPEC_RANGES else ""
    return f"{_number(value, present.number)}{suffix}"


def _number(value: Any, write: Any) -> str:
    """A frozen figure as the reader writes it (“8,5”); as frozen when it is not a number."""
    try:
        return str(write(Decimal(str(value))))
    except (InvalidOperation, ValueError, ArithmeticError):
        return str(value)


def _quantity(value: Any, unit: str) -> str:
    """The frozen quantity with its unit's words, as the reader writes it (“24,5 t”)."""
    try:
        return present.quantity(Decimal(str(value)), unit)
    except (InvalidOperation, ValueError, ArithmeticError):
        return f"{value} {present.unit_word(unit)}".strip()


def _amount(value: Any, body: Mapping[str, Any]) -> str:
    currency = str(body.get("currency") or "")
    try:
        return str(Money.parse(str(value), currency)) if currency else str(value)
    except (DomainError, ValueError, ArithmeticError):  # unreadable: printed as written
        return f"{value} {currency}".strip()


def _total(body: Mapping[str, Any]) -> str:
    """Quantity times unit price, rounded half up to the currency's minor unit."""
    currency = str(body.get("currency") or "")
    try:
        places = Decimal(1).scaleb(-exponent(currency))
        total = (Decimal(str(body["quantity"])) * Decimal(str(body["unit_price"]))).quantize(
            places, ROUND_HALF_UP)
        return str(Money.parse(total, currency))
    except (KeyError, InvalidOperation, ValueError, ArithmeticError):
        return ""


def _when(value: Any) -> str:
    """An ISO date or time as the reader reads it: “1 Dec 2026”, “1. Dez. 2026, 14:00 UTC”."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) <= 10:
        return present.day(moment.date())
    return f"{present.when(moment, 'yMMMdHm')} {moment.tzname() or ''}".strip()


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return bilingual("yes") if value else bilingual("no")
    if isinstance(value, Mapping):
        return "\n".join(f"{label_of(str(k))}: {_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return str(value)
