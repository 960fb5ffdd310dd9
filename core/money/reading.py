"""Money as one reader reads it: every amount in a chat turn, a notice, a card, a chart or a page
is written in that person's number format ("€23,000.00" in English, "23.000,00 €" in Germany),
the same one their invoices use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

from core.i18n import READER_LANGUAGE, READER_ZONE
from core.money.model import READER_LOCALE, Money, exponent


@lru_cache(maxsize=1024)
def number_locale(language: str | None, country: str | None) -> str:
    """The Babel locale for a person's amounts and dates: their language as written in their
    country ("en" in Germany → en_DE, "1.234,50 €"), else their country's own locale
    (Latvia → lv_LV), else their language."""
    # Cached: Babel's Locale.parse scans every locale it knows (about a millisecond), and this
    # runs for each amount a reader sees.
    from babel import Locale, UnknownLocaleError

    language = (language or "en").lower()
    region = (country or "").upper()
    for tag in ((f"{language}_{region}", f"und_{region}") if region.isalpha() else ()):
        try:
            return str(Locale.parse(tag))
        except (UnknownLocaleError, ValueError):
            continue
    return language


class Reader(Protocol):
    # Read-only, so an Account (its language never None) and a visitor are readers too.
    @property
    def language(self) -> str | None: ...

    @property
    def country(self) -> str | None: ...


def locale_of(reader: Reader | None) -> str:
    """The Babel locale of `reader`'s amounts; English for no one in particular."""
    return number_locale(reader.language, reader.country) if reader is not None else "en"


def shown(amount: Money | None, reader: Reader | None = None, *, none: str = "—") -> str:
    """`amount` for `reader` (the current reader when not given): the one money format."""
    if amount is None:
        return none
    return amount.format(locale_of(reader) if reader is not None else None)


def shown_number(value: Decimal | int) -> str:
    """A number as the current reader writes it (“21.999,99” in Germany), every decimal kept."""
    from core.i18n.present import number

    return number(value)


# Whom the current block writes for, when someone in particular (set by `reading`/`read_for`).
_READER: ContextVar[Reader | None] = ContextVar("reader", default=None)


def current_reader() -> Reader | None:
    """The person (or visitor) the current block writes for; None outside any reading."""
    return _READER.get()


@contextmanager
def reading(reader: Reader | None) -> Iterator[str]:
    """Write for `reader` inside this block: `str(money)` uses their format, `_()` their
    language (their own, not their country's: an English speaker in Estonia reads English
    with Estonian amounts)."""
    token = READER_LOCALE.set(locale_of(reader))
    spoken = READER_LANGUAGE.set(_language(reader))
    zoned = READER_ZONE.set(_zone(reader))
    who = _READER.set(reader)
    try:
        yield READER_LOCALE.get()
    finally:
        _READER.reset(who)
        READER_ZONE.reset(zoned)
        READER_LANGUAGE.reset(spoken)
        READER_LOCALE.reset(token)


def read_for(reader: Reader | None) -> None:
    """From here on, within the current `reading` block, write for `reader`."""
    READER_LOCALE.set(locale_of(reader))
    READER_LANGUAGE.set(_language(reader))
    READER_ZONE.set(_zone(reader))
    _READER.set(reader)


def _zone(reader: Reader | None) -> str:
    """The reader's time zone (a visitor has none: UTC)."""
    return getattr(reader, "timezone", None) or "UTC"


def _language(reader: Reader | None) -> str:
    return (reader.language or "en") if reader is not None else "en"


def money_ticks(currency: str) -> Any:
    """A chart axis's ticks as money in the reader's format (“€250.00”), not floats (“250.0”)."""
    from matplotlib.ticker import FuncFormatter

    scale = Decimal(10) ** exponent(currency)
    return FuncFormatter(lambda value, _: str(Money(int(
        (Decimal(str(value)) * scale).to_integral_value()), currency)))
