"""A listing's rules on plain values: no database, no fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.catalog import rules, saved_search_rules, starting_rules, upload_rules
from core.errors import DomainError, NotAllowed, NotFound

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


def test_a_seller_acts_only_on_their_own_listing_while_it_is_not_closed():
    rules.check_own("published", owner_id=4, seller_id=4)
    rules.check_own("draft", owner_id=4, seller_id=4)
    with pytest.raises(NotAllowed, match="another seller"):
        rules.check_own("published", owner_id=4, seller_id=5)
    with pytest.raises(NotFound):  # closed: gone, even for its own seller
        rules.check_own("closed", owner_id=4, seller_id=4)


def test_drafts_live_and_paused_listings_may_be_edited_and_no_others():
    for status in ("draft", "published", "paused"):
        rules.check_editable(status)
    for status in ("pending_review", "sold_out", "expired", "closed"):
        with pytest.raises(NotAllowed, match=status.replace("_", " ")):
            rules.check_editable(status)


def test_a_claimed_certification_is_published_only_with_a_document():
    rules.check_documents([], has_document=False)
    rules.check_documents(["enplus"], has_document=True)
    with pytest.raises(DomainError, match="ENplus"):
        rules.check_documents(["enplus"], has_document=False)


def test_a_submitted_draft_waits_for_a_moderator_only_when_moderation_is_on():
    assert rules.submitted(moderation=True) == rules.ListingState.PENDING_REVIEW
    assert rules.submitted(moderation=False) == rules.ListingState.PUBLISHED


def test_a_paused_listing_resumes_only_until_it_runs_out():
    rules.check_resume(None, NOW)
    rules.check_resume(NOW + timedelta(seconds=1), NOW)
    for ran_out in (NOW, NOW - timedelta(days=1)):
        with pytest.raises(DomainError, match="renew it instead"):
            rules.check_resume(ran_out, NOW)


def test_only_renewing_an_expired_or_sold_out_listing_brings_it_back_as_new():
    assert rules.republished("renew", "expired") and rules.republished("renew", "sold_out")
    assert not rules.republished("renew", "published")  # still live: only its dates move
    assert not rules.republished("resume", "paused")
    assert not rules.republished("sold", "published")


def test_a_new_listing_starts_from_the_sellers_last_one():
    last = SimpleNamespace(city="Riga", country="LV", latitude=56.9, longitude=24.1,
                           delivery=["pickup", "EXW"], currency="SEK", negotiable=True,
                           incoterm_place="Riga port", delivery_radius_km=None)
    home = SimpleNamespace(city="Tartu", country="EE", latitude=58.4, longitude=26.7)
    start = starting_rules.starting_values(last, "EUR", home)
    assert start == {"location": {"city": "Riga", "country": "LV", "lat": 56.9, "lon": 24.1},
                     "delivery": ["pickup", "EXW"], "currency": "SEK", "negotiable": "yes",
                     "incoterm_place": "Riga port", "delivery_radius_km": None}
    start["delivery"].append("CIF")
    assert last.delivery == ["pickup", "EXW"]  # a copy: the form's changes stay in the form
    # a seller who now accepts offers in EUR and NOK only starts in the first of them
    assert starting_rules.starting_values(last, "EUR", home, ("EUR", "NOK"))["currency"] == "EUR"


def test_without_a_listing_it_starts_from_the_sellers_profile():
    home = SimpleNamespace(city="Tartu", country="EE", latitude=58.4, longitude=26.7)
    assert starting_rules.starting_values(None, "SEK", home) == {
        "currency": "SEK",
        "location": {"city": "Tartu", "country": "EE", "lat": 58.4, "lon": 26.7}}
    nowhere = SimpleNamespace(city="Tartu", country="EE", latitude=None, longitude=None)
    assert starting_rules.starting_values(None, None, nowhere) == {"currency": "EUR"}  # no coordinates


def test_a_buyer_keeps_up_to_twenty_saved_searches():
    saved_search_rules.check_may_save(0)
    saved_search_rules.check_may_save(saved_search_rules.MAX_SAVED - 1)
    for kept in (saved_search_rules.MAX_SAVED, saved_search_rules.MAX_SAVED + 3):
        with pytest.raises(NotAllowed, match="at most 20 saved searches"):
            saved_search_rules.check_may_save(kept)


def test_alerts_come_at_once_or_in_the_daily_digest():
    for mode in ("instant", "digest"):
        saved_search_rules.check_alert_mode(mode)
    for wrong in ("weekly", "Instant", ""):
        with pytest.raises(DomainError, match="at once or a daily digest"):
            saved_search_rules.check_alert_mode(wrong)


def test_the_digest_goes_at_seven_in_the_buyers_own_zone_and_is_named_by_their_day():
    # 05:30 UTC is 07:30 in Riga (UTC+2 in winter) and 21:30 the day before in Los Angeles.
    at = datetime(2026, 3, 2, 5, 30, tzinfo=UTC)
    assert saved_search_rules.digest_day(at, "Europe/Riga") == "2026-03-02"
    assert saved_search_rules.digest_day(at, "America/Los_Angeles") is None
    assert saved_search_rules.digest_day(at, "America/Los_Angeles", hour=21) == "2026-03-01"
    assert saved_search_rules.digest_day(at.replace(hour=7), None) == "2026-03-02"  # no zone: UTC
    assert saved_search_rules.digest_day(at.replace(hour=7), "Not/AZone") == "2026-03-02"
    assert saved_search_rules.digest_day(datetime(2026, 3, 2, 6, 0, tzinfo=UTC), "Europe/Riga") is None


def test_an_edit_sends_a_live_listing_back_to_review_or_to_the_saved_searches_again():
    assert rules.after_edit("published", moderation=True) == "review"
    assert rules.after_edit("paused", moderation=True) == "review"
    assert rules.after_edit("published", moderation=False) == "match"
    assert rules.after_edit("paused", moderation=False) == "none"  # out of search while paused
    for status in ("draft", "pending_review", "sold_out", "expired"):
        assert rules.after_edit(status, moderation=True) == "none"


def test_a_photo_is_jpeg_png_or_webp_and_a_document_may_also_be_a_pdf():
    for mime in ("image/jpeg", "image/png", "image/webp"):
        upload_rules.check_upload("photo", mime, 1000)
    upload_rules.check_upload("document", "application/pdf", 1000)
    upload_rules.check_upload("voice", "audio/ogg", 1000)
    with pytest.raises(DomainError, match=r"\(application/pdf\) isn't accepted here. Send JPEG, "
                                          r"PNG, WEBP"):
        upload_rules.check_upload("photo", "application/pdf", 1000)
    for kind in ("document", "something else"):  # any other kind is checked as a document
        with pytest.raises(DomainError, match="x-msdownload"):
            upload_rules.check_upload(kind, "application/x-msdownload", 100)
    with pytest.raises(DomainError, match="audio/ogg"):
        upload_rules.check_upload("document", "audio/ogg", 100)  # voice notes only where one is asked


def test_a_file_of_exactly_ten_megabytes_passes_and_one_byte_more_does_not():
    upload_rules.check_upload("document", "application/pdf", upload_rules.MAX_BYTES)
    with pytest.raises(DomainError, match="the limit is 10 MB"):
        upload_rules.check_upload("document", "application/pdf", upload_rules.MAX_BYTES + 1)


def test_a_files_first_bytes_must_be_those_of_its_type():
    upload_rules.check_content("report.pdf", "application/pdf", b"%PDF-1.7 ...")
    upload_rules.check_content("me.png", "image/png", b"\x89PNG\r\n\x1a\n...")
    upload_rules.check_content("note.m4a", "audio/mp4", b"anything")  # no telling mark: not checked
    with pytest.raises(DomainError, match=r"“fake\.pdf” doesn't look like a real PDF file"):
        upload_rules.check_content("fake.pdf", "application/pdf", b"MZ not a pdf at all")
    with pytest.raises(DomainError, match="PNG"):
        upload_rules.check_content("me.png", "image/png", b"\xff\xd8 a jpeg after all")


def test_a_listing_holds_at_most_ten_photos_and_documents():
    upload_rules.check_may_attach(upload_rules.MAX_FILES - 1)
    with pytest.raises(DomainError, match="at most 10 photos and documents"):
        upload_rules.check_may_attach(upload_rules.MAX_FILES)
