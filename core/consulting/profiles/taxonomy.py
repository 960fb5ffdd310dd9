"""What consultants are expert in: a fixed list of categories for filters and promotions, the
languages a session may be held in (ISO 639-1), and the rate kinds a profile may charge."""

from __future__ import annotations

from functools import cache

from babel import Locale

from core.errors import DomainError
from core.i18n import N_, _, current_language

# code → how a person reads it. Fixed: filters, promotions and the index use the codes.
CATEGORIES: dict[str, str] = {
    "biomass-sourcing": N_("Biomass sourcing"),
    "pellet-quality": N_("Pellet quality & certification"),
    "biogas-plants": N_("Biogas plants"),
    "biofuels-regulation": N_("Biofuels regulation (RED II/III)"),
    "carbon-accounting": N_("Carbon accounting"),
    "logistics": N_("Logistics"),
    "financing": N_("Financing & subsidies"),
    "energy-markets": N_("Energy markets"),
    "legal": N_("Legal & contracts"),
    # An independent inspector: booked into a deal at a fixed fee (core.consulting.inspections).
    "sampling-lab": N_("Sampling and lab analysis"),
}

RATE_KINDS = ("session", "minute")  # per session of 30 or 60 minutes, or per minute
SESSION_MINUTES = (30, 60)
PER_MINUTE_LENGTHS = (15, 30, 45, 60, 90, 120)  # what a seeker may book at a per-minute rate
MAX_KEYWORDS = 20
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@cache
def _languages() -> dict[str, str]:
    names = Locale("en").languages
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def language_code(word: str) -> str | None:
    """A language by its two-letter code or English name (“lv”, “Latvian”); None if neither."""
    folded = word.strip().lower()
    if folded in _languages():
        return folded
    return {name.lower(): code for code, name in _languages().items()}.get(folded)


def language_name(code: str) -> str:
    """A language by its code, named in the current reader's language ('lv' → 'Latvian',
    'Lettisch'), from CLDR as the codes are."""
    return _names_in(current_language()).get(code, code)


@cache
def _names_in(language: str) -> dict[str, str]:
    return _languages() if language == "en" else dict(Locale.parse(language).languages)


def check_languages(codes: list[str]) -> list[str]:
    """The codes lower-cased, each once, in order; DomainError naming an unknown one."""
    seen: list[str] = []
    for code in codes:
        folded = code.strip().lower()
        if folded not in _languages():
            raise DomainError(_("“{code}” is not a language code: use two letters, like en, de, lv.",
                                code=code))
        if folded not in seen:
            seen.append(folded)
    return seen


def check_categories(codes: list[str]) -> list[str]:
    """Known category codes, each once; DomainError naming an unknown one."""
    seen: list[str] = []
    for code in codes:
        if code not in CATEGORIES:
            raise DomainError(_("“{code}” is not a category. Choose from: {categories}.",
                                code=code, categories=", ".join(_(c) for c in CATEGORIES.values())))
        if code not in seen:
            seen.append(code)
    return seen


def label(code: str) -> str:
    """A category as a person reads it, in the current reader's language."""
    return _(CATEGORIES[code]) if code in CATEGORIES else code
