"""Account vocabulary: roles, interests, currencies, and the rules a profile must keep."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import available_timezones

from babel.core import get_global
from babel.numbers import list_currencies

from core.i18n import N_


class Role(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    CONSULTANT = "consultant"
    SEEKER = "seeker"
    ADMIN = "admin"


SELF_CHOSEN_ROLES = (Role.BUYER, Role.SELLER, Role.CONSULTANT, Role.SEEKER)

ROLE_LABELS = {
    Role.BUYER: N_("Buyer (bioenergy)"),
    Role.SELLER: N_("Seller (bioenergy)"),
    Role.CONSULTANT: N_("Consultant"),
    Role.SEEKER: N_("Looking for a consultant"),
    Role.ADMIN: N_("Administrator"),
}

PRODUCT_INTERESTS = {
    "pellets": N_("Wood pellets"),
    "chips": N_("Wood chips"),
    "briquettes": N_("Briquettes"),
    "firewood": N_("Firewood"),
    "agri": N_("Agricultural residues"),
    "biogas": N_("Biogas / biomethane"),
    "biodiesel": N_("Biodiesel / FAME"),
    "hvo": N_("HVO"),
    "bioethanol": N_("Bioethanol"),
    "uco": N_("Used cooking oil"),
    "biochar": N_("Biochar / charcoal"),
}
EXPERTISE_INTERESTS = {
    "x_certification": N_("Certification (ENplus, SBP, ISCC)"),
    "x_logistics": N_("Biomass logistics"),
    "x_plant": N_("Plant design & operation"),
    "x_policy": N_("Policy & subsidies (RED II)"),
    "x_finance": N_("Project finance"),
}
INTERESTS = {**PRODUCT_INTERESTS, **EXPERTISE_INTERESTS}

CURRENCIES = ("EUR", "USD", "GBP", "SEK", "NOK", "DKK", "PLN", "CZK", "CHF")
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
