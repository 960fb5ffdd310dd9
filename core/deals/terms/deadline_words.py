"""A deal's deadlines in words. The terms freeze them in English (they are part of what the
parties accepted, and of the terms' fingerprint); a document reads them back in its reader's
language with the English beside it, from the same sentences."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache

from core.i18n import N_, _
from core.process.model import duration
from core.said import side_by_side

# Each deadline's sentence; {span} is a duration (“48 hours”), {days} a number of days.
SENTENCES = {
    "cancel-unpaid": (N_("payment within {span} of agreeing the terms (else cancelled)"),),
    "cancel-not-shipped": (N_("shipping within {span} of payment (else cancelled and refunded)"),
                           N_("shipping within {span} of accepting the terms (else cancelled)")),
    "auto-confirm": (N_("delivery counts as confirmed {span} after it, unless quality is "
                        "reported"),),
    "close-reviews": (N_("ratings within {span} of completion"),),
    "invoice-due": (N_("the invoice is due {days} days after shipment"),),
}
LABELS = {"cancel-unpaid": N_("Payment"), "cancel-not-shipped": N_("Shipping"),
          "auto-confirm": N_("Delivery confirmation"), "close-reviews": N_("Ratings"),
          "invoice-due": N_("Invoice due")}
_SPAN = r"(?P<n>\d+) (?P<unit>day|hour)s?"


def frozen(key: str, variant: int = 0, **values: object) -> str:
    """The English sentence kept in the terms (`span` as `core.process.model.span` says it)."""
    return SENTENCES[key][variant].format(**values)


def read_back(key: str, text: str) -> str | None:
    """A frozen deadline in the reader's language with the English beside it; None when the
    sentence is not one of Agora's (it is then printed as frozen)."""
    for sentence, pattern in _patterns(key):
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = found.groupdict()
        if "n" in values:
            hours = int(values["n"]) * (24 if values["unit"] == "day" else 1)
            delta = timedelta(hours=hours)

            def spanned(s: str = sentence, d: timedelta = delta) -> str:
                return _(s, span=duration(d))
            return side_by_side(spanned)

        def in_days(s: str = sentence, v: dict[str, str] = values) -> str:
            return _(s, days=v["days"])
        return side_by_side(in_days)
    return None


@cache
def _patterns(key: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((sentence, re.compile(re.escape(sentence).replace(r"\{span\}", _SPAN)
                                       .replace(r"\{days\}", r"(?P<days>\d+)")))
                 for sentence in SENTENCES.get(key, ()))
