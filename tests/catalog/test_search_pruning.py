"""Leaving common words' rows out of the candidates changes neither the best results nor the
filters: the pruned index agrees with a brute-force scan and with the unpruned index."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from core.catalog import pruning as pruning_module
from core.catalog import search_index
from core.catalog.index_rows import Doc, tokens
from core.catalog.look_alike import MATCHED, closeness
from core.catalog.query import SearchQuery
from core.catalog.search_index import SearchIndex

CITIES = [f"{a}{b}" for a in ("riga", "tallin", "vilnius", "kaunas", "tartu", "parnu", "liepaja",
                                "ventspils", "narva", "klaipeda")
          for b in ("", "ville", "burg", "stad", "berg", "dorf", "holm", "mark")]
PRODUCTS = ["wood pellets", "wood chips", "briquettes", "sunflower husks", "firewood"]
WORDS = ["premium", "bulk", "bagged", "dry", "certified", "export", "local"]


def listings(n: int, seed: int = 3) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = f"{rng.choice(WORDS)} {rng.choice(PRODUCTS)} {rng.choice(WORDS)} {rng.choice(CITIES)}"
        docs.append(Doc(id=i, text=text, product_type=rng.choice(("pellets", "chips")),
                        quantity=100.0, price_minor=rng.randint(50, 500) * 100,
                        price_mwh_minor=None, currency="EUR", lat=56.95 + rng.random(),
                        lon=24.11 + rng.random(), certifications=rng.choice(((), ("fsc",)))))
    return docs


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    idx = SearchIndex()
    for d in listings(3000):
        idx.add(d)
    return idx


@pytest.fixture
def pruning(monkeypatch) -> list[bool]:
    """Pruning at this small size (city words rare, product words common, a short shortlist);
    records whether each try found its candidates without the common words' rows."""
    monkeypatch.setattr(pruning_module, "COMMON", (1 / 64,))
    monkeypatch.setattr(search_index, "SHORTLIST", 40)
    pruned: list[bool] = []
    real = pruning_module._pruned

    def spy(*args):
        found = real(*args)
        pruned.append(found is not None)
        return found
    monkeypatch.setattr(pruning_module, "_pruned", spy)
    return pruned


def top_scores(idx: SearchIndex, q: SearchQuery) -> list[float]:
    return [round(score, 6) for _, score, _ in idx.search(q)[:10]]


def word_coverage(words: list[str], text: list[str]) -> float:
    """Per query word its closest look-alike in the text (worth MATCHED plus its closeness)."""
    total = 0.0
    for word in words:
        best = max((c for term in text if (c := closeness(word, term)) is not None), default=None)
        total += 0.0 if best is None else MATCHED + best
    return total


def brute_force(docs: list[Doc], q: SearchQuery, passes) -> list[float]:
    """The top 10 coverages of the listings found, one listing at a time: every query word
    has a look-alike, or the whole text scores MIN_SCORE."""
    words = tokens(q.text)
    scores = []
    for d in filter(passes, docs):
        text = tokens(d.text)
        cov = word_coverage(words, text)
        whole = fuzz.WRatio(" ".join(words), " ".join(text), processor=None)
        if cov >= len(words) * MATCHED or whole >= search_index.MIN_SCORE:
            scores.append(round(cov, 6))
    return sorted(scores, reverse=True)[:10]


QUERIES = ["pellets rigaburg", "wood pelets tallinstad", "pellets wood vilniusholm",
           "chips kaunasmark", "wood klaipedaberg", "briquetes narvadorf", "wood pellets",
           "pellet chips rigaburg"]


@pytest.mark.parametrize("text", QUERIES)
def test_a_common_word_with_a_rare_typo_word_finds_what_brute_force_ranks_top(index, pruning, text):
    q = SearchQuery(text=text)
    assert top_scores(index, q) == brute_force(listings(3000), q, lambda d: True)
    assert pruning[-1] or text == "wood pellets"  # only common words: nothing to prune by


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"certification": "fsc"}, {"price_max": 9000},
                                     {"max_km": 40.0, "lat": 57.2, "lon": 24.5}])
