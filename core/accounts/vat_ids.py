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
from core.i18n import N_, _

# The member states by ISO 3166 code; Greece's VAT numbers start with EL, not GR.
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
VAT_PREFIX = {"GR": "EL"}

ADJECTIVES = {
    "AT": N_("Austrian"), "BE": N_("Belgian"), "BG": N_("Bulgarian"), "CY": N_("Cypriot"), "CZ": N_("Czech"),
    "DE": N_("German"), "DK": N_("Danish"), "EE": N_("Estonian"), "ES": N_("Spanish"), "FI": N_("Finnish"),
    "FR": N_("French"), "GR": N_("Greek"), "HR": N_("Croatian"), "HU": N_("Hungarian"), "IE": N_("Irish"),
    "IT": N_("Italian"), "LT": N_("Lithuanian"), "LU": N_("Luxembourg"), "LV": N_("Latvian"),
    "MT": N_("Maltese"), "NL": N_("Dutch"), "PL": N_("Polish"), "PT": N_("Portuguese"), "RO": N_("Romanian"),
    "SE": N_("Swedish"), "SI": N_("Slovenian"), "SK": N_("Slovak"),
}

# What each member state's number looks like, after its prefix.
SHAPES = {
    "AT": N_("U followed by 8 digits"), "BE": N_("10 digits, the first 0 or 1"), "BG": N_("9 or 10 digits"),
    "CY": N_("8 digits and a letter"), "CZ": N_("8, 9 or 10 digits"), "DE": N_("9 digits"),
    "DK": N_("8 digits"), "EE": N_("9 digits"),
    "ES": N_("9 characters: 7 digits between a first and a last letter or digit"), "FI": N_("8 digits"),
    "FR": N_("a 2-character key and the 9-digit SIREN"), "GR": N_("9 digits"), "HR": N_("11 digits"),
    "HU": N_("8 digits"), "IE": N_("7 digits and one or two letters"), "IT": N_("11 digits"),
    "LT": N_("9 or 12 digits"), "LU": N_("8 digits"), "LV": N_("11 digits"), "MT": N_("8 digits"),
    "NL": N_("9 digits, the letter B and 2 digits"), "PL": N_("10 digits"), "PT": N_("9 digits"),
    "RO": N_("2 to 10 digits"), "SE": N_("12 digits ending in 01"), "SI": N_("8 digits"),
    "SK": N_("10 digits"),
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
    return _("A {adjective} VAT number is {prefix} followed by {shape}", adjective=_(ADJECTIVES[country]),
             prefix=prefix(country), shape=_(SHAPES[country]))


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
                            own=own, number=number, adjectives=_(ADJECTIVES[country]))) from None
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
