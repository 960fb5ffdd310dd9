"""Countries as people type them: an ISO code ("DE"), or the country's name in English, in any
of the languages of Agora's European members ("Deutschland", "Polska", "Latvija", "Suomi",
"Sverige") or in the country's own language ("Česko", "España"), in any case, with or without
its accents. The names are CLDR's, from Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from rapidfuzz import fuzz, process

from core.i18n import current_language
from core.text import fold

# The languages whose country names are recognised besides each country's own: those of the
# members Agora serves (English first: a name two countries share in different languages is
# read as the English one).
NAME_LANGUAGES = ("en", "de", "pl", "lv", "lt", "et", "fi", "sv", "fr")


def folded(text: str) -> str:
    """`text` as names are compared: case, accents and spacing set aside ("Österreich" =
    "osterreich", "Łotwa" = "lotwa")."""
    return " ".join(fold(text).split())


@cache
def codes() -> frozenset[str]:
    """Every country's ISO 3166 alpha-2 code."""
    return frozenset(code for code in Locale("en").territories if len(code) == 2
                     and code.isalpha())


@cache
def _names() -> dict[str, str]:
    """Folded country names to their codes: the NAME_LANGUAGES' names, then each country's
    name in its own main language."""
    names: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in codes():
                names.setdefault(folded(name), code)
    for code in codes():
        own = _own_name(code)
        if own:
            names.setdefault(folded(own), code)
    return names


def _own_name(code: str) -> str | None:
    try:
        locale = Locale.parse(f"und_{code}")  # the country's likeliest language
    except (UnknownLocaleError, ValueError):
        return None
    return locale.territories.get(code)


def country_code(text: str) -> str | None:
    """The country `text` names exactly (a code or a name as above), else None."""
    key = folded(text)
    if len(key) == 2 and key.upper() in codes():
        return key.upper()
    return _names().get(key)


def close_countries(text: str, limit: int = 3) -> list[tuple[str, float]]:
    """Codes of the countries whose names, in any of those languages, are closest to `text`,
    with the closeness (0 to 100), best first, one entry per country."""
    names = _names()
    found: dict[str, float] = {}
    for name, score, _ in process.extract(folded(text), list(names), scorer=fuzz.WRatio,
                                          limit=limit * 4, score_cutoff=60):
        found.setdefault(names[name], score)
    return sorted(found.items(), key=lambda pair: -pair[1])[:limit]


def matching(text: str, language: str, limit: int = 20) -> list[tuple[str, str]]:
    """(code, name in `language`) of the countries `text` may be the start of, as a person
    types it: its code, names in `language` beginning with it, names in any language, then the
    closest by spelling."""
    key = folded(text)
    if not key:
        return []
    found: list[str] = []
    exact = country_code(text)
    if exact:
        found.append(exact)
    found += [code for code, name in named_in(language, sorted(codes()))
              if folded(name).startswith(key)]
    found += sorted({code for name, code in _names().items() if name.startswith(key)})
    found += [code for code, __ in close_countries(text, limit=5)]
    unique = list(dict.fromkeys(found))[:limit]
    return [(code, name_in(language, code)) for code in unique]


def named_in(language: str, wanted: list[str]) -> list[tuple[str, str]]:
    """(code, name) of the `wanted` countries, named in `language` and in its alphabetical
    order ("Deutschland" under D in German)."""
    pairs = [(code, name_in(language, code)) for code in wanted]
    return sorted(pairs, key=lambda pair: folded(pair[1]))


def country_name(code: str) -> str:
    """Country `code`'s name in the current reader's language (“SE” → “Sweden”, “Schweden”,
    “Szwecja”); the code itself when unknown."""
    return name_in(current_language(), code.upper())


def name_in(language: str, code: str) -> str:
    """Country `code`'s name in `language` ("DE" in Polish: "Niemcy"); the code if CLDR has none."""
    return _territories(language).get(code, code)


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)
