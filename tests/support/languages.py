"""Checking that a person was spoken to in their own language: no English sentence of the
catalogue in what they were sent, and the texts to look for, in their language."""

from __future__ import annotations

import re
from functools import cache

from core.i18n import translations
from core.i18n.catalogue import TEMPLATE

PLACEHOLDER = re.compile(r"\{\w+\}")


def said(language: str, message: str, **params: object) -> str:
    """`message` as the catalogue of `language` has it, filled from `params`."""
    text = translations(language).gettext(message)
    return text.format(**params) if params else text


def part(language: str, message: str) -> str:
    """The longest stretch of `message` in `language` between its placeholders: what a reply
    built from it surely holds, whatever was filled in."""
    return max(PLACEHOLDER.split(said(language, message)), key=len).strip()


@cache
def _english_stretches(language: str) -> tuple[str, ...]:
    """Stretches of the catalogue's English (between placeholders, 18 characters or more, with
    a space) whose translation in `language` does not hold them: seeing one means English."""
    from babel.messages.pofile import read_po

    with open(TEMPLATE, "rb") as pot:
        template = read_po(pot)
    found = []
    for message in template:
        for english in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if not english:
                continue
            local = translations(language).gettext(english)
            found += [s.strip() for s in PLACEHOLDER.split(english)
                      if len(s.strip()) >= 18 and " " in s.strip() and s.strip() not in local]
    return tuple(sorted(set(found)))


def english_in(language: str, texts: list[str]) -> list[str]:
    """The English sentences (stretches of the catalogue's) found in `texts`."""
    joined = "\n".join(texts)
    return [s for s in _english_stretches(language) if s in joined]


# Figures written by English conventions: a thousands comma (“5,267.50”, “1,000,000”; a lone
# group of three after a comma without a point after it is a comma reader's three decimals too,
# “30,762 t”), a decimal point (“24.5 t”; not a day like “25.11.2026” or “25.11.”), a currency
# sign before the amount (“€230.00”), a day in ISO form (“2026-12-01”) or an English month
# (“Nov 25”).
_ENGLISH_FIGURES = (
    re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:(?:,\d{3}){2,}(?:\.\d+)?|,\d{3}\.\d+)"
               r"(?![\d.,]*\d)"),
    re.compile(r"(?<![\d.:#,])\d+\.\d{1,2}(?![.\d,])"),
    re.compile(r"[€$£]\s?\d"),
    re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b"),
    re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b"),
)


def english_figures(language: str, texts: list[str]) -> list[str]:
    """Numbers, money and days in `texts` written by English conventions, for a reader whose
    decimal sign is a comma (German, Polish, Finnish…). Finnish writes times as 14.05, so a
    point before two digits is left alone there."""
    patterns = _ENGLISH_FIGURES if language != "fi" else (
        p for i, p in enumerate(_ENGLISH_FIGURES) if i != 1)
    joined = "\n".join(texts)
    return [m.group(0) for p in patterns for m in p.finditer(joined)]
