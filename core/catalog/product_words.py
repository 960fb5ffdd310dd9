"""Product names as people type them, in any of Agora's languages, read as the listings name
them (in English): “Holzpelets”, “pelety drzewne”, “granulés” → “wood pellets”.

Each product type's name in every language is split into its words and each word reduced to
its stem by that language's Snowball stemmer (`snowballstemmer`; Latvian has none, so its words
are compared as written). A typed word matches a name's word when its stem is the same, the start
of it (5+ letters, still typing), or a slip away (`look_alike`), or when the words themselves look
alike. A run of typed words matching words of one product's name, and of no other product's,
becomes that product's English name; words that all look like English product words are left
to the index, which forgives English typos itself (“pelets” still finds straw pellets too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import snowballstemmer
from rapidfuzz.distance import OSA

from core.catalog.look_alike import SLIP_CLOSENESS, closeness
from core.catalog.taxonomy import TYPES
from core.i18n import COMING, LANGUAGES, translations
from core.text import fold

WRITTEN_IN = (*LANGUAGES, *COMING)
_SNOWBALL = {"en": "english", "de": "german", "pl": "polish", "lt": "lithuanian", "et": "estonian",
             "fi": "finnish", "sv": "swedish", "fr": "french", "it": "italian"}
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MARKS = ".,;:!?()[]\"'“”„«»"  # around a typed word, not part of it
RUN = 4  # typed words read as one product name at most
GLUE = 2  # a name's words this short ("de") only join the others, as typed


@dataclass(frozen=True)
class Name:
    """One product's name (or one of its alternatives: “Biogas / biomethane”) in one language."""

    code: str  # the product type
    english: str  # what the listings' text says
    language: str
    words: tuple[str, ...]  # folded content words
    stems: tuple[str, ...]  # their folded stems
    glue: frozenset[str]  # short words between them (“de”)


@cache
def _stemmer(language: str) -> Any:
    name = _SNOWBALL.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=4096)  # keyed by what people type: bounded
def stem(language: str, word: str) -> str:
    """The word's folded stem in `language` (the folded word where no stemmer is known)."""
    stemmer = _stemmer(language)
    return fold(stemmer.stemWord(word.casefold()) if stemmer else word)


def _alternatives(label: str) -> list[str]:
    return [part.strip() for part in label.split("/") if part.strip()]


@cache
def lexicon() -> tuple[Name, ...]:
    """Every product's name in every other language than English, word by word."""
    names: list[Name] = []
    for kind in TYPES.values():
        if kind.code == "other":  # “Cits”, “Muu”, “Inne”: no product to find by name
            continue
        english = _alternatives(kind.label)
        for language in WRITTEN_IN:
            if language == "en":
                continue
            own = _alternatives(translations(language).gettext(kind.label))
            pairs = zip(own, english, strict=True) if len(own) == len(english) else \
                [(" ".join(own), kind.label)]
            for typed, meant in pairs:
                words = [fold(w) for w in _LETTERS.findall(typed)]
                content = tuple(w for w in words if len(w) > GLUE)
                if not content or fold(typed) == fold(meant):
                    continue
                names.append(Name(kind.code, meant, language, content,
                                  tuple(stem(language, w) for w in content),
                                  frozenset(w for w in words if len(w) <= GLUE)))
    return tuple(names)


@cache
def _english_words() -> frozenset[str]:
    return frozenset(fold(w) for kind in TYPES.values() for w in _LETTERS.findall(kind.label)
                     if len(w) > GLUE)


@lru_cache(maxsize=4096)  # keyed by what people type: bounded
def is_english(word: str) -> bool:
    """Whether a typed word is an English product word, its start, or a slip away from one."""
    folded = fold(word)
    return any((close := closeness(folded, term)) is not None and close >= SLIP_CLOSENESS[1]
               for term in _english_words())


def _stems_alike(typed: str, known: str) -> bool:
    if typed == known:
        return True
    if len(typed) >= 5 and known.startswith(typed):
        return True
    allowed = 2 if len(known) >= 9 else 1 if len(known) >= 5 else 0
    return allowed > 0 and OSA.distance(typed, known, score_cutoff=allowed) <= allowed


@lru_cache(maxsize=4096)  # keyed by what people type: bounded
def _hits(word: str) -> dict[int, frozenset[int]]:
    """Per name of the lexicon (by position) that a typed word is part of, which of its words
    the typed word looks like."""
    folded, found = fold(word), {}
    for at, name in enumerate(lexicon()):
        typed = stem(name.language, word)
        alike = frozenset(i for i, (known, known_stem) in enumerate(
            zip(name.words, name.stems, strict=True))
            if _stems_alike(typed, known_stem) or closeness(folded, known) is not None)
        if alike:
            found[at] = alike
    return found


def _covers(run: list[str], at: int) -> bool | None:
    """None when the run is not (part of) the lexicon's name `at`; else whether it names all
    its words."""
    name = lexicon()[at]
    if fold(run[0]) in name.glue or fold(run[-1]) in name.glue:
        return None
    used: set[int] = set()
    for word in run:
        if fold(word) in name.glue:
            continue
        free = _hits(word).get(at, frozenset()) - used
        if not free:
            return None
        used.add(min(free))
    return len(used) == len(name.words)


def _named(run: list[str]) -> str | None:
    """The English name of the one product this run of typed words names, else None."""
    if all(is_english(word) for word in run):  # the index forgives English typos itself
        return None
    found: dict[str, tuple[bool, str]] = {}
    for at in _hits(run[0]):
        whole = _covers(run, at)
        name = lexicon()[at]
        if whole is not None and not found.get(name.code, (False, ""))[0]:
            found[name.code] = (whole, name.english)
    complete = [english for whole, english in found.values() if whole]
    if len(found) == 1:
        return next(iter(found.values()))[1]
    return complete[0] if len(complete) == 1 else None


def in_english(text: str) -> str:
    """The typed text with every product name, in any language and however inflected or
    misspelt, replaced by the English name the listings carry."""
    words, out, at = text.split(), [], 0
    while at < len(words):
        for size in range(min(RUN, len(words) - at), 0, -1):
            run = [w.strip(_MARKS) for w in words[at:at + size]]
            english = _named(run) if all(_LETTERS.fullmatch(w) for w in run) else None
            if english is not None:
                out.append(english)
                at += size
                break
        else:
            out.append(words[at])
            at += 1
    return " ".join(out)