def test_pruning_returns_exactly_what_the_unpruned_index_returns(index, pruning, monkeypatch,
                                                                 text, filters):
    q = SearchQuery(text=text, **filters)
    pruned = index.search(q)
    monkeypatch.setattr(pruning_module, "COMMON", (2.0,))  # every match generates candidates
    assert index.search(q) == pruned


def test_filters_stay_exact_when_the_candidates_are_pruned(index, pruning):
    docs = {d.id: d for d in listings(3000)}
    q = SearchQuery(text="wood pellets rigaburg", certification="fsc", price_max=40000)

    def passes(d: Doc) -> bool:
        return "fsc" in d.certifications and d.price_minor <= 40000
    hits = index.search(q)
    assert pruning[-1] and hits
    assert all(passes(docs[i]) for i, _, _ in hits)
    assert [round(s, 6) for _, s, _ in hits[:10]] == brute_force(list(docs.values()), q, passes)


def test_a_rare_word_whose_rows_all_fail_the_filters_leaves_the_common_words(index, pruning,
                                                                            monkeypatch):
    docs = listings(3000)
    cheapest = min(d.price_minor for d in docs if "rigaburg" in d.text.split())
    q = SearchQuery(text="pellets rigaburg", price_max=cheapest - 1)

    def passes(d: Doc) -> bool:
        return d.price_minor < cheapest
    assert top_scores(index, q) == brute_force(docs, q, passes) != []
    pruned = index.search(q)
    monkeypatch.setattr(pruning_module, "COMMON", (2.0,))
    assert index.search(q) == pruned


def test_when_no_row_holds_the_best_common_matches_together_the_next_levels_fill_the_shortlist(
        index, pruning, monkeypatch):
    """"pellet" and "chips" are both common and no listing holds both, so no row outside the
    rare word's covers the best the common words allow; the shortlist is filled from the next
    coverages down ("chips" alone, then "pellets" alone) rather than from every common row."""
    docs = listings(3000)
    assert not any({"pellets", "chips"} <= set(d.text.split()) for d in docs)
    for filters in ({}, {"price_max": 9000}, {"max_km": 40.0, "lat": 57.2, "lon": 24.5}):
        q = SearchQuery(text="pellet chips rigaburg", **filters)
        pruned = index.search(q)
        assert pruning[-1] is True
        with monkeypatch.context() as m:
            m.setattr(pruning_module, "COMMON", (2.0,))
            assert index.search(q) == pruned
    assert top_scores(index, SearchQuery(text="pellet chips rigaburg")) == brute_force(
        docs, SearchQuery(text="pellet chips rigaburg"), lambda d: True)


def test_too_many_combinations_of_common_matches_fall_back_to_every_match(index, pruning,
                                                                          monkeypatch):
    monkeypatch.setattr(pruning_module, "LEVELS", 1)
    q = SearchQuery(text="pellet chips rigaburg")
    assert top_scores(index, q) == brute_force(listings(3000), q, lambda d: True)
    assert pruning[-1] is False


def test_too_many_combinations_still_prune_when_the_shortlist_fills_above_them_all(
        index, pruning, monkeypatch):
    monkeypatch.setattr(pruning_module, "LEVELS", 1)
    monkeypatch.setattr(search_index, "SHORTLIST", 5)  # "rigaburg" and "chips" rows: over 5
    q = SearchQuery(text="pellet chips rigaburg")
    pruned = index.search(q)
    assert pruning[-1] is True
    monkeypatch.setattr(pruning_module, "COMMON", (2.0,))
    assert index.search(q) == pruned


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"price_max": 9000}, {"max_km": 40.0, "lat": 57.2, "lon": 24.5}])
def test_rows_missing_a_word_are_read_only_as_far_as_they_can_show(index, pruning, monkeypatch,
                                                                   text, filters):
    """Only the PARTIAL best covered rows missing a query word can be shown, so the level walk
    stops reading such rows there; the results are still the unpruned index's."""
    monkeypatch.setattr(search_index, "PARTIAL", 5)
    q = SearchQuery(text=text, **filters)
    pruned = index.search(q)
    monkeypatch.setattr(pruning_module, "COMMON", (2.0,))
    assert index.search(q) == pruned
