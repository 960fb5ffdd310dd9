"""Ids that arrive as text (button data, deep links, commands, paths): digits only, and within
the range of the database's integer keys, or no id at all."""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # PostgreSQL `integer`, the type of every primary key here
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(text: object) -> int | None:
    """The id `text` names, or None for anything else (“12x”, “²”, 40 digits, 0, -1)."""
    if not isinstance(text, str | int) or isinstance(text, bool):
        return None
    raw = str(text).strip()
    if not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
