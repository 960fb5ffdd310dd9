"""Account vocabulary: roles, interests, currencies, and the rules a profile must keep."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import available_timezones

from babel.core import get_global
from babel.numbers import list_currencies


class Role(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    CONSULTANT = "consultant"
    SEEKER = "seeker"
    ADMIN = "admin"


SELF_CHOSEN_ROLES = (Role.BUYER, Role.SELLER, Role.CONSULTANT, Role.SEEKER)

ROLE_LABELS = {
    Role.BUYER: "Buyer (bioenergy)",
    Role.SELLER: "Seller (bioenergy)",
    Role.CONSULTANT: "Consultant",
    Role.SEEKER: "Looking for a consultant",
    Role.ADMIN: "Administrator",
}

PRODUCT_INTERESTS = {
    "pellets": "Wood pellets",
    "chips": "Wood chips",
    "briquettes": "Briquettes",
    "firewood": "Firewood",
    "agri": "Agricultural residues",
    "biogas": "Biogas / biomethane",
    "biodiesel": "Biodiesel / FAME",
    "hvo": "HVO",
    "bioethanol": "Bioethanol",
    "uco": "Used cooking oil",
    "biochar": "Biochar / charcoal",
}
EXPERTISE_INTERESTS = {
    "x_certification": "Certification (ENplus, SBP, ISCC)",
    "x_logistics": "Biomass logistics",
    "x_plant": "Plant design & operation",
    "x_policy": "Policy & subsidies (RED II)",
    "x_finance": "Project finance",
}
INTERESTS = {**PRODUCT_INTERESTS, **EXPERTISE_INTERESTS}

CURRENCIES = ("EUR", "USD", "GBP", "SEK", "NOK", "DKK", "PLN", "CZK", "CHF")
LANGUAGES = {"en": "English"}  # more arrive with translations
NOTIFY_CHANNELS = ("telegram", "slack", "terminal", "email")

_TERRITORY_ZONES = get_global("territory_zones")
_ALL_ZONES = available_timezones()


def known_currency(code: str) -> bool:
    return code in list_currencies()


def known_timezone(name: str) -> bool:
    return name in _ALL_ZONES


def default_timezone(country: str | None) -> str:
    """The country's first IANA zone (Babel's CLDR data), or UTC."""
    zones = _TERRITORY_ZONES.get((country or "").upper()) or []
    return next((zone for zone in zones if zone in _ALL_ZONES), "UTC")


def default_currency(country: str | None) -> str:
    """The country's own currency where Agora offers it (Sweden → SEK), else EUR."""
    from babel.numbers import get_territory_currencies

    try:
        found = get_territory_currencies((country or "").upper(), tender=True)
    except Exception:  # an unknown territory code
        return "EUR"
    return next((code for code in found if code in CURRENCIES), "EUR")
