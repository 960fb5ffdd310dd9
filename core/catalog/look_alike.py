"""When a typed word looks like a listing's word: the search's one rule of forgiveness.

A query word looks like a listing word when it is the same word, the start of it (at least
PREFIX_MIN letters), or a slip or two away from it — a letter wrong, missing or extra, or two
neighbours swapped (the optimal string alignment distance, in which a swap is one slip and a
dropped double letter is one missing letter). Short words allow fewer slips: one for 4 and 5
letters, two from 6, none below 4 (as search engines' "auto" fuzziness does), so "oak" never
becomes "oat" — except that a three-letter word may miss one letter of a four-letter word after
its first ("wod" for "wood", "pelets wod" for wood pellets): a letter left out is the slip people
make most, and the same first letter and every other letter in order leave little to confuse.
Closeness orders the kinds: the same word, then a prefix, one slip, two slips.
A listing is found when every query word looks like one of its words, however long its text.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

PREFIX_MIN = 3
MATCHED = 10_000.0  # a query word matched outweighs any closeness: more words found rank first
EXACT, PREFIX = 100.0, 90.0
SLIP_CLOSENESS = {0: EXACT, 1: 80.0, 2: 60.0}


def allowed_slips(word: str) -> int:
    """How many slips a query word of this length may carry and still match."""
    if len(word) >= 6:
        return 2
    return 1 if len(word) >= 4 else 0


def closeness(word: str, term: str) -> float | None:
    """How closely a listing word matches a query word, or None when it does not look like it."""
    if word == term:
        return EXACT
    if len(word) >= PREFIX_MIN and term.startswith(word):
        return PREFIX
    if missing_one(word, term):
        return SLIP_CLOSENESS[1]
    allowed = allowed_slips(word)
    slips = OSA.distance(word, term, score_cutoff=allowed)
    return SLIP_CLOSENESS[slips] if slips <= allowed else None


def missing_one(word: str, term: str) -> bool:
    """A three-letter word typed for a four-letter one with one letter after the first left out."""
    return (len(word) == PREFIX_MIN and len(term) == PREFIX_MIN + 1 and word[0] == term[0]
            and any(term[:i] + term[i + 1:] == word for i in range(1, len(term))))


def shortened(term: str) -> list[str]:
    """The three-letter words `missing_one` reads as this four-letter term."""
    if len(term) != PREFIX_MIN + 1:
        return []
    return sorted({term[:i] + term[i + 1:] for i in range(1, len(term))})
