"""Sentences kept to be said later, to whoever reads them then: a document that is stored
before it is printed (a receipt's lines, a credit note's reason, a commission invoice's VAT
treatment) keeps what it says as a catalogue message and its values, plain JSON, and prints it
in the reader's language when it is drawn — on a legal document with the English beside it.

    said(N_("Credited: {what}"), what=reference("deal:12"))
    spoken(kept)        # “Gutschrift: Geschäft #12”, in the current reader's language
    in_both(kept)       # “Gutschrift: Geschäft #12 / Credited: deal #12”

A value is a plain string (what a person typed, a number: printed as it is), another
said sentence, or one of the typed values below, each written in the reader's words and number
format: a country (its name), a day, an amount, a money reference (“deal #12”), and the kinds that
modules above this one register (a deal's goods).
Messages are marked with N_ where they are written, so the catalogue holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from core.i18n import READER_LANGUAGE, _, current_language

Said = dict[str, Any]


def said(message: str, /, **values: Any) -> Said:
    """`message` (a catalogue message, marked N_) with its {placeholders}' values, kept."""
    return {"said": message, "with": values} if values else {"said": message}


def country(code: str) -> Said:
    """A country, named in the reader's language (“Latvia”, “Lettland”)."""
    return {"country": code.upper()}


def money(amount: Any) -> Said:
    """An amount (a core.money.model.Money), in the reader's number format."""
    return {"money": [int(amount.amount), str(amount.currency)]}


def day(value: date) -> Said:
    """A calendar day, in the reader's conventions (“20 Nov 2026”, “20.11.2026”)."""
    return {"day": value.isoformat()}


def reference(ref: str) -> Said:
    """A money reference (“deal:12”) in the reader's words (“deal #12”)."""
    return {"reference": ref}


# Kinds of value that modules above this one own (a deal's goods): each module registers how
# its kind is written, so this low module need not import them (core.deals.terms.goods registers
# "goods" when imported, as every module that keeps or prints goods lines imports it).
_KINDS: dict[str, Callable[[Any, str | None], str]] = {}


def kind(name: str) -> Callable[[Callable[[Any, str | None], str]], Callable[[Any, str | None], str]]:
    """Register how a value kept as {name: …} is written: render(value, locale) → text."""
    def register(render: Callable[[Any, str | None], str]) -> Callable[[Any, str | None], str]:
        _KINDS[name] = render
        return render
    return register


def is_said(value: Any) -> bool:
    """Whether `value` is something this module keeps (not a plain string)."""
    return isinstance(value, Mapping) and bool(
        {"said", "country", "money", "reference", "day", *_KINDS} & set(value))


def spoken(value: Any, locale: str | None = None) -> str:
    """`value` in the current reader's language; amounts in `locale` (the reader's format
    when not given)."""
    if not isinstance(value, Mapping):
        return "" if value is None else str(value)
    if "said" in value:
        values = {name: spoken(v, locale) for name, v in (value.get("with") or {}).items()}
        return _(str(value["said"]), **values) if values else _(str(value["said"]))
    if "country" in value:
        from core.i18n.countries import name_in

        return name_in(current_language(), str(value["country"]))
    if "money" in value:
        from core.money.model import Money

        amount, currency = value["money"]
        return Money(int(amount), str(currency)).format(locale)
    if "day" in value:
        from core.i18n import present

        return present.day(date.fromisoformat(str(value["day"])))
    if "reference" in value:
        from core.money.model import described

        return described(str(value["reference"]))
    for name, render in _KINDS.items():
        if name in value:
            return render(value[name], locale)
    return str(value)


def english(value: Any, locale: str | None = "en") -> str:
    """`value` in English (amounts in `locale`): the text a stored document keeps beside it."""
    with in_english():
        return spoken(value, locale)


def in_both(value: Any, sep: str = " / ", locale: str | None = None) -> str:
    """`value` in the reader's language with the English beside it, for legal documents;
    English alone for an English reader (or when nothing in it is translated)."""
    return side_by_side(lambda: spoken(value, locale), sep)


def side_by_side(say: Callable[[], str], sep: str = " / ") -> str:
    """What `say` writes, in the reader's language with its English beside it: for a line
    whose values are words too (a country, a document's name), which core.i18n.bilingual,
    filling one set of values into both, cannot write in English."""
    local = say()
    with in_english():
        english_text = say()
    return english_text if local == english_text else f"{local}{sep}{english_text}"


@contextmanager
def in_english() -> Iterator[None]:
    """Inside this block `_()` writes English; amounts keep the reader's format."""
    token = READER_LANGUAGE.set("en")
    try:
        yield
    finally:
        READER_LANGUAGE.reset(token)
