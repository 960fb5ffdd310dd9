"""A deal's terms as a PDF: the version, the parties and every field of the frozen body with a
readable label, in a stable order (fields Agora doesn't know yet are listed at the end), and
the version's SHA-256 fingerprint on every page.

A legal document: drawn for its reader (the party it is sent to or who downloads it; English
for no one in particular), every label and sentence in their language with the English beside
it; what the parties wrote (names, addresses, the listing's title, penalties) as written. The
fingerprint is of the terms' canonical JSON, never of the wording, so every language's copy
carries the same one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.accounts.billing import Party
from core.catalog.rules import SPEC_RANGES
from core.catalog.taxonomy import UNITS, product
from core.deals import deals
from core.deals.terms import deadline_words
from core.deals.terms import service as deal_terms
from core.deals.terms.goods import certifications
from core.deals.terms.tables import DealTerms
from core.errors import DomainError, NotFound
from core.i18n import N_, _, bilingual, present
from core.money.model import Money, exponent
from core.said import side_by_side
from core.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from core.pdf import Document

LABELS = {
    "product": N_("Product"), "title": N_("Listing title"), "listing_id": N_("Listing"),
    "offer_id": N_("Offer"), "seller_id": N_("Seller account"), "buyer_id": N_("Buyer account"),
    "quantity": N_("Quantity"), "tolerance_percent": N_("Quantity tolerance"),
    "unit_price": N_("Unit price"), "total": N_("Total"), "incoterm": N_("Incoterm"),
    "place": N_("Place"), "delivery_from": N_("Delivery from"), "delivery_to": N_("Delivery to"),
    "payment_method": N_("Payment"), "grade": N_("Grade"), "certifications": N_("Certification"),
}
ORDER = ("product", "grade", "certifications", "title", "quantity", "tolerance_percent",
         "unit_price", "total", "incoterm", "place", "delivery_from", "delivery_to",
         "payment_method", "listing_id", "offer_id", "seller_id", "buyer_id")
# Printed with the quantity, the prices and the parties.
CONSUMED = frozenset({"unit", "currency", "parties"})
ROLES = (("seller", N_("Seller")), ("buyer", N_("Buyer")))
SECTIONS = ("schedule", "specs", "quality", "deadlines")
SPEC_LABELS = {"moisture": N_("Moisture"), "ash": N_("Ash"), "ncv": N_("Net calorific value"),
               "bulk_density": N_("Bulk density"), "particle_size": N_("Particle size")}
PAYMENT = {"escrow": N_("Through Agora's escrow"),
           "direct": N_("Arranged directly between the parties (Agora holds nothing)"),
           "net14": N_("On terms: invoiced at shipment, due 14 days later, by bank transfer"),
           "net30": N_("On terms: invoiced at shipment, due 30 days later, by bank transfer")}
VERIFY = N_("The fingerprint is the SHA-256 of these terms as canonical JSON (keys sorted, no "
            "spaces, UTF-8), embedded in this PDF as the attached file {name}: extract it and "
            "hash it to check. Any change to the terms changes it; both parties accepted this "
            "version by its fingerprint.")
# A quality limit: its bound, and the penalty the terms name (as written, or from the specs).
LIMITS = {True: N_("at most {limit}"), False: N_("at least {limit}")}
PENALTIES = {True: N_("at most {limit}; penalty: {penalty}"),
             False: N_("at least {limit}; penalty: {penalty}")}
PER_UNIT = {True: N_("at most {limit}; penalty: {penalty} per unit of deviation, per unit of goods"),
            False: N_("at least {limit}; penalty: {penalty} per unit of deviation, per unit of "
                      "goods")}


def json_name(version: int) -> str:
    """The embedded file holding the terms' canonical JSON."""
    return f"terms-v{version}.json"


