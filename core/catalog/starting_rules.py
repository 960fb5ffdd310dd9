"""What a new listing's form starts from, on plain values (no database): the seller's last
listing, else their profile (core.catalog.rules holds the listing's other rules)."""

from __future__ import annotations

from typing import Any, Protocol


class Place(Protocol):
    """Where a seller or their last listing is (the account's, or the listing's row)."""

    @property
    def city(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...


class LastListing(Place, Protocol):
    """What a new listing takes from the seller's last one."""

    @property
    def delivery(self) -> list[Any]: ...
    @property
    def currency(self) -> str: ...
    @property
    def negotiable(self) -> bool: ...
    @property
    def incoterm_place(self) -> str | None: ...
    @property
    def delivery_radius_km(self) -> int | None: ...


def starting_values(last: LastListing | None, currency: str | None, home: Place,
                    accepted: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a new listing's form starts from: the seller's last listing (place, delivery,
    currency, negotiable, terms), else their profile (its currency, EUR without one, and its
    place once it has coordinates) — in a currency the seller accepts offers in (`accepted`,
    the first of them otherwise; none chosen: any)."""
    if last is not None:
        return {"location": {"city": last.city, "country": last.country, "lat": last.latitude,
                             "lon": last.longitude},
                "delivery": list(last.delivery),
                "currency": last.currency if not accepted or last.currency in accepted
                else accepted[0],
                "negotiable": "yes" if last.negotiable else "no",
                "incoterm_place": last.incoterm_place,
                "delivery_radius_km": last.delivery_radius_km}
    found: dict[str, Any] = {"currency": currency or "EUR"}
    if home.city and home.latitude is not None and home.longitude is not None:
        found["location"] = {"city": home.city, "country": home.country,
                             "lat": home.latitude, "lon": home.longitude}
    return found
