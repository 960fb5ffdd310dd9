"""What a seller accepts, as rules with no database: the currencies offers may be in (the
first is the profile's default currency) and the ways a buyer may pay. A seller who chose
nothing accepts everything, as every seller did before these choices existed."""

from __future__ import annotations

from collections.abc import Iterable

from core.accounts.model import CURRENCIES
from core.errors import DomainError
from core.i18n import N_, _

METHODS = {
    "card": N_("Card"),
    "transfer": N_("Bank transfer"),
    "crypto": N_("Crypto"),
    "direct": N_("Paid directly between the parties"),
    "terms": N_("On terms (invoice after shipment)"),
}


def method_choices(*, crypto: bool) -> list[tuple[str, str]]:
    """The ways to pay a seller picks from: crypto only where the platform takes it (a crypto
    provider configured: the payments port's `takes_crypto`)."""
    return [(key, label) for key, label in METHODS.items() if key != "crypto" or crypto]


def checked_methods(keys: Iterable[str]) -> list[str]:
    """The accepted ways to pay, each known and once, in the list's order."""
    chosen = list(dict.fromkeys(keys))
    if not chosen:
        raise DomainError(_("Accept at least one way to pay."))
    if set(chosen) - set(METHODS):
        raise DomainError(_("Choose the ways to pay from the list."))
    return [key for key in METHODS if key in chosen]


def checked_currencies(codes: Iterable[str]) -> list[str]:
    """The accepted currencies, each once, in the order given (the first is the default)."""
    chosen = list(dict.fromkeys(code.upper() for code in codes))
    if not chosen:
        raise DomainError(_("Accept at least one currency."))
    if set(chosen) - set(CURRENCIES):
        raise DomainError(_("Choose the currencies from the list."))
    return chosen


def accepts_method(accepted: Iterable[str], key: str) -> bool:
    """Whether a seller accepting `accepted` takes `key` (all, when they chose none)."""
    chosen = tuple(accepted)
    return not chosen or key in chosen


def method_names(keys: Iterable[str]) -> str:
    """“Card, Bank transfer”: the ways, as the reader names them."""
    return ", ".join(_(METHODS[key]) for key in keys if key in METHODS)
