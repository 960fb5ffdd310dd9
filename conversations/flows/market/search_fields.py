"""Search forms: the free text, and the filters (every one optional, skippable)."""

from __future__ import annotations

from dataclasses import replace as changed
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, Field, TextField
from conversations.flows.market.amount_and_date_fields import AmountOfField
from conversations.forms import Form
from conversations.number_and_date_fields import DecimalField
from conversations.place_fields import CityField
from conversations.profile_fields import country_field
from core.accounts.model import CURRENCIES
from core.catalog.query import SORTS, SearchQuery
from core.catalog.query_text import NEAR_KM
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.errors import DomainError
from core.i18n import N_
from core.money.model import Money, exponent

ANY = "any"


def text_field() -> TextField:
    return TextField("text", N_("What are you looking for"), required=False, max_length=200,
                     hint=N_("Words and filters in one line, typos are fine: “pellets under 250 "
                             "eur near riga 300km enplus”."))


def filter_fields() -> list[Field]:
    def dec(name: str, label: str, hint: str = "") -> DecimalField:
        return DecimalField(name, label, required=False, minimum=Decimal(0),
                            maximum=Decimal(10**9), places=3, hint=hint)

    return [
        ChoiceField("product_type", N_("Product type"), required=False,
                    choices=[(t.code, t.label) for t in TYPES.values()],
                    hint=N_("Skip for any type."), form_hint=N_("Leave empty for any type.")),
        AmountOfField("qty_min", N_("Minimum quantity"), required=False, maximum=Decimal(10**9),
                      places=3, hint=N_("In the listing's unit.")),
        AmountOfField("qty_max", N_("Maximum quantity"), required=False, maximum=Decimal(10**9),
                      places=3),
        ChoiceField("currency", N_("Currency for prices"), required=False,
                    choices=[(c, c) for c in CURRENCIES]),
        dec("price_min", N_("Minimum price per unit")),
        dec("price_max", N_("Maximum price per unit")),
        dec("price_mwh_max", N_("Maximum price per MWh")),
        dec("max_km", N_("Maximum distance (km)"), N_("From “near”, or from your profile's city.")),
        CityField("near", N_("Near"), required=False, hint=N_("A city, or share a location.")),
        changed(country_field(), required=False, hint=N_("Listings in this country only."),
                form_hint=N_("Leave empty for every country.")),
        ChoiceField("certification", N_("Certification"), required=False,
                    choices=[(ANY, N_("Any")), *list(CERTIFICATIONS.items())]),
        ChoiceField("delivery", N_("Delivery terms"), required=False,
                    choices=[(ANY, N_("Any")), *list(DELIVERY.items())]),
        ChoiceField("negotiable", N_("Negotiable price only"), required=False,
                    choices=[("no", N_("No")), ("yes", N_("Yes"))]),
        ChoiceField("sort", N_("Sort by"), required=False, choices=list(SORTS.items())),
    ]


TEXT_FORM = Form("search_text", N_("Search bioenergy"), [text_field()], submit_label=N_("Search"))
# Where a form shows at once (a Slack modal): the line and the filters most searches use, six
# inputs in all; the results offer "More filters" (FILTER_FORM) for the rest.
QUICK = ("product_type", "price_mwh_max", "near", "max_km", "sort")
FULL_FORM = Form("search", N_("Search bioenergy"),
                 [text_field(), *(f for f in filter_fields() if f.name in QUICK)],
                 submit_label=N_("Search"))
FILTER_FORM = Form("search_filters", N_("Filters"), filter_fields(), submit_label=N_("Apply"))


def _minor(value: str | None, currency: str) -> int | None:
    """A typed amount in minor units of the search's currency (its own decimals)."""
    if value in (None, ""):
        return None
    try:
        return Money.parse(str(value), currency).amount
    except DomainError:  # more decimals than the currency has: round to what it has
        return Money.parse(Decimal(value).quantize(Decimal(1).scaleb(-exponent(currency))),
                           currency).amount


def query_from(values: dict[str, Any], base: SearchQuery, origin: tuple[float, float] | None
               ) -> SearchQuery:
    """`base` with the filters the form gave added or changed; blanks and “any” keep what
    `base` has (the ✕ chips remove filters)."""
    def pick(name: str, default: Any = None) -> Any:
        value = values.get(name)
        return default if value in (None, "", ANY) else value

    near = pick("near")
    currency = pick("currency", base.currency)
    lat, lon = (near["lat"], near["lon"]) if near else (base.lat, base.lon)
    place = near.get("city") if near else base.place
    max_km = float(pick("max_km")) if pick("max_km") else base.max_km
    if near and not max_km:  # “near Riga” reaches as far as in the one-line search
        max_km = NEAR_KM
    if max_km and lat is None and origin is not None:
        lat, lon = origin
    return changed(
        base, text=values.get("text") or base.text, currency=currency,
        product_type=pick("product_type", base.product_type),
        qty_min=float(pick("qty_min")) if pick("qty_min") else base.qty_min,
        qty_max=float(pick("qty_max")) if pick("qty_max") else base.qty_max,
        price_min=_minor(pick("price_min"), currency) if pick("price_min") else base.price_min,
        price_max=_minor(pick("price_max"), currency) if pick("price_max") else base.price_max,
        price_mwh_max=(_minor(pick("price_mwh_max"), currency) if pick("price_mwh_max")
                       else base.price_mwh_max),
        max_km=max_km, lat=lat, lon=lon, place=place,
        country=pick("country", base.country),
        certification=pick("certification", base.certification),
        delivery=pick("delivery", base.delivery),
        negotiable_only=pick("negotiable") == "yes" or base.negotiable_only,
        sort=pick("sort", base.sort),
    )
