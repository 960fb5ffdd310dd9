"""Search forgives the common typo: a listing in which every query word has a look-alike word is
found, however long its text; more and closer word matches rank first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.catalog.documents import search_text
from core.catalog.index_rows import Doc
from core.catalog.look_alike import EXACT, PREFIX, SLIP_CLOSENESS, closeness
from core.catalog.query import SearchQuery
from core.catalog.search_index import SearchIndex


@pytest.mark.parametrize(("word", "term", "expected"), [
    ("pellets", "pellets", EXACT),
    ("pel", "pellets", PREFIX),  # a prefix of three letters
    ("pelets", "pellets", SLIP_CLOSENESS[1]),  # a dropped double letter
    ("pellest", "pellets", SLIP_CLOSENESS[1]),  # two neighbours swapped
    ("pallets", "pellets", SLIP_CLOSENESS[1]),  # one letter off
    ("peletts", "pellets", SLIP_CLOSENESS[2]),  # two slips in a long word
    ("chisp", "chips", SLIP_CLOSENESS[1]),
    ("oat", "oak", None),  # three letters: exact or prefix only
    ("pe", "pellets", None),  # two letters are no prefix
    ("chps", "chaps", SLIP_CLOSENESS[1]),
    ("chis", "chaps", None),  # two slips in a four-letter word: too many
    ("briquetes", "briquettes", SLIP_CLOSENESS[1]),
])
def test_the_look_alike_rule(word, term, expected):
    assert closeness(word, term) == expected


def listing(id_: int, **fields) -> Doc:
    row = SimpleNamespace(**{"title": "", "product_type": "pellets", "grade": None,
                             "certifications": [], "city": "", "country": None, **fields})
    return Doc(id=id_, text=search_text(row), product_type=row.product_type, quantity=100.0,
               price_minor=20000 + id_, price_mwh_minor=4000, currency="EUR", lat=51.76,
               lon=19.46, published=float(id_))


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex()
    for doc in (
        listing(1, title="Wood pellets from Łódź", grade="ENplus A1", city="Łódź", country="PL"),
        listing(2, title="Premium bagged olive cake pellets for industrial boilers and stoves",
                product_type="other", city="Jaén", country="ES"),
        listing(3, title="Kiln dried spruce wood chips G30 straight from the sawmill",
                product_type="chips", city="Tartu", country="EE", certifications=["fsc"]),
        listing(4, title="Wood pellets with ENplus A1 quality, certificate pending",
                city="Kaunas", country="LT"),
    ):
        idx.add(doc)
    return idx


def ids(index: SearchIndex, text: str, **filters) -> list[int]:
    return [hit[0] for hit in index.search(SearchQuery(text=text, **filters))]


def test_one_misspelt_word_finds_a_listing_with_a_long_realistic_text(index):
    assert 1 in ids(index, "pelets")
    assert ids(index, "pelets lodz")[0] == 1


def test_every_word_a_look_alike_finds_it_however_long_the_text(index):
    assert ids(index, "kiln dreid sprcue chisp tatru")[0] == 3


def test_more_words_found_rank_first_then_closer_ones(index):
    found = ids(index, "wood pelets")
    assert set(found[:2]) == {1, 4} and 3 in found[2:]  # wood chips: one word, after both
    assert ids(index, "wood pellets lodz")[0] == 1  # three words beat two


def test_a_certification_named_in_the_text_is_found_without_its_box_ticked(index):
    assert ids(index, "enplus pelets")[:2] == [1, 4]  # the grade names it; the title names it


def test_the_querys_sort_orders_listings_that_found_as_many_words(index):
    found = ids(index, "wood pelets", sort="price")
    assert found[:2] == [1, 4]  # cheaper first among two-word matches, then the one-word ones
    assert ids(index, "wood pelets", sort="newest")[:2] == [4, 1]


@pytest.mark.parametrize(("word", "term", "expected"), [
    ("wod", "wood", SLIP_CLOSENESS[1]),  # a letter left out of a four-letter word
    ("pel", "pellets", PREFIX),
    ("ood", "wood", None),  # the first letter is kept
    ("wod", "woods", None),  # only four-letter words
    ("oat", "oak", None),  # a wrong letter is still no match
])
def test_a_three_letter_word_may_miss_one_letter_of_a_four_letter_word(word, term, expected):
    assert closeness(word, term) == expected
