"""Countries as people type them: an ISO code ("DE"), or the country's name in English, in any
of the languages of Agora's European members ("Deutschland", "Polska", "Latvija", "Suomi",
"Sverige") or in the country's own language ("Česko", "España"), in any case, with or without
its accents. The names are CLDR's, from Babel."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from rapidfuzz import fuzz, process

from core.i18n import LANGUAGES, SOURCE, current_language
from core.text import fold

# The languages whose country names are recognised besides each country's own: those Agora
# speaks (English first: a name two countries share in different languages is read as the
# English one).
NAME_LANGUAGES = (SOURCE, *(code for code in LANGUAGES if code != SOURCE))


def folded(text: str) -> str:
    """`text` as names are compared: case, accents and spacing set aside ("Österreich" =
    "osterreich", "Łotwa" = "lotwa")."""
    return " ".join(fold(text).split())


# ISO 3166-1's officially assigned alpha-2 codes. CLDR's territory list also holds pseudo-locales
# (XA "Pseudo-Accents", XB "Pseudo-Bidi"), "Unknown Region" (ZZ), groupings (EU, EZ, UN, QO) and
# reserved or user-assigned codes (AC, CP, CQ, DG, EA, IC, TA, XK): none is a country to live in.
ISO_3166 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())


@cache
def codes() -> frozenset[str]:
    """Every country's ISO 3166 alpha-2 code (those CLDR names: all of them)."""
    return ISO_3166 & frozenset(Locale("en").territories)


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


def warm() -> None:
    """Build the table of country names now (about half a second), not in a first reader's turn."""
    _names()


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


CLOSE = 70  # below, WRatio's partial match pairs "Swed" with "Wyspa Świętej Heleny"
MISSPELT = 75  # how like a name (or the start of one) a slip of the keys still is


def close_countries(text: str, limit: int = 3) -> list[tuple[str, float]]:
    """Codes of the countries whose names, in any of those languages, are closest to `text`,
    with the closeness (0 to 100), best first, one entry per country."""
    names = _names()
    found: dict[str, float] = {}
    for name, score, _ in process.extract(folded(text), list(names), scorer=fuzz.WRatio,
                                          limit=limit * 4, score_cutoff=CLOSE):
        found.setdefault(names[name], score)
    return sorted(found.items(), key=lambda pair: -pair[1])[:limit]


def matching(text: str, language: str, limit: int = 20) -> list[tuple[str, str]]:
    """(code, name in `language`) of the countries `text` may be the start of, as a person
    types it: the country it names exactly, names in `language` beginning with it, then with
    a word beginning with it ("Kingdom"), names in any language beginning with it
    ("Deutsch"); only when none does, the names it looks like misspelt ("Grmany")."""
    key = folded(text)
    if not key:
        return []
    exact = country_code(text)
    own = _folded_in(language)
    found = [exact] if exact else []
    found += [code for code, name in own if name.startswith(key)]
    word = re.compile(r"(?<![^\W_])" + re.escape(key))
    found += [code for code, name in own if word.search(name)]
    elsewhere = {code for name, code in _names().items() if name.startswith(key)}
    found += [code for code, __ in own if code in elsewhere]
    if not found and len(key) >= 3:
        found = _misspelt(key, own)
    unique = list(dict.fromkeys(found))[:limit]
    return [(code, name_in(language, code)) for code in unique]


def _misspelt(key: str, own: list[tuple[str, str]]) -> list[str]:
    """Codes whose names in any language (or their beginnings, as far as typed) look like
    `key` with a slip of the keys, closest first."""
    names = _names()
    scored: dict[str, float] = {}
    for name, code in names.items():
        score = max(fuzz.ratio(key, name), fuzz.ratio(key, name[:len(key)]) - 5)
        if score >= MISSPELT:
            scored[code] = max(score, scored.get(code, 0))
    order = {code: i for i, (code, __) in enumerate(own)}
    return sorted(scored, key=lambda code: (-scored[code], order.get(code, 0)))


@cache
def _folded_in(language: str) -> list[tuple[str, str]]:
    """(code, folded name in `language`) of every country, in that language's order."""
    return [(code, folded(name)) for code, name in named_in(language, sorted(codes()))]


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
