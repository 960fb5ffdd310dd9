"""A catalogue search: free text, filters and a sort — plain data, stored with saved searches."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

SORTS = {
    "relevance": "Relevance", "price": "Price (low first)", "price_mwh": "Price per MWh",
    "distance": "Distance", "rating": "Seller rating", "newest": "Newest",
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
        """A short human summary, used for saved searches and alerts."""
        parts = [f"“{self.text}”"] if self.text else []
        if self.product_type:
            parts.append(self.product_type)
        if self.max_km:
            parts.append(f"≤ {self.max_km:g} km")
        if self.price_max is not None:
            parts.append(f"≤ {self.price_max / 100:g} {self.currency}/unit")
        if self.price_mwh_max is not None:
            parts.append(f"≤ {self.price_mwh_max / 100:g} {self.currency}/MWh")
        if self.certification:
            parts.append(self.certification)
        if self.delivery:
            parts.append(self.delivery)
        if self.negotiable_only:
            parts.append("negotiable")
        return ", ".join(parts) or "all listings"
