"""Numbers and dates as a person types them, read by their own conventions.

A German types “1.234,5”, a Finn “1 234,5”, an Englishman “1,234.5”; a Latvian writes
“24.12.2026”, an American “12/24/2026”. Each is read by the reader's locale (READER_LOCALE, as
amounts are shown), and a form one convention would read one way and another the other way is
refused with an example in the reader's own format, never guessed:

    read_number("1.234,5", "de_DE")   → Decimal("1234.5")
    read_number("1.234", "fi_FI")     → Ambiguous (1234, or 1.234?): “Type it like 1 234,5”
    read_date("03/04/2026", "de_DE")  → Ambiguous (3 April or 4 March?): “like 24.12.2026”

Pure functions over Babel's CLDR data: no database, no channel."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.dates import format_date, get_date_format, get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from core.text import fold

EXAMPLE_NUMBER = Decimal("1234.5")
EXAMPLE_DAY = date(2026, 12, 24)
# Spaces people group digits with: plain, no-break and narrow no-break (the CLDR group sign of
# French, Swedish, Finnish, Polish…), and the Swiss apostrophe.
_GROUP_SPACES = re.compile(r"[ \u00a0\u202f\u2009'’]")
_MINUS = ("-", "\u2212")


class Unreadable(ValueError):
    """Not a number (or date) in any convention."""


class Ambiguous(ValueError):
    """Readable two ways by different conventions; `example` shows the reader's own."""

    def __init__(self, example: str) -> None:
        super().__init__(example)
        self.example = example


def number_example(locale: str) -> str:
    """“1,234.5”, “1.234,5”, “1 234,5”: how the reader writes a number."""
    return format_decimal(EXAMPLE_NUMBER, locale=locale)


def read_number(text: str, locale: str = "en") -> Decimal:
    """The number `text` writes, by the conventions of `locale` (its decimal sign and group
    sign), accepting either sign where only one reading is possible."""
    body = _GROUP_SPACES.sub(" ", text.strip())
    negative = body.startswith(_MINUS)
    body = body.lstrip("+-\u2212").strip()
    if not body or not body.isascii() or not re.fullmatch(r"\d[\d .,]*", body) \
            or not body[-1].isdigit() or len(body) > 40:
        raise Unreadable(text)
    whole, fraction = _split(body, locale)
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:
        raise Unreadable(text) from None
    return -value if negative else value


def _split(body: str, locale: str) -> tuple[str, str]:
    """(whole digits, fraction digits) of a number written with spaces, dots and commas."""
    signs = [c for c in body if c in ".,"]
    if not signs:
        return _ungrouped(body, " "), ""
    last = signs[-1]
    if len(set(signs)) == 2 or (signs.count(last) == 1 and _decimal(body, last, locale)):
        whole, __, fraction = body.rpartition(last)
        if not fraction.isdigit():
            raise Unreadable(body)
        return _ungrouped(whole, " " + ("," if last == "." else ".")), fraction
    return _ungrouped(body, last + " "), ""


def _decimal(body: str, sign: str, locale: str) -> bool:
    """Whether the one `sign` in `body` is its decimal sign: it is the locale's; or what follows
    it is not a group of three (“12,5”, “0.500”); or it is the locale's group sign. A sign that
    is neither, before three digits (“1.234” to a Finn), could be either: Ambiguous."""
    whole, __, after = body.rpartition(sign)
    symbols = _symbols(locale)
    if sign == symbols[0] or len(after) != 3 or whole.replace(" ", "") in ("0", ""):
        return True
    if sign == symbols[1]:
        return False
    raise Ambiguous(number_example(locale))


def _ungrouped(text: str, groups: str) -> str:
    """`text`'s digits, when every group sign in it is followed by exactly three digits."""
    parts = re.split(f"[{re.escape(groups)}]", text)
    if any(not p.isdigit() for p in parts) or (len(parts[0]) > 3 and len(parts) > 1) \
            or any(len(p) != 3 for p in parts[1:]):
        raise Unreadable(text)
    return "".join(parts)


@cache
def _symbols(locale: str) -> tuple[str, str]:
    """The locale's (decimal sign, group sign), a space standing for any spacing sign."""
    return get_decimal_symbol(locale), _GROUP_SPACES.sub(" ", get_group_symbol(locale))


# ---- dates -------------------------------------------------------------------------------

_NUMERIC = re.compile(r"(\d{1,4})([./-])(\d{1,2})(?:\2(\d{2}|\d{4}))?\.?")
_WORDED = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+\.?)(?:,?\s+(\d{4}))?|"
                     r"([^\W\d_]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?")


def date_example(locale: str) -> str:
    """“24.12.2026”, “12/24/2026”, “2026-12-24”: how the reader writes a date in figures."""
    return written_date(EXAMPLE_DAY, locale)


