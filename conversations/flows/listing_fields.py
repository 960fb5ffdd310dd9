"""The listing form: typed fields for every part of a listing, built per product type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from dateutil import parser as dateparser

from conversations.forms import (
    ChoiceField,
    DecimalField,
    Field,
    FieldError,
    Form,
    IntegerField,
    LocationField,
    MultiChoiceField,
    Raw,
    TextField,
)
from conversations.messages import Choice, Inbound, Location
from core.accounts.model import CURRENCIES
from core.catalog import gazetteer
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES, UNITS, product


@dataclass
class CityField(LocationField):
    """A city from the bundled gazetteer (typos forgiven), or a shared location."""

    def parse(self, msg: Inbound) -> dict[str, Any]:
        if isinstance(msg, Location):
            super().parse(msg)  # range check
            near = gazetteer.nearest(msg.latitude, msg.longitude)
            return {**near.as_dict(), "lat": msg.latitude, "lon": msg.longitude}
        if isinstance(msg, Choice):
            return self.parse_raw(msg.data)
        return super().parse(msg)

    def parse_raw(self, raw: Raw) -> dict[str, Any]:
        text = super().parse_raw(raw)["city"]
        place, close = gazetteer.resolve(text)
        if place:
            return place.as_dict()
        hint = " Did you mean one of these?" if close else " Try a nearby larger city."
        raise FieldError(f"I don't know the city “{text[:40]}”.{hint}",
                         [(p.city, f"{p.city}, {p.country}") for p in close])

    def display(self, value: Any) -> str:
        if not value:
            return "—"
        return f"{value['city']}, {value.get('country') or ''}".rstrip(", ")


@dataclass
class DateField(Field):
    """A calendar date: 2026-12-01, 1.12.2026, “today”, or “+30” days from today.

    `today` is the user's date by the application clock (set when the form is built), so
    tests with a fake clock and users in other time zones get the right day.
    """

    kind: ClassVar[str] = "date"
    today: date | None = None

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw).lower()
        today = self.today or datetime.now(UTC).date()
        if text == "today":
            return today.isoformat()
        if text.startswith("+") and text[1:].rstrip("d").isdigit():
            return (today + timedelta(days=int(text[1:].rstrip("d")))).isoformat()
        try:
            day = dateparser.parse(text, dayfirst="." in text, yearfirst="-" in text).date()
        except (ValueError, OverflowError):
            raise FieldError(f"{self.label}: write a date like 2026-12-01.") from None
        return day.isoformat()  # whether it is too early is the listing's check (by the clock)


def type_field() -> ChoiceField:
    return ChoiceField("product_type", "Product type",
                       choices=[(t.code, t.label) for t in TYPES.values()])


def _dec(name: str, label: str, lo: str, hi: str, hint: str = "", required: bool = False,
         places: int = 2) -> DecimalField:
    return DecimalField(name, label, required=required, minimum=Decimal(lo), maximum=Decimal(hi),
                        places=places, hint=hint)


def detail_fields(type_code: str, today: date | None = None) -> list[Field]:
    """Every field of a listing after the product type, with the type's units and grades."""
    kind = product(type_code)
    grades = ", ".join(kind.grades) or "free text"
    return [
        TextField("title", "Title", min_length=5, max_length=100, needs_letters=True,
                  hint="What buyers see first, e.g. “ENplus A1 pellets, 15 kg bags”."),
        TextField("grade", "Grade or class", required=False, max_length=60, hint=f"E.g. {grades}."),
        TextField("description", "Description", required=False, max_length=1500, multiline=True,
                  hint="Packaging, origin, anything a buyer should know."),
        ChoiceField("unit", "Unit", choices=[(u, UNITS[u]) for u in kind.units]),
        _dec("quantity", "Quantity available", "0.001", "10000000", "In the unit above.",
             required=True, places=3),
        _dec("min_order", "Minimum order", "0.001", "10000000", "Optional, same unit.", places=3),
        _dec("price", "Price per unit", "0.01", "100000000", "Excluding VAT.", required=True),
        ChoiceField("currency", "Currency", choices=[(c, c) for c in CURRENCIES]),
        ChoiceField("negotiable", "Price", choices=[("no", "Fixed"), ("yes", "Negotiable")]),
        MultiChoiceField("delivery", "Delivery options", choices=list(DELIVERY.items()),
                         hint="Pickup, delivery within a radius, or Incoterms."),
        IntegerField("delivery_radius_km", "Delivery radius (km)", required=False, minimum=1,
                     maximum=5000, hint="Only if you deliver."),
        TextField("incoterm_place", "Incoterms place", required=False, max_length=120,
                  hint="The named place for EXW/FCA/DAP/CIF, e.g. Riga port."),
        CityField("location", "Location", hint="Type the city, or share a location."),
        DateField("available_from", "Available from", hint="A date, or “today”.", today=today),
        DateField("valid_until", "Valid until", hint="A date, or “+30” for 30 days.",
                  today=today),
        _dec("moisture", "Moisture %", "0", "70", "Optional (lab value)."),
        _dec("ash", "Ash %", "0", "40", "Optional (lab value)."),
        _dec("ncv", "Net calorific value (MJ/kg)", "1", "50", "Optional; overrides the default."),
        _dec("bulk_density", "Bulk density (kg/m³)", "20", "1200", "Optional; overrides the default."),
        TextField("particle_size", "Particle size", required=False, max_length=40,
                  hint="Optional, e.g. 6 mm or P31.5."),
        MultiChoiceField("certifications", "Certifications", required=False, min_selected=0,
                         choices=list(CERTIFICATIONS.items()),
                         hint="A certificate document is needed for each claim."),
    ]


def details_form(type_code: str, today: date | None = None) -> Form:
    return Form(id=f"listing_{type_code}", title=f"New listing · {product(type_code).label}",
                fields=detail_fields(type_code, today), submit_label="Preview")


def field_form(type_code: str, name: str, today: date | None = None) -> Form:
    """A one-field form for editing `name` from the preview."""
    found = type_field() if name == "product_type" else next(
        f for f in detail_fields(type_code, today) if f.name == name)
    return Form(id=f"edit_{name}", title="Edit listing", fields=[found], submit_label="Save")


def editable_names(type_code: str) -> list[tuple[str, str]]:
    """(field name, label) of every field that can be edited from the preview."""
    return [("product_type", "Product type")] + [(f.name, f.label) for f in detail_fields(type_code)]
