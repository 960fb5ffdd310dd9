"""The goods of a deal in words, from its frozen terms: what the deal card, the terms PDF and
every receipt call them ("Wood pellets, ENplus A1, 24 t times €230.00/t, FCA Riga", with a
multiplication sign), so a receipt names exactly what the parties accepted."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.catalog.taxonomy import CERTIFICATIONS, UNITS, product
from core.errors import DomainError
from core.i18n import N_, _, present
from core.money.model import Money
from core.said import Said, kind

GOODS, UNIT = N_("goods"), N_("unit")  # when the terms name no product, no unit
# What a receipt keeps of the terms to name the goods (prices as the terms wrote them).
KEPT = ("product", "grade", "certifications", "quantity", "unit", "unit_price", "currency",
        "incoterm", "place")


def kept(body: Mapping[str, Any]) -> dict[str, Any]:
    """The part of the frozen terms that names the goods."""
    return {key: body[key] for key in KEPT if body.get(key) not in (None, "", [])}


def said_goods(body: Mapping[str, Any]) -> Said:
    """The goods kept to be written when a document is drawn, in its reader's language
    (core.said): the terms' words from `kept`."""
    return {"goods": dict(body)}


@kind("goods")
def _written(body: Mapping[str, Any], locale: str | None) -> str:
    return goods_line(body, locale or "")


def certifications(body: Mapping[str, Any]) -> list[str]:
    """The certifications the terms claim, by name (ENplus, SBP…)."""
    return [CERTIFICATIONS.get(str(code), str(code)) for code in body.get("certifications") or []]


def goods_words(body: Mapping[str, Any]) -> str:
    """Product, grade and certifications: 'Wood pellets, ENplus A1, certified SBP' (the
    product and the words in the reader's language; the grade and title as written); a
    certification the grade already names is not said twice."""
    code = str(body.get("product") or "")
    parts = [_(product(code).label)] if code else []
    grade = str(body.get("grade") or "")
    if grade:
        parts.append(grade)
    named = [c for c in certifications(body) if c.casefold() not in grade.casefold()]
    if named:
        parts.append(_("certified {certifications}", certifications=", ".join(named)))
    return ", ".join(parts) or str(body.get("title") or _(GOODS))


def goods_line(body: Mapping[str, Any], locale: str = "en") -> str:
    """The goods with quantity, unit price and delivery: 'Wood pellets, ENplus A1,
    24 t times €230.00/t, FCA Riga' (the price in the reader's format)."""
    code = str(body.get("unit") or "")
    unit = _(UNITS[code]) if code in UNITS else code
    parts = [goods_words(body)]
    if body.get("quantity"):
        amount = _quantity(body["quantity"], code)
        price = _price(body, locale)
        parts.append(f"{amount} × {price}/{unit or _(UNIT)}" if price else amount)
    where = " ".join(str(body[k]) for k in ("incoterm", "place") if body.get(k))
    if where:
        parts.append(where)
    return ", ".join(parts)


def _quantity(value: Any, unit: str) -> str:
    """The terms' quantity as the reader writes it (“24,5 t”); as written when unreadable."""
    try:
        return present.quantity(Decimal(str(value)), unit)
    except ArithmeticError:
        return f"{value} {present.unit_word(unit)}".strip()


def _price(body: Mapping[str, Any], locale: str) -> str:
    currency = str(body.get("currency") or "")
    if not body.get("unit_price") or not currency:
        return ""
    try:
        return Money.parse(str(body["unit_price"]), currency).format(locale)
    except (DomainError, ValueError, ArithmeticError):  # unreadable: as the terms wrote it
        return f"{body['unit_price']} {currency}"
