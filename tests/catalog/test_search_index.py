"""The search index: typos and word order, every filter, every sort, kept in step on changes."""

from __future__ import annotations

import pytest

from core.catalog.index_rows import Doc
from core.catalog.query import SearchQuery
from core.catalog.search_index import SearchIndex

RIGA, TALLINN, BERLIN = (56.95, 24.11), (59.44, 24.75), (52.52, 13.40)


def doc(id_: int, text: str, **kw) -> Doc:
    base = dict(product_type="pellets", quantity=100.0, price_minor=20000, price_mwh_minor=4200,
                currency="EUR", lat=RIGA[0], lon=RIGA[1], rating=4.0, published=float(id_))
    return Doc(id=id_, text=text, **{**base, **kw})


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex()
    for d in (
        doc(1, "ENplus A1 wood pellets Riga Latvia", certifications=("enplus",),
            delivery=("pickup", "EXW"), negotiable=True, rating=4.8),
        doc(2, "Industrial wood pellets Tallinn Estonia", lat=TALLINN[0], lon=TALLINN[1],
            price_minor=15000, price_mwh_minor=3100, quantity=5000.0, delivery=("CIF",)),
        doc(3, "Spruce wood chips Berlin Germany", product_type="chips", lat=BERLIN[0],
            lon=BERLIN[1], price_minor=9000, price_mwh_minor=3000, quantity=800.0,
            certifications=("fsc",), rating=3.5),
        doc(4, "HVO100 renewable diesel Riga Latvia", product_type="hvo", price_minor=180000,
            price_mwh_minor=None, quantity=20.0, currency="USD", delivery=("DAP",)),
    ):
        idx.add(d)
    return idx


def ids(index: SearchIndex, **query) -> list[int]:
    return [hit[0] for hit in index.search(SearchQuery(**query))]


def test_typos_and_word_order_still_find_enplus_pellets_in_riga(index):
    assert ids(index, text="enplsu peletts riga")[0] == 1
    assert ids(index, text="riga pellets")[0] == 1
    assert ids(index, text="pell")[:2] == [1, 2]  # a prefix while typing


def test_a_query_that_matches_nothing_returns_nothing(index):
    assert ids(index, text="zzzqqq") == []


@pytest.mark.parametrize(("query", "expected"), [
    ({"product_type": "chips"}, {3}),
    ({"qty_min": 600}, {2, 3}),
    ({"qty_max": 100}, {1, 4}),
    ({"price_min": 15000}, {1, 2}),
    ({"price_max": 15000}, {2, 3}),
    ({"price_mwh_max": 3100}, {2, 3}),
    ({"max_km": 50, "lat": RIGA[0], "lon": RIGA[1]}, {1, 4}),
    ({"max_km": 400, "lat": RIGA[0], "lon": RIGA[1]}, {1, 2, 4}),
    ({"certification": "fsc"}, {3}),
    ({"delivery": "CIF"}, {2}),
    ({"negotiable_only": True}, {1}),
    ({"currency": "USD", "price_max": 200000}, {4}),
])
def test_each_filter_keeps_only_what_matches(index, query, expected):
    assert set(ids(index, **query)) == expected


@pytest.mark.parametrize(("sort", "expected"), [
    ("price", [3, 2, 1, 4]),
    ("price_mwh", [3, 2, 1, 4]),  # no energy figure sorts last
    ("distance", [1, 4, 2, 3]),
    ("rating", [1, 2, 4, 3]),
    ("newest", [4, 3, 2, 1]),
])
def test_each_sort_orders_the_results(index, sort, expected):
    assert ids(index, sort=sort, lat=RIGA[0] + 0.01, lon=RIGA[1]) == expected


def test_relevance_puts_the_closest_text_first(index):
    assert ids(index, text="wood chips berlin")[0] == 3


def test_a_removed_listing_disappears_and_a_changed_one_is_found_by_its_new_words(index):
    index.remove(1)
    assert 1 not in ids(index, text="pellets")
    index.add(doc(2, "Premium sunflower husk pellets Tallinn", lat=TALLINN[0], lon=TALLINN[1]))
    assert ids(index, text="sunflower husk") == [2]
    assert len(index) == 3


def test_distance_is_reported_in_kilometres(index):
    (hit,) = index.search(SearchQuery(text="chips", lat=RIGA[0], lon=RIGA[1]))
    assert 830 < hit[2] < 860  # Riga to Berlin
