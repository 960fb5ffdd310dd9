"""Dates and times as the reader reads them, by CLDR skeletons in the reader's language and
country (core.i18n.present, which every face writes through): “25 Nov 2026”, “25. Nov. 2026”,
“25.11.2026”; “Wed 25 Nov, 14:05”, “Mi., 25. Nov., 14:05”."""

from __future__ import annotations

from datetime import date, datetime

from core.i18n import present


def day(moment: datetime | date) -> str:
    """A day as every card and page writes it, with its year (a calendar date read at noon,
    so no zone moves it)."""
    return present.day(moment)


def shown(moment: datetime, skeleton: str) -> str:
    """`moment` (already in the zone it is to be read in) with the fields of a CLDR skeleton,
    such as "MMMEdHm" (weekday, day, month, hours and minutes), in the reader's conventions."""
    return present.when(moment, skeleton)
