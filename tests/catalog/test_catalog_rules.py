"""A listing's rules on plain values: no database, no fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.catalog import rules
from core.errors import DomainError

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def listing(**changes):
    facts = {"product_type": "pellets", "unit": "t", "currency": "EUR", "quantity_milli": 20_000,
             "min_order_milli": 1_000, "price_mwh_minor": 50_00, "delivery": ["EXW"],
             "delivery_radius_km": None, "incoterm_place": "Riga",
             "available_from": NOW, "valid_until": NOW + timedelta(days=30)}
    return SimpleNamespace(**{**facts, **changes})


def test_milli_and_minor_are_exact():
    assert rules.milli("2.5") == 2_500
    assert rules.milli(Decimal("0.001")) == 1
    assert rules.milli("") is None and rules.milli(None) is None
    assert rules.minor("12.34", "EUR") == 12_34
    assert rules.minor("0", "EUR") == 0
    with pytest.raises(DomainError):
        rules.minor("1.234", "EUR")


def test_a_sound_listing_has_no_problems():
    assert rules.problems(listing(), NOW) == []


def test_the_quantity_is_more_than_zero_and_at_most_ten_million_units():
    assert rules.problems(listing(quantity_milli=1, min_order_milli=None), NOW) == []
    assert rules.problems(listing(quantity_milli=10_000_000_000), NOW) == []
    for bad in (0, 10_000_000_001):
        assert any("quantity must be" in p for p in rules.problems(
            listing(quantity_milli=bad, min_order_milli=None), NOW))


def test_the_minimum_order_may_equal_the_quantity_but_not_exceed_it():
    assert rules.problems(listing(min_order_milli=20_000), NOW) == []
    assert rules.problems(listing(min_order_milli=20_001), NOW) == [
        "The minimum order can't be larger than the quantity on offer."]


def test_the_price_per_mwh_band_holds_at_its_bounds_and_only_for_euros():
    assert rules.problems(listing(price_mwh_minor=15_00), NOW) == []
    assert rules.problems(listing(price_mwh_minor=150_00), NOW) == []
    assert "outside the plausible range" in rules.problems(listing(price_mwh_minor=14_99), NOW)[0]
    assert "outside the plausible range" in rules.problems(listing(price_mwh_minor=150_01), NOW)[0]
    assert rules.problems(listing(currency="SEK", price_mwh_minor=1), NOW) == []
    assert rules.problems(listing(price_mwh_minor=None), NOW) == []


def test_the_unit_must_be_one_the_product_is_traded_in():
    assert "Wood pellets is traded in" in rules.problems(listing(unit="l"), NOW)[0]


def test_delivery_needs_a_radius_and_an_incoterm_a_place():
    assert rules.problems(listing(delivery=["delivery"]), NOW) == [
        "Delivery within a radius needs the radius in km."]
    assert rules.problems(listing(delivery=["delivery"], delivery_radius_km=50), NOW) == []
    assert rules.problems(listing(incoterm_place=None), NOW) == [
        "EXW needs a named place (e.g. EXW Riga)."]


def test_validity_after_the_start_in_the_future_and_at_most_366_days():
    assert rules.problems(listing(valid_until=NOW + rules.LONGEST_VALID), NOW) == []
    assert rules.problems(listing(valid_until=NOW + rules.LONGEST_VALID + timedelta(seconds=1)),
                          NOW) == ["A listing can be valid for at most a year; renew it later instead."]
    assert rules.problems(listing(valid_until=NOW), NOW) == [
        "“Valid until” must be after “available from”.", "“Valid until” is in the past."]
    later = NOW + timedelta(days=10)
    assert rules.problems(listing(available_from=later, valid_until=later + timedelta(days=366)),
                          NOW) == []


def test_lab_values_within_their_ranges_including_the_bounds():
    assert rules.spec_problems({"moisture": "0", "ash": "40", "ncv": 1, "bulk_density": "1200",
                                "particle_size": "6"}) == []
    assert rules.spec_problems({"moisture": ""}) == []
    assert rules.spec_problems({"moisture": "70.1"}) == ["Moisture must be between 0 and 70%."]
    assert rules.spec_problems({"ncv": "0.9"}) == ["NCV must be between 1 and 50 MJ/kg."]
    assert rules.spec_problems({"bulk_density": "nan"}) == [
        "Bulk density must be between 20 and 1,200 kg/m³."]
    assert rules.spec_problems({"ash": "abc"}) == ["Ash must be between 0 and 40%."]


def test_a_published_listing_runs_out_at_its_validity_but_never_within_a_day():
    assert rules.expires_at(NOW + timedelta(days=5), NOW) == NOW + timedelta(days=5)
    assert rules.expires_at(NOW + timedelta(hours=2), NOW) == NOW + timedelta(days=1)
    assert rules.expires_at(NOW + timedelta(days=1), NOW) == NOW + timedelta(days=1)


def test_renewal_and_reminder_windows():
    assert rules.renewed_until(NOW, 30) == NOW + timedelta(days=30)
    assert rules.renewed_until(NOW, 0) == NOW
    assert rules.reminder_from(NOW) == NOW + timedelta(days=3)


def test_a_moderators_reason_is_5_to_500_characters():
    assert not rules.reason_fits("four")
    assert rules.reason_fits("a" * 5) and rules.reason_fits("a" * 500)
    assert not rules.reason_fits("a" * 501)


def test_defaults_complete_a_short_form():
    full = rules.with_defaults({"product_type": "pellets", "grade": "ENplus A1",
                                "location": {"city": "Riga"}, "quantity": "20", "price": ""},
                               NOW, 30)
    assert full["title"] == "Wood pellets, ENplus A1 from Riga"
    assert full["negotiable"] == "no" and full["quantity"] == "20" and "price" not in full
    assert (full["available_from"], full["valid_until"]) == ("2026-03-02", "2026-04-01")
    assert len(rules.with_defaults({"grade": "x" * 200}, NOW, 30)["title"]) == 100
