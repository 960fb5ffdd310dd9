"""A consultant search in one line: words plus filters people write naturally — “pellet audits
in latvian under 120 eur online 4+ stars free within 3 days” — each filter then shown as a chip
that removes it."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from core.consulting.profiles.taxonomy import CATEGORIES, language_code, language_name
from core.i18n import _, n_
from core.money.model import Money

_PRICE = re.compile(r"\b(?:under|max|below|up to|≤)\s*€?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:eur|€)?",
                    re.I)
_FLOOR = re.compile(r"\b(?:over|above|from|min)\s*€?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:eur|€)?",
                    re.I)
_STARS = re.compile(r"\b([1-5](?:[.,]\d)?)\s*\+?\s*stars?\b|\b★\s*([1-5](?:[.,]\d)?)\+?", re.I)
_FREE = re.compile(r"\bfree\s+(?:within|in)\s+(\d{1,2})\s+days?\b|\b(this week)\b", re.I)
_ONLINE = re.compile(r"\bonline(?:\s+now)?\b", re.I)
_LANGUAGE = re.compile(r"\bin\s+([a-z]{4,20})\b", re.I)


def parse(line: str, currency: str = "EUR") -> dict[str, Any]:
    """The words and the filters of one typed line, as `DirectoryQuery` fields."""
    text = " " + line.strip()[:200] + " "
    found: dict[str, Any] = {}  # amounts, counts, flags and codes alike
    if (m := _PRICE.search(text)) and (price := _amount(m.group(1), currency)) is not None:
        found["price_max"], text = price, text.replace(m.group(0), " ")
    if (m := _FLOOR.search(text)) and (floor := _amount(m.group(1), currency)) is not None:
        found["price_min"], text = floor, text.replace(m.group(0), " ")
    if m := _STARS.search(text):
        found["min_rating"] = (m.group(1) or m.group(2)).replace(",", ".")  # JSON: a string
        text = text.replace(m.group(0), " ")
    if m := _FREE.search(text):
        found["free_within_days"] = 7 if m.group(2) else max(1, min(int(m.group(1)), 14))
        text = text.replace(m.group(0), " ")
    if m := _ONLINE.search(text):
        found["online_now"], text = True, text.replace(m.group(0), " ")
    if (m := _LANGUAGE.search(text)) and (code := language_code(m.group(1))):
        found["language"], text = code, text.replace(m.group(0), " ")
    for code, label in CATEGORIES.items():
        head = label.lower().split(" ")[0].rstrip("&,")
        if re.search(rf"\b{re.escape(head)}\b", text, re.I) and len(head) > 4:
            found["category"] = code
            break
    return {"text": " ".join(text.split()), **found}


def _amount(text: str, currency: str) -> int | None:
    try:
        return Money.parse(Decimal(text.replace(",", ".")), currency).amount
    except (InvalidOperation, Exception):
        return None


def to_query(saved: dict[str, Any]) -> dict[str, Any]:
    """The saved search (JSON in the conversation) as `DirectoryQuery` fields."""
    query = dict(saved)
    if query.get("min_rating") is not None:
        query["min_rating"] = Decimal(str(query["min_rating"]))
    return query


def chips(query: dict[str, Any], currency: str = "EUR") -> list[tuple[str, str]]:
    """(label, filter name) of each active filter, to remove with one tap."""
    shown: dict[str, Callable[[Any], str]] = {
        "category": lambda v: CATEGORIES.get(v, v),
        "language": language_name,
        "price_min": lambda v: _("≥ {price}/h", price=Money(v, currency)),
        "price_max": lambda v: _("≤ {price}/h", price=Money(v, currency)),
        "min_rating": lambda v: f"★ {v}+",
        "online_now": lambda v: _("online now"),
        "free_within_days": lambda v: n_("free within {n} days", "free within {n} days", v)}
    return [(f"✕ {show(query[name])}", name) for name, show in shown.items() if query.get(name)]
