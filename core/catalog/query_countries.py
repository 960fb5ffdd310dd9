"""A country named in a one-line search, in any of Agora's languages: “wood pellets latvia”,
“Holzpellets aus Lettland”, “pelety z Łotwy”, “pelletit Latviasta” → the filter country LV.

The names are CLDR's (`core.i18n.countries`): a run of up to three typed words naming a country
exactly, or one word inflected from a one-word name (its Snowball stem the same; Finnish and
Estonian add case endings to the stem, so there the stem may continue by a few letters). A word
before it that only says “from” or “in” goes with it."""

from __future__ import annotations

from functools import cache

from core.catalog.product_words import is_english, stem
from core.i18n import countries
from core.i18n.countries import NAME_LANGUAGES, codes, country_code, folded, name_in
from core.text import fold

# “from” and “in” in Agora's languages: said of a country, part of naming it (“near” names a
# place to measure a distance from, as in “near Luxembourg”: no country filter).
NEAR = frozenset({"near", "bei", "nahe", "koło", "pie", "prie", "lähellä", "nära", "près"})
MARKERS = frozenset({"from", "in", "aus", "z", "ze", "w", "we", "no", "iš", "is",
                     "pärit", "från", "i", "de", "du", "d'", "en", "au", "aux", "à", "vid"})
SUFFIXED = ("fi", "et")  # languages whose case endings follow the stem: “Latvia|sta”, “Läti|st”
ENDING = 4  # letters of case ending at most after the stem
_MARKS = ".,;:!?()\"“”„«»"


@cache
def _stems() -> dict[tuple[str, str], str]:
    """(language, stem) → country code, for every one-word country name of 4+ letters."""
    found: dict[tuple[str, str], str] = {}
    for language in NAME_LANGUAGES:
        for code in sorted(codes()):
            name = name_in(language, code)
            if " " not in name and "-" not in name and len(name) >= 4:
                root = stem(language, name)
                if len(root) >= 4:
                    found.setdefault((language, root), code)
    return found


def _inflected(word: str) -> str | None:
    """The country an inflected one-word name names (“Łotwy”, “Latviasta”), else None."""
    if len(word) < 5 or not word.isalpha() or is_english(word):
        return None
    stems = _stems()
    for language in NAME_LANGUAGES:
        root = stem(language, word)
        shortest = max(4, len(root) - ENDING) if language in SUFFIXED else len(root)
        for size in range(len(root), shortest - 1, -1):
            code = stems.get((language, root[:size]))
            if code is not None:
                return code
    return None


def warm() -> None:
    """Build the country names and their stems now, so a worker's first search line that names
    a country does not stall every chat of the worker while they are built."""
    countries.warm()
    _stems()


def take_country(text: str) -> tuple[str, str | None]:
    """The text without the first country it names (and its “from”), and that country's code."""
    words = text.split()
    for at in range(len(words)):
        for size in (3, 2, 1):
            run = [w.strip(_MARKS) for w in words[at:at + size]]
            if len(run) < size or not all(run):
                continue
            phrase = " ".join(run)
            code = _named(phrase) if size > 1 or len(phrase) > 2 else None
            if code is None and size == 1:
                code = _inflected(run[0])
            if code is not None and at and fold(words[at - 1]) in NEAR:
                continue  # a place to search around (a town that names a country too)
            if code is not None:
                start = at - 1 if at and fold(words[at - 1]) in MARKERS else at
                return " ".join(words[:start] + words[at + size:]), code
    return text, None


def _named(phrase: str) -> str | None:
    """A country named exactly (not by its two-letter code: “de”, “no”, “it” are words)."""
    if len(folded(phrase)) <= 2:
        return None
    return country_code(phrase)
