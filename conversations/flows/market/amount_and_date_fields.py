"""The field kinds a listing, an offer, a bid and a request for supply share: a calendar date as
the reader writes it, an amount of a known unit, a quantity with its unit typed alongside, and a
price with another currency typed alongside."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from conversations.fields import Also, Field, FieldError, Raw
from conversations.messages import Inbound
from conversations.number_and_date_fields import DecimalField, typed_day
from core.accounts.model import CURRENCIES
from core.catalog.taxonomy import UNITS
from core.i18n import READER_LOCALE, _
from core.i18n.typed import number_example, written_date
from core.money.model import SYMBOLS, exponent


@dataclass
class DateField(Field):
    """A calendar date as the reader writes it (24.12.2026, 12/24/2026, 2026-12-24,
    “24. Dezember”), “today”, or “+30” days from today.

    `today` is the user's date by the application clock (set when the form is built), so
    tests with a fake clock and users in other time zones get the right day.
    """

    kind: ClassVar[str] = "date"
    today: date | None = None
    earliest: int | None = None  # days from today; None: any date
    latest: int | None = None

    def form_hint_text(self) -> str:
        """A whole form shows a date picker: the typing hints (“today”, “+30”) don't apply."""
        return super().form_hint_text() if self.form_hint is not None else ""

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw).lower()
        today = self.today or datetime.now(UTC).date()
        if text in ("today", _("today").lower()):
            return today.isoformat()
        if text.startswith("+") and text[1:].rstrip("d").isdigit() and len(text) < 8:
            return self._within(today + timedelta(days=int(text[1:].rstrip("d"))), today).isoformat()
        return self._within(typed_day(text, self.label, today), today).isoformat()

    def _within(self, day: date, today: date) -> date:
        if self.earliest is not None and day < today + timedelta(days=self.earliest):
            first = written_date(today + timedelta(days=self.earliest), READER_LOCALE.get())
            raise FieldError(_("{label} can't be before {date}; type “today” or a later date.",
                               label=_(self.label), date=first))
        if self.latest is not None and day > today + timedelta(days=self.latest):
            raise FieldError(_("{label} is more than {years} years ahead; type a nearer date.",
                               label=_(self.label), years=self.latest // 365))
        return day


_AMOUNT = re.compile(r"^\s*([€$£]?\s*[+-]?[\d\s.,_]*\d)\s*([^\d\s].*?)?\s*$")
_UNIT_WORDS = {"t": "t", "ton": "t", "tons": "t", "tonnes": "t", "tonne": "t", "kg": "kg",
               "m3": "m3", "m³": "m3", "loose m3": "loose_m3", "loose m³": "loose_m3",
               "mwh": "mwh", "l": "l", "litres": "l", "liters": "l", "nm3": "nm3", "nm³": "nm3"}


def unit_word(word: str) -> str | None:
    """The unit code a typed word names (“tonnes” → “t”), None for none."""
    return _UNIT_WORDS.get(word.casefold())


def split_amount(text: str) -> tuple[str, str]:
    """“500 t” → (“500”, “t”); “€230” and “230,50 €” → (“230”, “EUR”), (“230,50”, “EUR”);
    “12,5” → (“12,5”, “”)."""
    match = _AMOUNT.match(text)
    if match is None:
        return text, ""
    number, word = match.group(1), (match.group(2) or "").strip()
    symbol = number[0] if number[0] in SYMBOLS else ""
    return number.lstrip("€$£ "), SYMBOLS.get(word.casefold(), word) or SYMBOLS.get(symbol, "")


@dataclass
class AmountOfField(DecimalField):
    """A quantity whose unit is already known, typed with it or not (“20”, “20 t”, “20t”,
    “20 tonnes”); `unit` "" (not known here) takes any unit word."""

    unit: str = ""

    def parse_in(self, msg: Inbound, values: dict[str, Any]) -> Any:
        known = values.get("unit")
        return replace(self, unit=known).parse(msg) if known and not self.unit else \
            self.parse(msg)

    def parse_raw(self, raw: Raw) -> Any:
        number, word = split_amount(self._require(raw))
        code = unit_word(word) if word else self.unit
        if code is None or (self.unit and code != self.unit):
            said = UNITS.get(self.unit, self.unit) or "t"
            raise FieldError(_("{label} is a number in {unit}, like “20 {unit}”.",
                               label=_(self.label), unit=said))
        return super().parse_raw(number)


@dataclass
class QuantityField(DecimalField):
    """An amount, with the unit typed alongside when wanted (“500 t”, “12,5 MWh”)."""

    units: tuple[str, ...] = ()

    def form_hint_text(self) -> str:
        """A whole form asks the unit in a field of its own: the number alone goes here."""
        return super().form_hint_text() if self.form_hint is not None else ""

    def parse_raw(self, raw: Raw) -> Any:
        number, word = split_amount(self._require(raw))
        value = super().parse_raw(number)
        if not word:
            return Also(value, {"unit": self.units[0]}) if len(self.units) == 1 else value
        unit = _UNIT_WORDS.get(word.casefold())
        if unit is None and re.fullmatch(r"[eE][+-]?\d+", word):  # “1e99”: not a plain number
            raise FieldError(_("{label} must be a number, like {example}.", label=_(self.label),
                               example=number_example(READER_LOCALE.get())))
        if unit not in self.units:
            allowed = f" {_('or')} ".join(UNITS[u] for u in self.units)
            raise FieldError(_("{label} is in {units} for this product; type e.g. “500 {unit}”.",
                               label=_(self.label), units=allowed, unit=UNITS[self.units[0]]))
        return Also(value, {"unit": unit})


@dataclass
class PriceField(DecimalField):
    """A price in the default currency, or with another typed alongside (“230 SEK”)."""

    currency: str = "EUR"

    def parse_raw(self, raw: Raw) -> Any:
        number, word = split_amount(self._require(raw))
        code = (word or self.currency).upper().removesuffix("/T").strip()
        if code not in CURRENCIES:
            raise FieldError(_("I don't know the currency “{currency}”; use one of {currencies}.",
                               currency=word[:12], currencies=", ".join(CURRENCIES)))
        places = exponent(code)
        value = DecimalField(self.name, self.label, minimum=self.minimum, maximum=self.maximum,
                             places=places).parse_raw(number)
        return Also(value, {"currency": code})
