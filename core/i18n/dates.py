"""Dates and times as the reader reads them: CLDR's month and weekday names in the current
reader's language (core.i18n.current_language), by Babel. In English the patterns read as
before ("Mon 24 Nov, 14:00")."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from core.i18n import current_language


@lru_cache(maxsize=64)
def _locale(tag: str) -> Any:
    # Babel's Locale.parse scans every locale it knows (about a millisecond): once per tag.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def day(moment: datetime | date) -> str:
    """A day as every card and page writes it: “24 Dec 2026”, “24. Dez. 2026” (a calendar
    date read at noon, so no zone moves it)."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(12))
    return shown(moment, "d MMM y")


def shown(moment: datetime, pattern: str) -> str:
    """`moment` (already in the zone it is to be read in) by a CLDR pattern, such as
    "EEE d MMM, HH:mm", in the current reader's language."""
    from babel.dates import format_datetime

    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=_locale(current_language()))
