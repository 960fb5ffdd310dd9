"""Money values: integer minor units with the currency's exponent (EUR 2, JPY 0), never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision

from core.errors import DomainError
from core.i18n import N_, READER_LOCALE, _  # (the reader's locale: core.money.reading sets it)

# Symbols people type for a currency (“€230”): the codes they stand for.
# Currency signs as people type them after or before an amount (“230,50 €”, “99 zł”); “kr” is
# left out: Swedish, Norwegian and Danish crowns share it.
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "zł": "PLN", "kč": "CZK", "fr.": "CHF"}




@lru_cache(maxsize=256)
def exponent(currency: str) -> int:
    """Digits after the decimal point for `currency` (CLDR, via Babel)."""
    return int(get_currency_precision(currency.upper()))


@lru_cache(maxsize=4096)
def _formatted(amount: int, currency: str, locale: str) -> str:
    # Babel's formatting is slow (pattern lookup, Decimal quantizing) and its result depends on
    # these three values only: the same amounts recur in every notice and receipt.
    return format_currency(Decimal(amount).scaleb(-exponent(currency)), currency, locale=locale)


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("money amounts are integers of minor units")

    @classmethod
    def parse(cls, text: str | Decimal, currency: str) -> Money:
        """'12.34' EUR → 1234; refuses more decimals than the currency has."""
        try:
            value = Decimal(str(text).strip().replace(",", "."))
        except ArithmeticError:
            raise DomainError(_("“{text}” is not an amount.", text=text)) from None
        minor = value.scaleb(exponent(currency))
        if minor != minor.to_integral_value():
            raise DomainError(_("{currency} has {exponent} decimals at most.",
                                currency=currency, exponent=exponent(currency)))
        return cls(int(minor), currency.upper())

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-exponent(self.currency))

    def format(self, locale: str | None = None) -> str:
        """'€12.34' — for people, never for arithmetic; in the current reader's locale unless
        one is given."""
        return _formatted(self.amount, self.currency, locale or READER_LOCALE.get())

    def plain(self) -> str:
        """'1,234.50 EUR': grouped digits, the currency's own decimals, then the code — for
        machine-readable exports only; people read `str(money)`."""
        return f"{self.decimal:,.{exponent(self.currency)}f} {self.currency}"

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class CommissionRule:
    """A market's commission: a percentage with a minimum (in major units of the currency)."""

    percent: Decimal
    minimum: Decimal = Decimal(0)

    def on(self, amount: Money) -> Money:
        """The commission on `amount`, rounded half up, never more than the amount itself."""
        fraction = self.percent.scaleb(-2)  # a percentage as a fraction: 5 → 0.05
        share = (Decimal(amount.amount) * fraction).quantize(Decimal(1), ROUND_HALF_UP)
        floor = (self.minimum.scaleb(exponent(amount.currency))).quantize(Decimal(1), ROUND_HALF_UP)
        return Money(min(amount.amount, max(int(share), int(floor))), amount.currency)

    def describe(self, currency: str) -> str:
        minimum = Money.parse(self.minimum, currency)
        return _("{percent}% (at least {minimum})", percent=self.percent.normalize(), minimum=minimum)


_KINDS = {"deal": N_("deal #{number}"), "booking": N_("session booking #{number}"),
          "recap": N_("the recap of session #{number}"),
          "deposit": N_("the bid deposit on request #{number}"),
          "lot-deposit": N_("the bid deposit on lot #{number}"),
          "package": N_("session package #{number}"), "retainer": N_("retainer #{number}"),
          "freight": N_("transport #{number}"), "inspection": N_("inspection #{number}")}
# A part of a package's payment: a session used, or what unused sessions left the consultant.
_PARTS = {"use": N_("session package #{number} (a session used)"),
          "kept": N_("session package #{number} (unused sessions kept)")}
_EXTRA_TIME = {"deal": N_("deal #{number} (extra time)"),
               "booking": N_("session booking #{number} (extra time)"),
               "recap": N_("the recap of session #{number} (extra time)")}


# What a card saved for later is used for, by what it is saved for (payments' saved methods).
SAVING_TERMS = {
    "booking": N_("Nothing is charged now; the session's maximum is authorised on this card 24 h "
                  "before the session."),
    "retainer": N_("The retainer's first month is charged to this card as soon as it is saved, "
                   "then each month until the retainer ends.")}


def saving_terms(reference: str) -> str:
    """What the card saved for `reference` will be charged, as its payer reads it."""
    return _(SAVING_TERMS.get(reference.partition(":")[0], SAVING_TERMS["booking"]))


def described(reference: str) -> str:
    """A money reference as people read it: “deal:12” → “deal #12”, “booking:3:extend:1” →
    “session booking #3 (extra time)”; anything else as it is."""
    head, __, rest = reference.partition(":")
    number, __, more = rest.partition(":")
    if head not in _KINDS or not number.isdigit():
        return reference
    part = more.partition(":")[0]
    if head == "package" and part in _PARTS:
        return _(_PARTS[part], number=number)
    return _((_EXTRA_TIME if more.startswith("extend") else _KINDS)[head], number=number)
