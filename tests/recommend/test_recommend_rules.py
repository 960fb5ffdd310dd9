"""The recommendations' rules on plain values — how much the past counts, when the weekly
picks are due, what “Not interested” names — and a listing's and a consultant's points from
a taste: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from core.errors import NotFound
from core.recommend import rules
from core.recommend.picks import score_consultant, score_listing
from core.recommend.taste import Taste

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # a Monday: 10:30 in Riga, 03:30 in New York


def test_an_event_counts_half_after_ninety_days_and_a_future_one_fully():
    assert rules.recency(NOW, NOW) == 1.0
    assert rules.recency(NOW - timedelta(days=90), NOW) == pytest.approx(0.5)
    assert rules.recency(NOW - timedelta(days=180), NOW) == pytest.approx(0.25)
    assert rules.recency(NOW + timedelta(days=3), NOW) == 1.0  # a booking still ahead


def test_the_weekly_picks_are_due_on_monday_from_nine_to_nine_in_each_persons_zone():
    week, riga = rules.week_of(NOW, "Europe/Riga")
    assert (week, riga.hour) == ("2026-W48", 10) and rules.is_due(riga)
    __, new_york = rules.week_of(NOW, "America/New_York")
    assert not rules.is_due(new_york)  # 03:30 there
    assert rules.week_of(NOW, None)[1].utcoffset() == timedelta(0)  # no zone: UTC
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    assert rules.is_due(monday.replace(hour=9)) and rules.is_due(monday.replace(hour=20, minute=59))
    assert not rules.is_due(monday.replace(hour=21)) and not rules.is_due(monday.replace(hour=8))
    assert not rules.is_due(monday.replace(hour=10) + timedelta(days=1))  # a Tuesday


def test_the_iso_week_of_the_new_year_is_the_persons_own():
    # 23:30 UTC on Sunday 3 January 2027 is already Monday in Riga: week 1, not week 53.
    assert rules.week_of(datetime(2027, 1, 3, 23, 30, tzinfo=UTC), "Europe/Riga")[0] == "2027-W01"
    assert rules.week_of(datetime(2027, 1, 3, 23, 30, tzinfo=UTC), "UTC")[0] == "2026-W53"


def test_not_interested_names_a_listing_or_a_consultant_by_id():
    assert rules.declined_item("listing:42") == ("listing", 42)
    assert rules.declined_item("consultant:7") == ("consultant", 7)
    for wrong in ("deal:3", "listing:", "listing:-4", "listing:4x", "listing:" + "9" * 13, ""):
        with pytest.raises(NotFound):
            rules.declined_item(wrong)


def pellets_in(country, price_mwh=40_00, **changes):
    return SimpleNamespace(**{"id": 5, "product_type": "pellets", "country": country,
                              "currency": "EUR", "price_mwh_minor": price_mwh,
                              "title": "ENplus A1", "city": "Riga", **changes})


def a_taste():
    taste = Taste()
    taste.add(("product", "pellets"), 3.0, "you bought wood pellets twice")
    taste.add(("place", "pellets", "LV"), 3.0, "you bought wood pellets in Latvia twice")
    taste.add(("country", "LV"), 1.0, "you look at Latvia")
    taste.paid_mwh[("pellets", "EUR")] = [40_00]
    return taste


def test_a_listing_of_a_product_and_place_bought_before_scores_with_its_reasons():
    latvian = score_listing(a_taste(), pellets_in("LV"), None)
    estonian = score_listing(a_taste(), pellets_in("EE"), None)
    assert latvian is not None and estonian is not None
    assert latvian.score > estonian.score
    assert latvian.reasons[0] == "you bought wood pellets in Latvia twice"
    assert any("near the" in reason for reason in latvian.reasons)  # the price paid before


def test_a_country_alone_or_another_product_is_no_reason_to_offer_a_listing():
    taste = Taste()
    taste.add(("country", "LV"), 5.0, "you look at Latvia")
    assert score_listing(taste, pellets_in("LV"), None) is None
    assert score_listing(a_taste(), pellets_in("LV", product_type="biochar"), None) is None


def test_a_consultant_scores_only_for_a_field_the_taste_points_at():
    taste = Taste()
    taste.add(("field", "pellet-quality"), 2.0, "you buy pellets")
    expert = SimpleNamespace(account_id=9, categories=["pellet-quality"], ratings=2,
                             stars_total=10, headline="Pellet lab audits")
    found = score_consultant(taste, expert, "Cara")
    assert found is not None and found.title == "Cara — Pellet lab audits"
    assert "you buy pellets" in found.reasons and any("5" in r for r in found.reasons[1:])
    other = SimpleNamespace(account_id=10, categories=["biogas-plants"], ratings=0,
                            stars_total=0, headline="")
    assert score_consultant(taste, other, "Dan") is None
