"""The listing form: typed fields for every part of a listing, built per product type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, Field, MultiChoiceField, TextField
from conversations.flows.market.amount_and_date_fields import (
    AmountOfField,
    DateField,
    PriceField,
    QuantityField,
)
from conversations.forms import Form, Rule
from conversations.number_and_date_fields import DecimalField, IntegerField
from conversations.place_fields import CityField
from core.accounts.model import CURRENCIES
from core.catalog.rules import SPEC_RANGES
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES, UNITS, product
from core.i18n import N_, _


def type_field() -> ChoiceField:
    return ChoiceField("product_type", N_("Product type"),
                       choices=[(t.code, t.label) for t in TYPES.values()])


def _dec(name: str, label: str, lo: str, hi: str, hint: str = "", required: bool = False,
         places: int = 2) -> DecimalField:
    return DecimalField(name, label, required=required, minimum=Decimal(lo), maximum=Decimal(hi),
                        places=places, hint=hint)


def _spec(name: str, label: str, hint: str) -> DecimalField:
    """A lab value, in the range core checks again (core.catalog.rules.SPEC_RANGES)."""
    low, high, __ = SPEC_RANGES[name]
    return DecimalField(name, label, required=False, minimum=low, maximum=high, hint=hint)


def detail_fields(type_code: str, today: date | None = None, country: str = "",
                  held: dict[str, str] | None = None) -> list[Field]:
    """Every field of a listing after the product type, with the type's units and grades
    (places in `country`, the seller's, preferred among namesakes and near spellings; `held`:
    the valid certificates on the seller's profile, by scheme, offered first as picked)."""
    kind = product(type_code)
    grades = ", ".join(kind.grades) or _("free text")
    return [
        TextField("title", N_("Title"), min_length=5, max_length=100, needs_letters=True,
                  hint=N_("What buyers see first, e.g. “ENplus A1 pellets, 15 kg bags”.")),
        TextField("grade", N_("Grade or class"), required=False, max_length=60,
                  hint=_("E.g. {grades}.", grades=grades)),
        TextField("description", N_("Description"), required=False, max_length=1500, multiline=True,
                  hint=N_("Packaging, origin, anything a buyer should know.")),
        ChoiceField("unit", N_("Unit"), choices=[(u, UNITS[u]) for u in kind.units]),
        QuantityField("quantity", N_("Quantity available"), minimum=Decimal("0.001"),
                      maximum=Decimal(10_000_000), places=3, units=kind.units,
                      hint=_("In {unit}, or type the unit: “500 {unit}”.", unit=UNITS[kind.units[0]])),
        AmountOfField("min_order", N_("Minimum order"), required=False, minimum=Decimal("0.001"),
                      maximum=Decimal("10000000"), hint=N_("Optional, same unit."), places=3),
        _dec("price", N_("Price per unit"), "0.01", "100000000", N_("Excluding VAT."), required=True),
        ChoiceField("currency", N_("Currency"), choices=[(c, c) for c in CURRENCIES]),
        ChoiceField("negotiable", N_("Price"), choices=NEGOTIABLE),
        MultiChoiceField("delivery", N_("Delivery options"), choices=list(DELIVERY.items()),
                         hint=N_("Pickup, delivery within a radius, or Incoterms.")),
        *delivery_details(),
        CityField("location", N_("Location"), hint=N_("Type the city, or share a location."),
                  country=country),
        DateField("available_from", N_("Available from"), hint=N_("A date, or “today”."), today=today,
                  earliest=0, latest=730),
        DateField("valid_until", N_("Valid until"), hint=N_("A date, or “+30” for 30 days."),
                  today=today, earliest=1, latest=730),
        _spec("moisture", N_("Moisture %"), N_("Optional (lab value).")),
        _spec("ash", N_("Ash %"), N_("Optional (lab value).")),
        _spec("ncv", N_("Net calorific value (MJ/kg)"), N_("Optional; overrides the default.")),
        _spec("bulk_density", N_("Bulk density (kg/m³)"), N_("Optional; overrides the default.")),
        TextField("particle_size", N_("Particle size"), required=False, max_length=40,
                  hint=N_("Optional, e.g. 6 mm or P31.5.")),
        certifications_field(held or {}),
    ]


def certifications_field(held: dict[str, str]) -> MultiChoiceField:
    """The listing's claims: the certificates on the seller's profile first (their label says
    the number and last day; their document is the profile's), then every other scheme as a
    claim of the listing's own, proven by a document added to it."""
    others = [(code, label) for code, label in CERTIFICATIONS.items() if code not in held]
    hint = (N_("Certificates on your profile come first; any other claim needs its document "
               "added to the listing.") if held else
            N_("A certificate document is needed for each claim."))
    return MultiChoiceField("certifications", N_("Certifications"), required=False,
                            min_selected=0, choices=[*held.items(), *others], hint=hint)


def delivery_details() -> list[Field]:
    """The radius and the Incoterms place: asked only when the delivery options need them."""
    return [
        IntegerField("delivery_radius_km", N_("Delivery radius (km)"), minimum=1, maximum=5000,
                     when=lambda v: "delivery" in (v.get("delivery") or [])),
        TextField("incoterm_place", N_("Incoterms place"), max_length=120,
                  hint=N_("The named place for the Incoterm, e.g. Riga port."),
                  when=lambda v: any(d.isupper() for d in v.get("delivery") or [])),
    ]


def _min_order_fits(values: dict[str, Any]) -> str | None:
    low, high = values.get("min_order"), values.get("quantity")
    if low and high and Decimal(low) > Decimal(high):
        return _("The minimum order ({low}) can't be above the quantity on offer ({high}).",
                 low=low, high=high)
    return None


def _dates_in_order(values: dict[str, Any]) -> str | None:
    start, end = values.get("available_from"), values.get("valid_until")
    if start and end and end <= start:
        return _("“Valid until” ({end}) must be after “available from” ({start}).", end=end, start=start)
    return None


NEGOTIABLE = [("no", N_("Fixed price")), ("yes", N_("Open to offers"))]

RULES = [Rule(("quantity", "min_order"), _min_order_fits, fix="min_order"),
         Rule(("available_from", "valid_until"), _dates_in_order, fix="valid_until")]


def details_form(type_code: str, today: date | None = None) -> Form:
    return Form(id=f"listing_{type_code}", title=N_("New listing"),
                subtitle=product(type_code).label, fields=detail_fields(type_code, today),
                submit_label=N_("Preview"), rules=RULES)


def quick_fields(type_code: str | None, currency: str, country: str = "") -> list[Field]:
    """What a listing needs to be published; everything else has a default or is offered on
    the preview. Without a type (one form for it all), every unit is accepted."""
    units = product(type_code).units if type_code else tuple(UNITS)
    first = UNITS[units[0]]
    return [
        QuantityField("quantity", N_("Quantity available"), minimum=Decimal("0.001"),
                      maximum=Decimal(10_000_000), places=3, units=units,
                      hint=_("Type the amount and unit, e.g. “500 {unit}”.", unit=first)),
        ChoiceField("unit", N_("Unit"), choices=[(u, UNITS[u]) for u in units],
                    when=lambda v: not v.get("unit")),
        PriceField("price", N_("Price per unit"), minimum=Decimal("0.01"),
                   maximum=Decimal(100_000_000), currency=currency,
                   hint=_("In {currency}, excluding VAT; or type another currency: “230 SEK”.",
                          currency=currency),
                   form_hint=_("In {currency}, excluding VAT.", currency=currency)),
        # Asked right after the price, one tap (the last listing's choice offered to keep):
        # a fixed price lets buyers buy at once, so it must be the seller's choice.
        ChoiceField("negotiable", N_("Fixed price or open to offers"), choices=NEGOTIABLE,
                    hint=N_("Fixed: buyers buy at once at your price. Open to offers: buyers "
                            "offer and you accept, counter or decline.")),
        CityField("location", N_("Where the goods are"), hint=N_("Type the city, or share a location."),
                  country=country),
        MultiChoiceField("delivery", N_("Delivery options"), choices=list(DELIVERY.items()),
                         hint=N_("Pickup, delivery within a radius, or Incoterms.")),
        *delivery_details(),
    ]


def quick_form(type_code: str | None, currency: str, country: str = "") -> Form:
    """The short listing form; with no type given it starts by asking it (one Slack modal)."""
    fields = quick_fields(type_code, currency, country)
    return Form(id=f"quick_{type_code or 'any'}", title=N_("New listing"),
                subtitle=product(type_code).label if type_code else "",
                submit_label=N_("Preview"), fields=fields if type_code else [type_field(), *fields])


def field_form(type_code: str, name: str, today: date | None = None, country: str = "",
               held: dict[str, str] | None = None) -> Form:
    """A one-field form for editing `name` from the preview."""
    found = type_field() if name == "product_type" else next(
        f for f in detail_fields(type_code, today, country, held) if f.name == name)
    return Form(id=f"edit_{name}", title=N_("Edit listing"), fields=[found], submit_label=N_("Save"),
                rules=RULES)


def all_details_form(type_code: str, today: date | None = None, country: str = "",
                     held: dict[str, str] | None = None) -> Form:
    """Every detail of a listing in one form (a Slack modal), to edit from the preview."""
    return Form(id="edit_details", title=N_("Edit listing"), subtitle=product(type_code).label,
                fields=detail_fields(type_code, today, country, held), submit_label=N_("Save"),
                rules=RULES)


def editable_names(type_code: str) -> list[tuple[str, str]]:
    """(field name, label) of every field that can be edited from the preview."""
    return [("product_type", N_("Product type"))] + [(f.name, f.label) for f in detail_fields(type_code)]
