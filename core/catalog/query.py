"""A catalogue search: free text, filters and a sort — plain data, stored with saved searches."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any

from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.i18n import N_, _
from core.i18n.countries import country_name
from core.i18n.present import number, quantity
from core.money.model import Money

SORTS = {
    "relevance": N_("Relevance"), "price": N_("Price (low first)"), "price_mwh": N_("Price per MWh"),
    "distance": N_("Distance"), "rating": N_("Seller rating"), "newest": N_("Newest"),
}
# The order of results said whole (a German noun keeps its capital: “sortiert nach Relevanz”).
SORTED = {
    "relevance": N_("sorted by relevance"), "price": N_("sorted by price (low first)"),
    "price_mwh": N_("sorted by price per MWh"), "distance": N_("sorted by distance"),
    "rating": N_("sorted by seller rating"), "newest": N_("newest first"),
}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    product_type: str | None = None
    qty_min: float | None = None  # in the listing's unit
    qty_max: float | None = None
    currency: str = "EUR"  # price filters compare listings in this currency
    price_min: int | None = None  # minor units per unit
    price_max: int | None = None
    price_mwh_max: int | None = None  # minor units per MWh
    max_km: float | None = None
    lat: float | None = None  # the buyer's location, for distance
    lon: float | None = None
    place: str | None = None  # the town named for lat/lon (“near Riga”), as the gazetteer has it
    country: str | None = None  # ISO code: listings in this country only
    certification: str | None = None
    delivery: str | None = None
    negotiable_only: bool = False
    sort: str = "relevance"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", False)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchQuery:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def describe(self) -> str:
        """A short human summary with every active filter (saved searches, alerts, results)."""
        parts = [f"“{self.text}”"] if self.text else []
        parts += [label for label, name in self.filters() if name != "sort"]
        return ", ".join(parts) or _("all listings")

    def filters(self) -> list[tuple[str, str]]:
        """(label, field) of every active filter, e.g. ("≤ 250 EUR", "price_max")."""
        found: list[tuple[str, str]] = []
        if self.product_type:
            found.append((_(TYPES[self.product_type].label) if self.product_type in TYPES
                          else self.product_type, "product_type"))
        for name, pattern in (("price_min", N_("≥ {amount}/unit")), ("price_max", N_("≤ {amount}/unit")),
                              ("price_mwh_max", "≤ {amount}/MWh")):
            value = getattr(self, name)
            if value is not None:
                found.append((_(pattern, amount=_amount(value, self.currency)), name))
        for name, pattern in (("qty_min", N_("quantity ≥ {value}")), ("qty_max", N_("quantity ≤ {value}"))):
            value = getattr(self, name)
            if value is not None:
                found.append((_(pattern, value=number(_plain(value))), name))
        if self.max_km:
            found.append((self._distance(), "max_km"))
        if self.country:
            found.append((country_name(self.country), "country"))
        if self.certification:
            found.append((_(CERTIFICATIONS[self.certification]) if self.certification in CERTIFICATIONS
                          else self.certification,
                          "certification"))
        if self.delivery:
            found.append((_(DELIVERY[self.delivery]) if self.delivery in DELIVERY else self.delivery,
                          "delivery"))
        if self.negotiable_only:
            found.append((_("negotiable"), "negotiable_only"))
        if self.sort != "relevance":
            found.append((_(SORTED.get(self.sort, self.sort)), "sort"))
        return found

    def _distance(self) -> str:
        """“≤ 200 km of Riga” (the town in the reader's language), or “≤ 200 km” from the
        searcher's own place."""
        distance = quantity(_plain(self.max_km or 0), "km")
        if not self.place:
            return _("≤ {distance}", distance=distance)
        from core.catalog.gazetteer import resolve, town_name

        found, __ = resolve(self.place)
        town = town_name(found.city, found.country) if found else self.place
        return _("≤ {distance} of {place}", distance=distance, place=town)


def _plain(value: float) -> Decimal:
    """A float as the decimal it was typed as: 200.0 → 200, 12.5 → 12.5."""
    exact = Decimal(str(value))
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact.normalize()


def _amount(minor: int, currency: str) -> str:
    """“250 EUR”: exact, in the currency's own decimals, trailing zeros dropped."""
    return f"{Money(minor, currency).decimal.normalize():f} {currency}"
