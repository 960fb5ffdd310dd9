"""Number and date fields: a whole number, a decimal, a date and time in a time zone, and a day
typed (`typed_day`) — read by the reader's conventions (core.i18n.typed), re-asked with their own
example when two conventions read an answer differently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

from conversations.fields import Field, FieldError, Raw
from core.i18n import READER_LOCALE, _, present
from core.i18n.typed import (
    Ambiguous,
    Unreadable,
    date_example,
    number_example,
    read_date,
    read_number,
)
from core.money.reading import shown_number


@dataclass
class IntegerField(Field):
    minimum: int = 0
    maximum: int = 10**9
    kind: ClassVar[str] = "integer"

    def parse_raw(self, raw: Raw) -> int:
        value = _number(self._require(raw), self.label, whole=True)
        if value != value.to_integral_value():
            raise FieldError(_("{label} must be a whole number, like {example}.",
                               label=_(self.label), example=shown_number(42)))
        if not self.minimum <= value <= self.maximum:
            raise FieldError(_("{label} must be between {minimum} and {maximum}.",
                               label=_(self.label), minimum=shown_number(self.minimum),
                               maximum=shown_number(self.maximum)))
        return int(value)

    def display(self, value: Any) -> str:
        return "—" if value in (None, "") else present.count(int(value))


@dataclass
class DecimalField(Field):
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(10**12)
    places: int = 2
    kind: ClassVar[str] = "decimal"

    def parse_raw(self, raw: Raw) -> str:
        value = _number(self._require(raw), self.label)
        if not self.minimum <= value <= self.maximum:
            raise FieldError(_("{label} must be between {minimum} and {maximum}.",
                               label=_(self.label), minimum=shown_number(self.minimum),
                               maximum=shown_number(self.maximum)))
        if value.normalize().as_tuple().exponent < -self.places:  # type: ignore[operator]
            raise FieldError(_("{label} can have at most {n} decimal places.", label=_(self.label),
                               n=self.places))
        return str(value)

    def display(self, value: Any) -> str:
        """The number as the reader writes it, with the decimals it was given (“230,50”)."""
        if value in (None, ""):
            return "—"
        try:
            return present.number(Decimal(str(value)))
        except ArithmeticError:
            return str(value)


def _number(text: str, label: str, whole: bool = False) -> Decimal:
    """The number typed, read by the reader's conventions (core.i18n.typed): “1.234,5” in
    Germany, “1 234,5” in Finland, “1,234.5” in Ireland; re-asked with their own example when
    two conventions read it differently. No exponents, NaN, or digits of other scripts."""
    locale = READER_LOCALE.get()
    try:
        return read_number(text, locale)
    except Ambiguous as doubt:
        raise FieldError(_("{label}: “{text}” reads two ways. Type it like {example}.",
                           label=_(label), text=text[:20], example=doubt.example)) from None
    except Unreadable:
        if whole:
            raise FieldError(_("{label} must be a whole number, like {example}.",
                               label=_(label), example=shown_number(42))) from None
        raise FieldError(_("{label} must be a number, like {example}.", label=_(label),
                           example=number_example(locale))) from None


def typed_day(text: str, label: str, today: date) -> date:
    """The day typed, in the reader's conventions (core.i18n.typed), or a FieldError with an
    example in their own format."""
    locale = READER_LOCALE.get()
    try:
        day = read_date(text, locale, today)
    except Ambiguous as doubt:
        raise FieldError(_("{label}: “{text}” reads two ways. Type it like {example}.",
                           label=_(label), text=text[:20], example=doubt.example)) from None
    if day is None:
        raise FieldError(_("{label}: write a date like {example}.", label=_(label),
                           example=date_example(locale)))
    return day


@dataclass
class DateTimeField(Field):
    """A date and time in a time zone; typed as '2026-12-01 14:00' or with a zone name."""

    default_tz: str = "UTC"
    kind: ClassVar[str] = "datetime"

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        zone_name = self.default_tz
        parts = text.rsplit(" ", 1)
        if len(parts) == 2 and "/" in parts[1]:
            text, zone_name = parts
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise FieldError(_("I don't know the time zone “{zone}”.", zone=zone_name[:40])) from None
        try:
            moment = dateparser.parse(text, dayfirst=False, yearfirst=True)
        except (ValueError, OverflowError):
            raise FieldError(_("{label}: write a date and time like 2026-12-01 14:00.",
                               label=_(self.label))) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.isoformat()

    def display(self, value: Any) -> str:
        if not value:
            return "—"
        moment = datetime.fromisoformat(value)
        return f"{present.when(moment, 'yMMMdHm')} {moment.tzname() or ''}".strip()
