"""The presenter: a value as the current reader reads it, in one place for every face.

Chat cards and notices, site pages, Mini App screens, PDFs and the pay page write numbers,
quantities, ratings, percentages, days and moments through these functions and nothing else,
so a German reads “24,5 t”, “25. Nov. 2026” and “Mi., 25. Nov., 14:05” everywhere, a Finn
“24,5 t”, “25.11.2026” and “ke 25.11. 14.05”. The reader is the one `core.money.reading.reading`
set (READER_LOCALE for the figures, READER_LANGUAGE for the words); money is `str(Money)`,
which reads the same locale.

Dates and times are written by CLDR *skeletons* (which fields to show: "yMMMd", "MMMEdHm"),
never by fixed patterns: CLDR knows that a German day takes a dot, a Finn writes figures, a
Lithuanian puts the year first. Pure functions over Babel's CLDR data: no database, no channel.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.i18n import N_, READER_LOCALE, READER_ZONE, _, current_language

# A trade unit's words as a quantity is written: symbols are international, words are
# translated (taxonomy.UNITS is this table).
UNIT_WORDS = {"t": "t", "kg": "kg", "m3": "m³", "loose_m3": N_("loose m³"), "mwh": "MWh",
              "l": "L", "nm3": "Nm³"}
# Skeleton letters that belong to the time of day (the rest are the date's).
_TIME_FIELDS = re.compile(r"[HhKkjJCmsSaBbvVzZOX]+")


@lru_cache(maxsize=128)
def _locale(tag: str) -> Any:
    # Babel's Locale.parse scans every locale it knows (about a millisecond): once per tag.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def figures_locale() -> str:
    """The locale numbers are written in: the reader's language as written in their country."""
    return READER_LOCALE.get()


@lru_cache(maxsize=128)
def _words_locale(figures: str, language: str) -> Any:
    """The locale dates are written in: the reader's language in their country where CLDR has
    that pair (en_DE, de_AT), else their language; English alone reads as in Britain, since
    Agora's English readers trade in Europe (“25 Nov 2026”, not “Nov 25, 2026”)."""
    if figures.split("_")[0] == language and "_" in figures:
        return _locale(figures)
    return _locale("en_GB" if language == "en" else language)


def dates_locale() -> Any:
    return _words_locale(figures_locale(), current_language())


# ---- numbers --------------------------------------------------------------------------------

def number(value: Decimal | int | float | str, *, places: int | None = None) -> str:
    """A number as the reader writes it: “1.234,5” in Germany, “1 234,5” in Finland; with the
    decimals the value has (“230,50” for 230.50, as a price is typed), or exactly `places`."""
    value = Decimal(str(value))
    if places is None:
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    value = value.quantize(Decimal(1).scaleb(-places))
    # Babel's format_decimal parses the pattern and the locale's tag at every call (a
    # third of a search page's CPU in numbers); both are parsed once here.
    return _places_pattern(places).apply(value, _locale(figures_locale()))


@lru_cache(maxsize=16)
def _places_pattern(places: int) -> Any:
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def count(value: int) -> str:
    """A whole count with the reader's grouping: “10.000”, “10 000”."""
    return number(int(value))


def quantity(value: Decimal | int | str, unit: str) -> str:
    """A quantity with its unit's words: “24,5 t”, “1 200 loose m³” (unit: a trade unit's code,
    or a symbol such as "MWh" or "km")."""
    return _("{number} {unit}", number=number(value), unit=unit_word(unit))


def quantity_milli(milli: int, unit: str) -> str:
    """A quantity kept in thousandths of its unit, as `quantity` writes it."""
    return quantity(thousandths(milli), unit)


def thousandths(milli: int) -> Decimal:
    """A value kept in thousandths, with no trailing zeros: 24500 → 24.5."""
    value = (Decimal(milli) / 1000).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def co2e(kg: Decimal) -> str:
    """CO₂e in tonnes, as the reader writes numbers: “126.1 t CO₂e”, “126,1 t CO₂e”; to the
    kilogram below a tonne (“0.042 t CO₂e”), none as “0 t CO₂e”."""
    tonnes = Decimal(kg) / 1000
    places = 0 if not tonnes else 1 if abs(tonnes) >= 1 else 3
    return _("{tonnes} t CO₂e", tonnes=number(tonnes, places=places))


