"""Search in the reader's words: product names in any language, inflected or misspelt, and a
country or a town named in the line, find what a person means."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.catalog.documents import search_text
from core.catalog.index_rows import Doc
from core.catalog.query_text import chips, parse
from core.catalog.search_index import SearchIndex
from core.money.reading import reading

# id, title, product, town, country, lat, lon, price in cents per tonne
LISTINGS = (
    (1, "Holzpellets aus Berlin", "pellets", "Berlin", "DE", 52.52, 13.40, 24000),
    (2, "Premium pellets, 15 kg bags", "pellets", "Riga", "LV", 56.95, 24.11, 24550),
    (3, "Straw pellets", "agri", "Oulu", "FI", 65.01, 25.47, 15000),
    (4, "Spruce wood chips", "chips", "Tartu", "EE", 58.38, 26.72, 9000),
    (5, "ENplus A1 wood pellets", "pellets", "Toulouse", "FR", 43.60, 1.44, 32000),
    (6, "Wood pellets in big bags", "pellets", "Jelgava", "LV", 56.65, 23.72, 23000),
)
WOOD_PELLETS = {1, 2, 5, 6}


def index() -> SearchIndex:
    idx = SearchIndex()
    for id_, title, kind, city, country, lat, lon, price in LISTINGS:
        row = SimpleNamespace(title=title, product_type=kind, grade=None, certifications=[],
                              city=city, country=country)
        idx.add(Doc(id=id_, text=search_text(row), product_type=kind, quantity=100.0,
                    price_minor=price, price_mwh_minor=None, currency="EUR", lat=lat, lon=lon,
                    published=float(id_), country=country))
    return idx


def ranked(line: str, language: str = "en", country: str = "GB") -> list[int]:
    with reading(SimpleNamespace(language=language, country=country)):
        query, __ = parse(line)
    return [hit[0] for hit in index().search(query)]


def found(line: str, language: str = "en", country: str = "GB") -> set[int]:
    return set(ranked(line, language, country))


def first(line: str, count: int, language: str = "en", country: str = "GB") -> set[int]:
    """The listings ranked first: those holding every word (one-word matches follow them)."""
    return set(ranked(line, language, country)[:count])


def test_a_german_typo_of_a_product_finds_the_listings_named_in_english_too():
    assert first("Holzpelets unter 300 €", 3, "de", "DE") == {1, 2, 6}  # 245,50 € among them


@pytest.mark.parametrize("typed", ["pelet", "pelety drzewne", "pelet drzewny", "granulés",
                                   "Holzpellet", "Holzpelets", "Puupelletit", "träpellets",
                                   "medienos granulės", "koksnes granulas"])
def test_an_inflected_or_misspelt_product_name_finds_wood_pellets_as_pellets_does(typed):
    assert first(typed, len(WOOD_PELLETS)) == WOOD_PELLETS
    assert first("pellets", 5) == WOOD_PELLETS | {3}  # and straw pellets


def test_english_typos_stay_with_the_index_which_finds_every_kind_of_pellet():
    assert first("pelets", 5) == WOOD_PELLETS | {3}


def test_a_country_named_in_the_line_is_a_filter_with_its_chip():
    assert found("wood pellets latvia") == {2, 6}
    assert found("Holzpellets aus Lettland", "de", "DE") == {2, 6}
    query, __ = parse("wood pellets latvia")
    assert (query.text, query.country) == ("wood pellets", "LV")
    assert ("Latvia", "country") in chips(query)
    with reading(SimpleNamespace(language="de", country="DE")):
        assert ("Lettland", "country") in chips(query)


def test_near_a_town_without_a_distance_reaches_a_default_radius_named_on_its_chip():
    assert found("pellets near riga") == {2, 6}  # Jelgava is 40 km away, Berlin 840
    query, __ = parse("pellets near berlin")
    assert query.max_km == 200 and ("≤ 200 km of Berlin", "max_km") in chips(query)
    assert parse("pellets near riga 500km")[0].max_km == 500  # a distance given is kept


def test_near_a_town_that_names_a_country_too_searches_around_the_town_not_the_country():
    query, notes = parse("pellets near luxembourg")  # a place, never the country's filter
    assert query.country is None and query.text == "pellets"
    assert notes == ["I don't know the place “luxembourg”; searched everywhere."]


def test_the_order_of_results_is_said_whole_in_the_readers_language():
    from dataclasses import replace

    query = replace(parse("pellets")[0], sort="rating")
    with reading(SimpleNamespace(language="de", country="DE")):  # a German noun keeps its capital
        assert ("sortiert nach Verkäuferbewertung", "sort") in query.filters()
    assert ("sorted by seller rating", "sort") in query.filters()
