"""A listing made from the form's values and edited with new ones, on plain values: its
prices, energy content and price per MWh derived, its lab values checked, and its values given
back to the form — no database. (`test_authorisation.py` edits a stored listing.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.catalog import listings
from core.clock import FakeClock
from core.errors import DomainError
from core.money.model import Money
from tests.catalog.helpers import values

NOW = FakeClock().now()  # 20 November 2026, when the form's dates begin


def test_a_sketch_keeps_the_forms_values_as_exact_units():
    listing = listings.sketch(7, values(quantity="500.5", min_order="22", price="230.10"), NOW)
    assert (listing.seller_id, listing.status) == (7, "draft")
    assert (listing.quantity_milli, listing.min_order_milli, listing.price_minor) == (
        500_500, 22_000, 230_10)
    assert (listing.city, listing.country) == ("Riga", "LV")
    assert listing.available_from.tzinfo is not None  # a bare date is read as UTC


def test_the_price_per_mwh_comes_from_the_lab_values_when_given():
    typical = listings.sketch(7, values(), NOW)  # pellets' typical 4.8 MWh a tonne
    measured = listings.sketch(7, values(ncv="18"), NOW)  # 18 MJ/kg is 5 MWh a tonne
    assert Decimal(measured.energy_mwh_per_unit) == Decimal("5")
    assert measured.price_mwh_minor == 46_00  # 230 EUR a tonne over 5 MWh
    assert typical.price_mwh_minor != measured.price_mwh_minor


def test_lab_values_out_of_range_are_refused_before_they_feed_the_energy():
    for field, typed, said in (("moisture", "95", "Moisture"), ("ncv", "NaN", "NCV"),
                               ("bulk_density", "5", "Bulk density")):
        with pytest.raises(DomainError, match=said):
            listings.sketch(7, values(**{field: typed}), NOW)


def test_a_new_currency_keeps_the_prices_value_not_its_minor_units():
    listing = listings.sketch(7, values(price="230"), NOW)
    listings.apply(listing, {"currency": "JPY"})
    assert Money(listing.price_minor, listing.currency) == Money(230, "JPY")  # not 23,000 yen
    listings.apply(listing, {"currency": "EUR", "price": "199.90"})  # both given: as typed
    assert Money(listing.price_minor, listing.currency) == Money(199_90, "EUR")


def test_an_edit_changes_only_the_values_given_and_drops_emptied_lab_values():
    listing = listings.sketch(7, values(ncv="18", ash="0.7"), NOW)
    listings.apply(listing, {"title": "ENplus A1 pellets, big bags", "ash": ""})
    assert listing.title == "ENplus A1 pellets, big bags"
    assert listing.specs == {"ncv": "18"}
    assert listing.price_minor == 230_00 and listing.delivery == ["pickup", "EXW"]


def test_the_form_gets_back_the_values_it_gave():
    given = values(min_order="22.5", price="230.00", negotiable="yes", ncv="18",
                   certifications=["enplus"])  # a price with its currency's decimals
    back = listings.form_values(listings.sketch(7, given, NOW))
    for key in ("product_type", "title", "quantity", "min_order", "price", "currency",
                "negotiable", "delivery", "incoterm_place", "location", "available_from",
                "valid_until", "ncv", "certifications"):
        assert back[key] == given[key], key
