"""VAT numbers, checked per country with python-stdnum: the EU's formats and check digits (and
those of the other countries stdnum knows), with a message that says what the number looks like."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.util import get_cc_module

from core.errors import DomainError
from core.i18n import _

# The member states by ISO 3166 code; Greece's VAT numbers start with EL, not GR.
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
VAT_PREFIX = {"GR": "EL"}

ADJECTIVES = {
    "AT": "Austrian", "BE": "Belgian", "BG": "Bulgarian", "CY": "Cypriot", "CZ": "Czech",
    "DE": "German", "DK": "Danish", "EE": "Estonian", "ES": "Spanish", "FI": "Finnish",
    "FR": "French", "GR": "Greek", "HR": "Croatian", "HU": "Hungarian", "IE": "Irish",
    "IT": "Italian", "LT": "Lithuanian", "LU": "Luxembourg", "LV": "Latvian", "MT": "Maltese",
    "NL": "Dutch", "PL": "Polish", "PT": "Portuguese", "RO": "Romanian", "SE": "Swedish",
    "SI": "Slovenian", "SK": "Slovak",
}

# What each member state's number looks like, after its prefix.
SHAPES = {
    "AT": "U followed by 8 digits", "BE": "10 digits, the first 0 or 1", "BG": "9 or 10 digits",
    "CY": "8 digits and a letter", "CZ": "8, 9 or 10 digits", "DE": "9 digits", "DK": "8 digits",
    "EE": "9 digits", "ES": "9 characters: 7 digits between a first and a last letter or digit",
    "FI": "8 digits", "FR": "a 2-character key and the 9-digit SIREN", "GR": "9 digits",
    "HR": "11 digits", "HU": "8 digits", "IE": "7 digits and one or two letters",
    "IT": "11 digits", "LT": "9 or 12 digits", "LU": "8 digits", "LV": "11 digits",
    "MT": "8 digits", "NL": "9 digits, the letter B and 2 digits", "PL": "10 digits",
    "PT": "9 digits", "RO": "2 to 10 digits", "SE": "12 digits ending in 01", "SI": "8 digits",
    "SK": "10 digits",
}

_KNOWN_PREFIXES = EU_COUNTRIES | {"EL", "XI", "GB", "CH", "NO"}
_SEPARATORS = re.compile(r"[\s.\-/,:]")
MAX_LENGTH = 20


@cache
def country_name(code: str) -> str:
    """The country's English name ("LV" → "Latvia"), or the code itself when unknown."""
    return str(Locale("en").territories.get(code.upper(), code.upper()))


def known_country(code: str) -> bool:
    """Whether `code` is an ISO 3166 alpha-2 country code (CLDR's list)."""
    return len(code) == 2 and code.isalpha() and code.upper() in Locale("en").territories


def in_eu(country: str | None) -> bool:
    """Whether the country is an EU member state."""
    return (country or "").upper() in EU_COUNTRIES


def prefix(country: str) -> str:
    """The VAT number prefix of a member state (Greece: EL)."""
    return VAT_PREFIX.get(country, country)


def shape(country: str) -> str:
    """'A Latvian VAT number is LV followed by 11 digits' for a member state."""
    return f"A {ADJECTIVES[country]} VAT number is {prefix(country)} followed by {SHAPES[country]}"


def check_vat_id(country: str, text: str) -> str:
    """`text` as a checked VAT number of `country` in standard form ("LV40003521600");
    DomainError naming the country and the expected shape when it isn't one."""
    country = country.upper()
    compact = _SEPARATORS.sub("", text).upper()
    if not compact:
        raise DomainError(_("That VAT number is empty."))
    if in_eu(country):
        return _check_eu(country, compact)
    return _check_elsewhere(country, compact)


def _check_eu(country: str, compact: str) -> str:
    own = prefix(country)
    given = compact[:2]
    if given in _KNOWN_PREFIXES and given not in (own, country):
        raise DomainError(_("That VAT number starts with {given}, but the address is in "
                            "{country_name}. {shape}.",
                            given=given, country_name=country_name(country), shape=shape(country)))
    number = compact[len(given):] if given in (own, country) else compact
    try:
        return own + eu_vat.validate(own + number)[2:]
    except InvalidChecksum:
        raise DomainError(_("{own}{number} is not a valid {adjectives} VAT number: its "
                            "check digits don't match. Please copy it from your VAT registration.",
                            own=own, number=number, adjectives=ADJECTIVES[country])) from None
    except ValidationError:
        raise DomainError(_("{shape}; {own}{number} is not one.",
                            shape=shape(country), own=own, number=number)) from None


def _check_elsewhere(country: str, compact: str) -> str:
    module = get_cc_module(country.lower(), "vat")
    name = country_name(country)
    if module is None:  # no rules known here: keep a plausible number as given
        if len(compact) > MAX_LENGTH or not compact.isalnum():
            raise DomainError(_("That doesn't look like a {name} VAT number.", name=name))
        return compact
    try:
        number = module.compact(module.validate(compact))
    except ValidationError:
        raise DomainError(_("{compact} is not a valid {name} VAT number.",
                            compact=compact, name=name)) from None
    number = number if number[:1].isalpha() else country + number
    if len(number) > MAX_LENGTH:
        raise DomainError(_("{compact} is not a valid {name} VAT number.", compact=compact, name=name))
    return number
