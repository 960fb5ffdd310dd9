"""Search in one line: “pellets under 250 eur near riga 300km enplus” → words and filters.

What is recognised becomes a filter of `SearchQuery`; every other word stays in the free text,
matched typo-tolerantly by the index. `chips` lists the active filters so each can be removed
with one tap (`without`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from babel.numbers import list_currencies

from core.accounts.model import CURRENCIES
from core.catalog import gazetteer, product_words
from core.catalog.query import SearchQuery
from core.catalog.query_countries import take_country
from core.catalog.taxonomy import DELIVERY
from core.errors import DomainError
from core.i18n import READER_LOCALE, _
from core.i18n.typed import Ambiguous, read_number
from core.money.model import SYMBOLS, Money

# (lat, lon, label) of a place name, or None when unknown.
PlaceLookup = Callable[[str], tuple[float, float, str] | None]
NEAR_KM = 200.0  # “near Riga” with no distance: how far “near” reaches

# A number as people write one: “1000”, “12,5”, or grouped by thousands (“1.000”, “1 000,50”).
_NUMBER = r"(\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?:[.,]\d{1,3})?|\d{1,9}(?:[.,]\d{1,3})?)"
_CODES = sorted({*CURRENCIES, *list_currencies()}, key=len, reverse=True)
_CURRENCY = r"(?:\s*(" + "|".join(_CODES) + r"|€|\$|£)(?!\w))?"
_PER_MWH = r"(\s*(?:/|per\s+)mwh)?"
# The filter words people type, in the nine languages Agora is written in (English first).
# A word that is also an everyday preposition ("in", "w", "i", "à") only marks a place when a
# place follows; "from", "ab", "od"… mark a quantity only (“ab 20 t”), never a price.
_UNDER = ("under", "below", r"max(?:imum)?", r"up\s+to", r"less\s+than", r"cheaper\s+than",
          "unter", "bis", "höchstens", "poniżej", "do", "maks", "līdz", "zem", "iki", "alla",
          "kuni", "alle", "enintään", "högst", r"moins\s+de", "sous", "jusqu'à", r"<=?", "≤")
_OVER = ("over", "above", r"more\s+than", r"min(?:imum)?\s+price", "über", "powyżej", "virs",
         "virš", "üle", "yli", "över", r"plus\s+de", r"au-dessus\s+de", r">=?", "≥")
_AT_LEAST = (r"at\s+least", r"min(?:imum)?", "from", "mindestens", "ab", "od", r"co\s+najmniej",
             "vismaz", "no", "bent", "nuo", "vähemalt", "alates", "vähintään", "minst",
             r"au\s+moins", "dès")
_NEAR_WORDS = ("near", "around", "in", r"close\s+to", "bei", "nahe", r"in\s+der\s+nähe\s+von",
               "koło", r"w\s+pobliżu", "blisko", "w", "pie", r"netālu\s+no", "prie", "netoli",
               "šalia", "nära", "i", r"près\s+de", r"autour\s+de", "à", "en")
# Markers that are also plain words: what follows them is kept as search words unless a place.
_PLAIN_MARKERS = frozenset({"in", "w", "i", "à", "en", "pie", "bei", "prie"})
_NEGOTIABLE = ("negotiable", "verhandelbar", r"do\s+negocjacji", r"pēc\s+vienošanās",
               "derinama", "kokkuleppel", "neuvoteltava", "förhandlingsbar", "négociable")
_SORT_WORDS = {"cheapest": "price", "nearest": "distance", "closest": "distance",
               "newest": "newest", "latest": "newest", "best rated": "rating",
               "günstigste": "price", "billigste": "price", "nächste": "distance",
               "neueste": "newest", "najtańsze": "price", "najbliższe": "distance",
               "najnowsze": "newest", "lētākais": "price", "tuvākais": "distance",
               "jaunākais": "newest", "pigiausi": "price", "artimiausi": "distance",
               "naujausi": "newest", "odavaim": "price", "lähim": "distance",
               "uusim": "newest", "halvin": "price", "lähin": "distance", "uusin": "newest",
               "billigaste": "price", "närmaste": "distance", "nyaste": "newest",
               r"moins\s+cher": "price", r"plus\s+proche": "distance", r"plus\s+récent": "newest"}


def _any(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_PRICE_MAX = re.compile(r"(?<!\w)" + _any(_UNDER) + r"\s*(?:€\s*)?" + _NUMBER + _CURRENCY
                        + _PER_MWH + r"(?=\s|$)", re.I)
_PRICE_MIN = re.compile(r"(?<!\w)" + _any(_OVER) + r"\s*(?:€\s*)?" + _NUMBER + _CURRENCY
                        + r"(?=\s|$)", re.I)
_QTY_MIN = re.compile(r"(?<!\w)" + _any(_AT_LEAST) + r"\s+" + _NUMBER
                      + r"\s*(t|m3|m³|mwh|l|kg)\b", re.I)
_DISTANCE = re.compile(r"\b(?:within\s+)?(\d{1,5})\s*km\b", re.I)
_NEAR = re.compile(r"(?<!\w)(" + _any(_NEAR_WORDS) + r")\s+((?:[^\W\d][\w'.-]*\s*){1,4})", re.I)
_WORD = re.compile(r"\w", re.UNICODE)


def parse(line: str, default_currency: str = "EUR",
          place: PlaceLookup | None = None) -> tuple[SearchQuery, list[str]]:
    """The query a one-line search describes, and notes on what was not understood."""
    lookup = place or _gazetteer_place
    text = f" {line.strip()} "
    notes: list[str] = []
    fields: dict[str, object] = {"currency": default_currency.upper()}
    text = _prices(text, fields)
    text = _quantity(text, fields)
    text, km = _take(_DISTANCE, text)
    if km:
        fields["max_km"] = float(km[0])
    text, fields["country"] = take_country(text)
    text = _near(text, fields, notes, lookup)
    text = _keywords(text, fields)
    text = product_words.in_english(text)
    words = " ".join(text.split())
    fields["text"] = words if _WORD.search(words) else ""
    return SearchQuery(**fields), notes  # type: ignore[arg-type]


def _near(text: str, fields: dict[str, object], notes: list[str], lookup: PlaceLookup) -> str:
    """“near Frankfurt am Main”: the longest run of words after the marker that is a place;
    the words after it stay search words."""
    match = _NEAR.search(text)
    if match is None:
        return text
    marker, words = match.group(1).lower(), match.group(2).split()
    for size in range(len(words), 0, -1):
        found = lookup(" ".join(words[:size]))
        if found is not None:
            fields["lat"], fields["lon"], fields["place"] = found
            fields.setdefault("max_km", NEAR_KM)
            rest = " ".join(words[size:])
            return f"{text[:match.start()]} {rest} {text[match.end():]}"
    if marker in _PLAIN_MARKERS:  # “pellets in bags”: not a place after all; the words stay
        return text
    notes.append(_("I don't know the place “{place}”; searched everywhere.", place=words[0][:40]))
    return f"{text[:match.start()]} {' '.join(words[1:])} {text[match.end():]}"


def _prices(text: str, fields: dict[str, object]) -> str:
    text, high = _take(_PRICE_MAX, text)
    if high:
        amount, currency, per_mwh = high
        currency = _currency(currency, fields)
        minor = _minor(amount, currency)
        if minor is not None:
            fields["price_mwh_max" if per_mwh else "price_max"] = minor
    text, low = _take(_PRICE_MIN, text)
    if low:
        currency = _currency(low[1], fields)
        minor = _minor(low[0], currency)
        if minor is not None:
            fields["price_min"] = minor
    return text


def _quantity(text: str, fields: dict[str, object]) -> str:
    text, qty = _take(_QTY_MIN, text)
    if qty:
        fields["qty_min"] = float(_number(qty[0]))
    return text


def _keywords(text: str, fields: dict[str, object]) -> str:
    """Delivery terms, “negotiable” and sort words, wherever they stand. A certification's name
    ("enplus") stays a search word, not a filter: it is in the listing's text when the seller
    ticked it, and still finds a listing that names it without the box ticked."""
    for code in DELIVERY:
        if code.isupper():
            text, hit = _take(re.compile(r"(?<!\w)" + code + r"(?!\w)", re.I), text)
            if hit is not None:
                fields["delivery"] = code
    text, hit = _take(re.compile(r"(?<!\w)" + _any(_NEGOTIABLE) + r"(?!\w)", re.I), text)
    fields["negotiable_only"] = hit is not None
    for words, sort in _SORT_WORDS.items():
        text, hit = _take(re.compile(r"(?<!\w)" + words + r"(?!\w)", re.I), text)
        if hit is not None:
            fields["sort"] = sort
    return text


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, tuple[str, ...] | None]:
    """Remove the first match from the text; its groups, or None."""
    match = pattern.search(text)
    if match is None:
        return text, None
    return text[:match.start()] + " " + text[match.end():], tuple(g or "" for g in match.groups())


def _currency(given: str, fields: dict[str, object]) -> str:
    if given:
        fields["currency"] = SYMBOLS.get(given, given.upper())
    return str(fields["currency"])


def _minor(amount: str, currency: str) -> int | None:
    try:
        return Money.parse(_number(amount), currency).amount
    except (ArithmeticError, DomainError, ValueError):  # e.g. more decimals than the currency has
        return None


def _number(typed: str) -> Decimal:
    """A number as the searcher writes it (“1.000” is a thousand to a German); one that reads
    two ways is taken with a decimal sign (a filter, not a form: nothing to re-ask)."""
    try:
        return read_number(typed, READER_LOCALE.get())
    except Ambiguous:
        return Decimal(typed.replace(",", "."))


def _gazetteer_place(name: str) -> tuple[float, float, str] | None:
    found, __ = gazetteer.resolve(name)
    return (found.lat, found.lon, found.city) if found else None


# --- the filters as removable chips ------------------------------------------------------------


def chips(query: SearchQuery) -> list[tuple[str, str]]:
    """(label, field) of every active filter, each removable with one tap."""
    return query.filters()


def without(query: SearchQuery, name: str) -> SearchQuery:
    """The query with one filter removed (the field back at its default)."""
    defaults = SearchQuery()
    if name not in SearchQuery.__dataclass_fields__ or name in ("text", "currency", "lat", "lon"):
        return query
    return replace(query, **{name: getattr(defaults, name)})