def coordinates(latitude: float, longitude: float) -> str:
    """A point on the map to four decimals (about 10 m), the pair split by a semicolon where
    the decimal sign is a comma: “56.9496, 24.1052”, “56,9496; 24,1052”."""
    from babel.numbers import get_decimal_symbol

    sep = "; " if get_decimal_symbol(figures_locale()) == "," else ", "
    return number(Decimal(str(latitude)), places=4) + sep + number(Decimal(str(longitude)), places=4)


def unit_word(unit: str) -> str:
    """A trade unit's symbol or words in the reader's language (“t”, “Schütt-m³”)."""
    word = UNIT_WORDS.get(unit, unit)
    return _(word) if word != unit or unit in UNIT_WORDS else unit


def percent(value: Decimal | int | str) -> str:
    """A percentage (“21 %” in German, “21%” in English), every decimal kept (“25,5 %”)."""

    return share(Decimal(str(value)).scaleb(-2))


def share(fraction: Decimal | float, *, places: int | None = None) -> str:
    """A fraction as a percentage (0.255 → “25,5 %”), every decimal kept or `places` of them."""
    from babel.numbers import format_percent

    value = Decimal(str(fraction))
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places - 2))
    return format_percent(value, locale=figures_locale(), decimal_quantization=False)


def rating(stars: Decimal | float | int) -> str:
    """An average rating out of five: “★ 4,5” (one decimal, the reader's decimal sign)."""
    return "★ " + stars_value(stars)


def stars_value(stars: Decimal | float | int) -> str:
    """An average rating's figure alone, one decimal: “4,5”."""
    return number(Decimal(str(stars)), places=1)


# ---- days and moments ---------------------------------------------------------------------

def day(value: datetime | date) -> str:
    """A calendar day with its year: “25 Nov 2026”, “25. Nov. 2026”, “25.11.2026”."""
    return when(value if isinstance(value, datetime) else datetime.combine(value, time(12)),
                "yMMMd")


def month(label: str, *, short: bool = False) -> str:
    """A month kept as "2026-03", as the reader names it: “Mar 2026”, “März 2026”; `short`
    for an axis: “Mar 26”."""
    year, number = label.split("-")
    return when(datetime(int(year), int(number), 1), "yyMMM" if short else "yMMM")


def days(start: date, end: date) -> str:
    """A span of days as CLDR writes an interval (“1 to 31 Dec 2026” with the locale's own
    dash, the month and year said once when they are shared)."""
    return _days(start, end, dates_locale())


@lru_cache(maxsize=4096)
def _days(start: date, end: date, locale: Any) -> str:
    # Every result line and card says its listing's span of days, and the same spans recur:
    # Babel's interval formatting, a tenth of a search page's time, is done once for each.
    from babel.dates import format_interval

    return format_interval(start, end, "yMMMd", locale=locale)


def local(moment: datetime, skeleton: str = "yMMMdHm") -> str:
    """An instant in the reader's own time zone, named: “25 Nov 2026, 16:05 (Europe/Riga)”."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(READER_ZONE.get())
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return f"{when(moment.astimezone(zone), skeleton)} ({zone.key})"


def when(moment: datetime, skeleton: str) -> str:
    """`moment` (already in the zone it is read in) with the fields a CLDR skeleton names, in
    the reader's language and order: "MMMEdHm" → “Wed 25 Nov, 14:05”, “Mi., 25. Nov., 14:05”.
    A skeleton with both date and time fields is written as CLDR joins the two for the locale."""
    from babel.dates import format_skeleton

    locale = dates_locale()
    times = "".join(_TIME_FIELDS.findall(skeleton))
    dates = _TIME_FIELDS.sub("", skeleton)
    tz = moment.tzinfo
    if not times or not dates:
        return format_skeleton(skeleton, moment, tzinfo=tz, locale=locale)
    glue = locale.datetime_formats.get("medium", "{1} {0}")
    glue = getattr(glue, "pattern", glue)
    return glue.replace("{1}", format_skeleton(dates, moment, tzinfo=tz, locale=locale)) \
        .replace("{0}", format_skeleton(times, moment, tzinfo=tz, locale=locale))
