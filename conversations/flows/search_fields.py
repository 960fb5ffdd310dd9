"""Search forms: the free text, and the filters (every one optional, skippable)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations.flows.listing_fields import CityField
from conversations.forms import ChoiceField, DecimalField, Field, Form, TextField
from core.accounts.model import CURRENCIES
from core.catalog.query import SORTS, SearchQuery
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES

ANY = "any"


def text_field() -> TextField:
    return TextField("text", "What are you looking for", required=False, max_length=200,
                     hint="Words and filters in one line, typos are fine: “pellets under 250 "
                     "eur near riga 300km enplus”.")


def filter_fields() -> list[Field]:
    def dec(name: str, label: str, hint: str = "") -> DecimalField:
        return DecimalField(name, label, required=False, minimum=Decimal(0),
                            maximum=Decimal(10**9), places=3, hint=hint)

    return [
        ChoiceField("product_type", "Product type", required=False,
                    choices=[(t.code, t.label) for t in TYPES.values()],
                    hint="Skip for any type."),
        dec("qty_min", "Minimum quantity", "In the listing's unit."),
        dec("qty_max", "Maximum quantity"),
        ChoiceField("currency", "Currency for prices", required=False,
                    choices=[(c, c) for c in CURRENCIES]),
        dec("price_min", "Minimum price per unit"),
        dec("price_max", "Maximum price per unit"),
        dec("price_mwh_max", "Maximum price per MWh"),
        dec("max_km", "Maximum distance (km)", "From “near”, or from your profile's city."),
        CityField("near", "Near", required=False, hint="A city, or share a location."),
        ChoiceField("certification", "Certification", required=False,
                    choices=[(ANY, "Any"), *list(CERTIFICATIONS.items())]),
        ChoiceField("delivery", "Delivery terms", required=False,
                    choices=[(ANY, "Any"), *list(DELIVERY.items())]),
        ChoiceField("negotiable", "Negotiable price only", required=False,
                    choices=[("no", "No"), ("yes", "Yes")]),
        ChoiceField("sort", "Sort by", required=False, choices=list(SORTS.items())),
    ]


TEXT_FORM = Form("search_text", "Search bioenergy", [text_field()], submit_label="Search")
FULL_FORM = Form("search", "Search bioenergy", [text_field(), *filter_fields()],
                 submit_label="Search")
FILTER_FORM = Form("search_filters", "Filters", filter_fields(), submit_label="Apply")


def _cents(value: str | None) -> int | None:
    return None if value in (None, "") else int(Decimal(value) * 100)


def query_from(values: dict[str, Any], base: SearchQuery, origin: tuple[float, float] | None
               ) -> SearchQuery:
    """A query from form values; blanks and “any” mean no filter."""
    def pick(name: str) -> Any:
        value = values.get(name)
        return None if value in (None, "", ANY) else value

    near = pick("near")
    lat, lon = (near["lat"], near["lon"]) if near else (origin or (None, None))
    return SearchQuery(
        text=values.get("text") or base.text if "text" in values else base.text,
        product_type=pick("product_type"),
        qty_min=float(pick("qty_min")) if pick("qty_min") else None,
        qty_max=float(pick("qty_max")) if pick("qty_max") else None,
        currency=pick("currency") or base.currency,
        price_min=_cents(pick("price_min")), price_max=_cents(pick("price_max")),
        price_mwh_max=_cents(pick("price_mwh_max")),
        max_km=float(pick("max_km")) if pick("max_km") else None, lat=lat, lon=lon,
        certification=pick("certification"), delivery=pick("delivery"),
        negotiable_only=pick("negotiable") == "yes", sort=pick("sort") or base.sort,
    )
