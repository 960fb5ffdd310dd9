"""The one presenter writes every number, quantity, rating, percentage, day and moment in the
reader's conventions (CLDR), whatever face shows it."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.clock import local_time
from core.i18n import Visitor, dates, present
from core.money.reading import reading


class Reader:
    def __init__(self, language: str, country: str | None) -> None:
        self.language, self.country = language, country


GERMAN, POLE, FINN, ENGLISH = Reader("de", "DE"), Reader("pl", "PL"), Reader("fi", "FI"), Reader("en", None)
MOMENT = datetime(2026, 11, 25, 14, 5, tzinfo=ZoneInfo("Europe/Riga"))


@pytest.mark.parametrize(("reader", "expected"), [
    (GERMAN, "24,5 t"), (POLE, "24,5 t"), (FINN, "24,5 t"), (ENGLISH, "24.5 t")])
def test_a_quantity_takes_the_readers_decimal_sign(reader, expected):
    with reading(reader):
        assert present.quantity_milli(24_500, "t") == expected


def test_a_quantity_groups_thousands_and_names_the_unit_in_the_readers_words():
    with reading(GERMAN):
        assert present.quantity(Decimal("11251.2"), "MWh") == "11.251,2 MWh"
        assert present.quantity(1200, "loose_m3") == "1.200 Schütt-m³"
    with reading(FINN):
        assert present.quantity(Decimal("1234.5"), "t") == "1\xa0234,5 t"


def test_a_typed_price_keeps_its_decimals():
    with reading(POLE):
        assert present.number(Decimal("230.50")) == "230,50"
        assert present.number(Decimal("0.001")) == "0,001"


def test_days_follow_cldr_not_a_fixed_pattern():
    day = date(2026, 11, 25)
    with reading(GERMAN):
        assert dates.day(day) == "25. Nov. 2026"
    with reading(FINN):
        assert dates.day(day) == "25.11.2026"
    with reading(ENGLISH):
        assert dates.day(day) == "25 Nov 2026"


def test_a_moment_is_written_with_the_locales_own_order_and_signs():
    with reading(GERMAN):
        assert local_time(MOMENT, "Europe/Riga") == "Mi., 25. Nov., 14:05 (Europe/Riga)"
    with reading(FINN):
        assert local_time(MOMENT, "Europe/Riga") == "ke 25.11. 14.05 (Europe/Riga)"
    with reading(ENGLISH):
        assert local_time(MOMENT, "Europe/Riga") == "Wed 25 Nov, 14:05 (Europe/Riga)"


def test_ratings_and_percentages_use_the_readers_decimal_sign_and_spacing():
    with reading(POLE):
        assert present.rating(3) == "★ 3,0"
    with reading(GERMAN):
        assert present.percent(Decimal("25.5")) == "25,5\xa0%"
        assert present.share(Decimal("0.4"), places=0) == "40\xa0%"


def test_coordinates_are_not_confused_with_a_decimal_comma():
    with reading(GERMAN):
        assert present.coordinates(56.94963, 24.10519) == "56,9496; 24,1052"
    with reading(ENGLISH):
        assert present.coordinates(56.94963, 24.10519) == "56.9496, 24.1052"


def test_a_visitor_reads_in_the_language_their_browser_names():
    with reading(Visitor("fi", "FI")):
        assert present.count(10_000) == "10\xa0000"


def test_the_check_for_english_figures_catches_what_a_german_page_must_not_show():
    from tests.support.languages import english_figures

    wrong = "24.5 t × €215.00 = 5,267.50 EUR, ab 2026-12-01, Nov 25"
    assert english_figures("de", [wrong]) == ["5,267.50", "24.5", "215.00", "€2", "2026-12-01",
                                              "Nov 25"]
    right = "24,5 t × 215,00 € = 5.267,50 €, ab 1. Dez. 2026, 25.11.2026, 14:05, #12, 1.000 t"
    assert english_figures("de", [right]) == []
    with reading(GERMAN):
        assert english_figures("de", [present.quantity_milli(24_500, "t"),
                                      dates.day(date(2026, 12, 1))]) == []