def render_terms(body: Mapping[str, Any], sha256: str, version: int,
                 parties: Mapping[str, Party] | None = None, deal_id: int | None = None,
                 created_at: datetime | None = None) -> bytes:
    """The terms' PDF: title, version, the parties as frozen in `body` (or `parties`), every
    field of `body`, the fingerprint in every page's footer and the canonical JSON embedded.
    Rendered from the version alone, with its own date: the same bytes every time (for one
    reader's language: labels and sentences in it with the English beside, core.pdf)."""
    title = bilingual("Terms of deal {deal}", deal=deal_id) if deal_id else bilingual("Deal terms")
    from core.pdf import Document  # loaded when drawing (core.pdf)
    named = bilingual("version {version}", version=version)
    terms_version = bilingual("Terms version {version}", version=version)
    doc = Document(f"Agora: {title}, {named}", footer=f"{terms_version} · SHA-256 {sha256}")
    if created_at is not None:
        doc.set_creation_date(created_at)
    doc.embed_file(bytes=deal_terms.canonical(dict(body)), basename=json_name(version),
                   modification_date=created_at, creation_date=created_at,
                   mime_type="application/json", desc="The terms as canonical JSON")
    doc.heading(f"Agora — {title}")
    doc.fields(((bilingual("Version"), str(version)), ("SHA-256", sha256)))
    for role, who in (parties or frozen_parties(body)).items():
        doc.fields(((bilingual(role), who.block()),))  # "Seller", "Buyer"
    doc.section(bilingual("Terms"))
    doc.fields(main_rows(body))
    for key in SECTIONS:
        if body.get(key):
            _section(doc, key, body[key], body)
    extra = [(label_of(key), _text(body[key])) for key in sorted(unknown_keys(body))]
    if extra:
        doc.section(bilingual("Other terms"))
        doc.fields(extra)
    doc.ln(4)
    doc.paragraph(bilingual(VERIFY, sep="\n\n", name=json_name(version)), size=8, grey=True)
    return doc.render()


def frozen_parties(body: Mapping[str, Any]) -> dict[str, Party]:
    """The parties as the terms froze them (none for terms frozen before parties were kept:
    their account numbers are printed with the terms)."""
    kept = body.get("parties")
    if not isinstance(kept, Mapping):
        return {}
    return {label: Party.thawed(kept[role]) for role, label in ROLES
            if isinstance(kept.get(role), Mapping)}


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


def _section(doc: Document, key: str, value: Any, body: Mapping[str, Any]) -> None:
    if key == "specs" and isinstance(value, Mapping):
        doc.section(bilingual("Specifications"))
        doc.fields([(_spec_label(k), _spec(k, v)) for k, v in sorted(value.items())
                    if v not in (None, "")])
    elif key == "quality" and isinstance(value, list):
        doc.section(bilingual("Quality limits"))
        doc.fields([_quality(item, str(body.get("currency") or "")) for item in value])
    elif key == "schedule" and isinstance(value, Mapping):
        doc.section(bilingual("Deliver in call-offs (a framework contract)"))
        doc.fields(_schedule(value))
    elif key == "deadlines" and isinstance(value, Mapping):
        # The deadlines were frozen in words (English), part of what the parties accepted.
        doc.section(bilingual("Deadlines"))
        ordered = sorted(value.items(), key=lambda kv: (str(kv[1]), kv[0]))  # soonest first
        doc.fields([_deadline(k, v) for k, v in ordered])
    else:
        doc.section(label_of(key))
        doc.paragraph(_text(value))


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


async def terms_pdf(uow: UnitOfWork, deal_id: int, actor_id: int | None,
                    version: int | None = None) -> bytes:
    """A version of the deal's terms (the latest by default) as a PDF, for its parties and
    admins; NotFound for anyone else."""
    await deals.get(uow, deal_id, actor_id)  # the parties and admins only
    terms = await (deal_terms.current(uow, deal_id) if version is None
                   else _version(uow, deal_id, version))
    if terms is None:
        raise NotFound(_("That deal has no terms yet."))
    # The parties come from the frozen body, never from today's billing rows: a version's PDF
    # stays the one its parties accepted.
    return render_terms(terms.body, terms.sha256, terms.version, deal_id=deal_id,
                        created_at=terms.created_at)


async def _version(uow: UnitOfWork, deal_id: int, version: int) -> DealTerms | None:
    return await uow.session.scalar(select(DealTerms).where(
        DealTerms.deal_id == deal_id, DealTerms.version == version))
