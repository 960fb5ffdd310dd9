"""The market's rules, on plain values (no database): where a seller's price sits among the
competing live listings near each of their own — which listings compete, the nearest few, and
the percentile of the seller's price per MWh among them; and which searches are for a product."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.catalog.gazetteer import haversine_km
from core.catalog.taxonomy import product

NEAR_KM = 500  # competitors within this distance of the seller's listing
SHOWN = 5  # nearest competitors listed
PERCENT = 100


@dataclass(frozen=True)
class Rival:
    listing_id: int
    title: str
    city: str
    country: str | None
    km: int
    price_mwh: int  # minor units


@dataclass(frozen=True)
class Standing:
    listing_id: int
    title: str
    city: str
    currency: str
    price_mwh: int
    nearby: int  # competing listings within NEAR_KM
    percentile: int | None  # share of nearby prices below the seller's (ties count half)
    low: int | None  # the range of nearby prices
    high: int | None
    rivals: list[Rival]  # the nearest few


class Priced(Protocol):
    """What the comparison reads of a live listing with a price per MWh (its row)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def price_mwh_minor(self) -> int | None: ...


def search_words(product_type: str) -> set[str]:
    """The words that make a search without a product filter one for this product: its code
    and those of its keywords longer than three letters ("wood" would find firewood too)."""
    return {w for w in product(product_type).keywords.split() if len(w) > 3} | {product_type}


def saved_for(query: Mapping[str, Any], product_type: str) -> bool:
    """Whether a saved search is for this product: by its filter or, without one, by one of
    its words in the text."""
    if query.get("product_type") == product_type:
        return True
    text = str(query.get("text", "")).lower()
    return not query.get("product_type") and any(w in text for w in search_words(product_type))


def percentile(mine: int, others: list[int]) -> int | None:
    """The percentage of `others` cheaper than `mine`, equal prices counting half."""
    if not others:
        return None
    below = sum(1 for p in others if p < mine)
    same = sum(1 for p in others if p == mine)
    return round((below + same / 2) / len(others) * PERCENT)


def standing(own: Priced, others: Iterable[Priced], radius_km: int = NEAR_KM) -> Standing:
    """The competition near one of the seller's listings: other sellers' listings priced in
    the same currency within `radius_km`, the nearest first (the older of two as near), with
    the range of their prices, the seller's percentile among them and the SHOWN nearest."""
    mine = _price(own)
    near = sorted(((haversine_km(own.latitude, own.longitude, r.latitude, r.longitude), r)
                   for r in others if r.currency == own.currency), key=lambda x: (x[0], x[1].id))
    near = [(km, r) for km, r in near if km <= radius_km]
    prices = [_price(r) for __, r in near]
    return Standing(own.id, own.title, own.city, own.currency, mine, len(near),
                    percentile(mine, prices), min(prices, default=None),
                    max(prices, default=None),
                    [Rival(r.id, r.title, r.city, r.country, round(km), _price(r))
                     for km, r in near[:SHOWN]])


def _price(listing: Priced) -> int:
    """A live listing's price per MWh (only priced ones are compared)."""
    assert listing.price_mwh_minor is not None
    return listing.price_mwh_minor
