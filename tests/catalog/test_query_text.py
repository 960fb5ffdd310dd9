"""Search in one line: words and filters from what a buyer types."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.catalog.query_text import chips, parse, without


def riga(name):
    return (56.95, 24.11, "Riga") if name.lower() in ("riga", "rīga") else None


def test_a_whole_line_becomes_words_and_filters():
    query, notes = parse("pellets under 250 eur near riga 300km enplus", place=riga)
    assert (query.text, query.price_max, query.currency, query.max_km) == ("pellets enplus", 25000,
                                                                          "EUR", 300)
    assert (query.lat, query.lon, notes) == (56.95, 24.11, [])
    assert [label for label, _ in chips(query)] == ["≤ 250 EUR/unit", "≤ 300 km"]


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