def written_date(day: date, locale: str) -> str:
    """`day` in figures as the reader writes it, with the whole year."""
    return format_date(day, _figures(locale), locale=locale)


@cache
def _figures(locale: str) -> str:
    pattern = get_date_format("short", locale=locale).pattern
    return pattern if "yyyy" in pattern else re.sub(r"y+", "yyyy", pattern)


@cache
def _month_first(locale: str) -> bool:
    pattern = get_date_format("short", locale=locale).pattern
    return pattern.find("M") < pattern.find("d")


@cache
def _writes_slashes(locale: str) -> bool:
    return "/" in get_date_format("short", locale=locale).pattern


def read_date(text: str, locale: str = "en", today: date | None = None) -> date | None:
    """The calendar day `text` writes in figures (“24.12.2026”, “24/12/2026”, “2026-12-24”,
    “24.12.”) or with a month's name in the reader's language or English (“24. Dezember”,
    “24 grudnia 2026”, “Dec 24”); None when it is not a date in those forms. A year left out is
    `today`'s. Raises Ambiguous for “03/04/2026” where the locale does not write slashes."""
    year_now = (today or date.today()).year
    text = text.strip()
    if (numeric := _NUMERIC.fullmatch(text)):
        return _numeric(numeric.groups(), locale, year_now)
    if (worded := _WORDED.fullmatch(text)):
        day, name, year = worded.group(1, 2, 3) if worded.group(1) else worded.group(5, 4, 6)
        month = _month_named(name, locale)
        return _day(int(year or year_now), month, int(day)) if month else None
    return None


def _numeric(groups: tuple[str | None, ...], locale: str, year_now: int) -> date | None:
    first, sign, second, third = groups
    if len(first or "") == 4 and third:  # year first: ISO 8601 (“2026-12-24”), “2026/12/24”
        return _day(int(first or 0), int(second or 0), int(third))
    if len(first or "") > 2:
        return None
    year = int(third) if third else year_now
    year += 2000 if third and len(third) == 2 else 0
    day_first = (int(first or 0), int(second or 0))  # (day, month)
    if sign == "." or (sign == "-" and not _month_first(locale)):
        return _day(year, day_first[1], day_first[0])
    readings = {found for d, m in (day_first, day_first[::-1]) if (found := _day(year, m, d))}
    if len(readings) <= 1:
        return next(iter(readings), None)
    if not _writes_slashes(locale):
        raise Ambiguous(date_example(locale))
    day, month = day_first[::-1] if _month_first(locale) else day_first
    return _day(year, month, day)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_named(name: str, locale: str) -> int | None:
    key = fold(name).rstrip(".")
    return _months(locale).get(key) or _months("en").get(key)


@cache
def _months(locale: str) -> dict[str, int]:
    """Month numbers by each of their names in `locale`, folded: wide and abbreviated, in
    running text and standing alone (Polish “grudnia” and “grudzień”)."""
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale).items():
                names.setdefault(fold(name).rstrip("."), number)
    return names


# Weekdays, 0 = Monday as Python and CLDR count them. English spellings people use beside
# CLDR's own (“Tues”, “Thurs”).
_ENGLISH_DAYS = {"tues": 1, "thur": 3, "thurs": 3}


def read_weekday(word: str, language: str) -> int | None:
    """The weekday `word` names — wide or abbreviated, in the reader's language first (an
    Estonian's “E” is Monday, a Latvian's “P” would not be), else in any of Agora's languages
    where no other day has that name (“Mo”, “lundi”, “Mon”); None when it names no day."""
    key = fold(word).rstrip(".")
    found = _weekdays(language).get(key)
    return found if found is not None else _any_weekday().get(key)


def weekday_names(language: str) -> tuple[str, ...]:
    """Monday to Sunday abbreviated as the reader writes them (“Mo.”, “pon.”, “ma”)."""
    from babel import Locale

    days = Locale.parse(language).days["format"]["abbreviated"]
    return tuple(days[index] for index in range(7))


@cache
def _weekdays(language: str) -> dict[str, int]:
    from babel import Locale

    days = Locale.parse(language).days
    names = {fold(name).rstrip("."): index for context in ("format", "stand-alone")
             for width in ("wide", "abbreviated", "short")
             for index, name in days[context][width].items()}
    return names | _ENGLISH_DAYS if language == "en" else names


@cache
def _any_weekday() -> dict[str, int]:
    from core.i18n import LANGUAGES

    seen: dict[str, set[int]] = {}
    for language in LANGUAGES:
        for key, index in _weekdays(language).items():
            seen.setdefault(key, set()).add(index)
    return {key: next(iter(days)) for key, days in seen.items() if len(days) == 1}
