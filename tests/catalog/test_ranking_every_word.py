"""A listing holding every query word, each a letter off, ranks above listings holding one."""

from __future__ import annotations

from types import SimpleNamespace

from core.catalog.documents import search_text
from core.catalog.index_rows import Doc
from core.catalog.query import SearchQuery
from core.catalog.search_index import SearchIndex

KAUNAS = range(1, 31)  # wood pellets in Kaunas, titled as sellers title them
OTHERS = (("Olive cake pellets", "other", "Jaén", "ES"), ("Straw pellets", "agri", "Oulu", "FI"),
          ("Sunflower husk pellets", "agri", "Toulouse", "FR"))


def doc(id_: int, title: str, kind: str, city: str, country: str) -> Doc:
    row = SimpleNamespace(title=title, product_type=kind, grade="ENplus A1" if kind == "pellets"
                          else None, certifications=[], city=city, country=country)
    return Doc(id=id_, text=search_text(row), product_type=kind, quantity=100.0,
               price_minor=20000, price_mwh_minor=4000, currency="EUR", lat=54.9, lon=23.9,
               published=float(id_))


def six_hundred() -> SearchIndex:
    """30 wood-pellet listings in Kaunas, Lithuania, and 570 other pellets and chips."""
    index = SearchIndex()
    for id_ in KAUNAS:
        index.add(doc(id_, f"Premium pellets in 15 kg bags, lot {id_}, from stock", "pellets",
                      "Kaunas", "LT"))
    for id_ in range(31, 601):
        title, kind, city, country = OTHERS[id_ % 3]
        index.add(doc(id_, title, kind, city, country))
    return index


def test_a_three_letter_word_missing_a_letter_finds_the_four_letter_word():
    index = SearchIndex()
    index.add(doc(1, "Wood chips", "chips", "Tartu", "EE"))
    index.add(doc(2, "Wool bales", "other", "Tartu", "EE"))
    assert [hit[0] for hit in index.search(SearchQuery(text="wod"))] == [1]


def test_wod_pelets_ranks_every_wood_pellet_listing_in_kaunas_above_olive_cake_pellets():
    found = [hit[0] for hit in six_hundred().search(SearchQuery(text="wod pelets"))]
    assert set(found[:30]) == set(KAUNAS)  # both words, each a letter off, before one word
    assert len(found) >= 30
