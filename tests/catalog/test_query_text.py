"""Search in one line: words and filters from what a buyer types."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.catalog import query_text
from core.catalog.query_text import chips, parse, without


def riga(name):
    return (56.95, 24.11, "Riga") if name.lower() in ("riga", "rīga") else None


def test_a_whole_line_becomes_words_and_filters():
    query, notes = parse("pellets under 250 eur near riga 300km enplus", place=riga)
    assert (query.text, query.price_max, query.currency, query.max_km) == ("pellets enplus", 25000,
                                                                          "EUR", 300)
    assert (query.lat, query.lon, notes) == (56.95, 24.11, [])
    assert [label for label, _ in chips(query)] == ["≤ 250 EUR/unit", "≤ 300 km of Riga"]


def test_a_certification_word_stays_a_search_word_not_a_filter():
    query, _ = parse("enplus pelets", place=riga)
    assert (query.text, query.certification) == ("enplus pelets", None)


def test_prices_per_mwh_delivery_terms_negotiable_and_sort_words_are_understood():
    query, _ = parse("wood chips below 40 €/MWh DAP negotiable cheapest", place=riga)
    assert (query.text, query.price_mwh_max, query.delivery) == ("wood chips", 4000, "DAP")
    assert query.negotiable_only and query.sort == "price"


def test_amounts_follow_the_currencys_own_decimals():
    assert parse("pellets under 30000 jpy", place=riga)[0].price_max == 30000
    assert parse("pellets under 12.5 kwd", place=riga)[0].price_max == 12500
    assert parse("min 20 t pellets", place=riga)[0].qty_min == 20


def test_an_unknown_place_is_said_and_the_search_runs_everywhere():
    query, notes = parse("pellets near Atlantis", place=riga)
    assert query.lat is None and "Atlantis" in notes[0]


def test_emoji_alone_is_no_search_text():
    query, _ = parse("🔥🌲", place=riga)
    assert query.text == "" and chips(query) == []


def test_each_chip_removes_exactly_its_filter():
    query, _ = parse("pellets under 250 eur 300km enplus", place=riga)
    for label, name in chips(query):
        fewer = without(query, name)
        assert label not in [lbl for lbl, _ in chips(fewer)]
        assert len(chips(fewer)) == len(chips(query)) - 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_line_parses_without_an_error(line):
    query, notes = parse(line, place=riga)
    assert isinstance(query.text, str) and isinstance(notes, list)


def test_in_followed_by_no_place_keeps_the_words():
    query, notes = parse("pellets in big bags", place=riga)
    assert (query.text, notes) == ("pellets in big bags", [])
    assert parse("pellets in riga", place=riga)[0].lat == 56.95


@pytest.mark.parametrize(("line", "reader", "expected"), [
    ("Holzpellets unter 1.000 € bei Riga 300 km verhandelbar günstigste", ("de", "DE"),
     {"text": "Wood pellets", "price_max": 100_000, "max_km": 300.0, "negotiable_only": True,
      "sort": "price", "lat": 56.95}),
    ("pellet poniżej 250 EUR w Riga najtańsze", ("pl", "PL"),
     {"text": "pellet", "price_max": 25_000, "sort": "price", "lat": 56.95}),
    ("pellet w workach", ("pl", "PL"), {"text": "pellet w workach", "lat": None}),
    ("Pellets ab 20 t", ("de", "DE"), {"text": "Pellets", "qty_min": 20.0, "price_min": None}),
    ("granulés moins de 230,50 € près de Riga", ("fr", "FR"),
     {"text": "Wood pellets", "price_max": 23_050, "lat": 56.95}),
    ("Hackschnitzel aus Lettland", ("de", "DE"), {"text": "Wood chips", "country": "LV"}),
    ("pelletit alle 1 000 EUR lähin", ("fi", "FI"),
     {"text": "Wood pellets", "price_max": 100_000, "sort": "distance"}),
])
def test_the_filter_words_are_understood_in_each_language(line, reader, expected):
    from types import SimpleNamespace

    from core.money.reading import reading

    riga = {"riga": (56.95, 24.1, "Riga")}
    with reading(SimpleNamespace(language=reader[0], country=reader[1])):
        query, notes = query_text.parse(line, place=lambda name: riga.get(name.lower()))
    assert {key: getattr(query, key) for key in expected} == expected and notes == []


def test_a_product_and_a_country_named_in_any_language_search_as_the_listings_name_them():
    for line in ("Holzpellets", "pellet drzewny", "Koksnes granulas", "granulés de bois"):
        assert parse(line, place=riga)[0].text == "Wood pellets", line
    for line in ("pellets Łotwa", "pellets Lettonie", "pellets Läti", "pellets latvia"):
        assert (parse(line, place=riga)[0].text, parse(line, place=riga)[0].country) == (
            "pellets", "LV"), line


@pytest.mark.parametrize("language", ["en", "de", "pl", "lv", "lt", "et", "fi", "sv", "fr"])
def test_the_search_example_each_language_shows_is_understood(language):
    """The home page and the help show a one-line search in the reader's language: it works."""
    from tests.support.languages import said

    example = said(language, "pellets under 250 eur near riga 300km enplus")
    query, notes = parse(example, place=riga)
    assert (query.price_max, notes) == (25_000, []) and "enplus" in query.text
    assert query.text.split()[0].lower() in ("wood", "pellets", "pellet")
