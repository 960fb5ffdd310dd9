"""The standard VAT rate of each EU member state, in percent: the rate a VAT-registered seller
charges unless they give their own (a reduced rate for fuel wood, say). Kept by hand from the
European Commission's "VAT rates applied in the Member States" (edition of 1 January 2026);
a rate that changes is one line here, and a seller's own rate always wins."""

from __future__ import annotations

from decimal import Decimal

STANDARD_RATES: dict[str, Decimal] = {code: Decimal(rate) for code, rate in {
    "AT": "20", "BE": "21", "BG": "20", "CY": "19", "CZ": "21", "DE": "19", "DK": "25",
    "EE": "24", "ES": "21", "FI": "25.5", "FR": "20", "GR": "24", "HR": "25", "HU": "27",
    "IE": "23", "IT": "22", "LT": "21", "LU": "17", "LV": "21", "MT": "18", "NL": "21",
    "PL": "23", "PT": "23", "RO": "21", "SE": "25", "SI": "22", "SK": "23",
}.items()}
HIGHEST = Decimal(30)  # no member state's rate is above this: a typo, not a rate


def standard_rate(country: str) -> Decimal | None:
    """The country's standard rate, or None outside the EU (Agora knows no other rates)."""
    return STANDARD_RATES.get(country.upper())
