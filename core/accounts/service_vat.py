"""The VAT on a service Agora sells — its commission — to a seller or consultant. A plain rule
(no database): where the customer is established and whether they gave a checked VAT number
decide the treatment; the commission is the amount the money layer already took, so VAT is
the part of it the rate includes, never added on top.

1. Customer in Agora's own country → domestic: VAT at Agora's rate, included in the commission.
2. Customer in another EU member state with a VAT number → reverse charge (Article 196): no
   VAT on the invoice, the customer accounts for it.
3. Customer in another EU member state without one (or where they are is unknown) → VAT at
   Agora's rate: a service to a non-business is taxed where the supplier is (Article 45).
4. Customer outside the EU → not subject to EU VAT (Articles 44 and 59).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import said as say
from core.accounts.vat import included_vat, percent
from core.accounts.vat_ids import in_eu
from core.i18n import N_
from core.money.model import Money


@dataclass(frozen=True)
class ServiceVat:
    """How a service invoice treats VAT: its kind, the line it prints, the rate charged (0 when
    none) and the amount split into net and VAT."""

    kind: str  # domestic | eu_private | reverse_charge | outside_eu
    wording: say.Said  # the line it prints, kept to be said in its reader's words
    rate: Decimal
    net: Money
    vat: Money

    @property
    def text(self) -> str:
        """The line it prints, in the current reader's language."""
        return say.spoken(self.wording)

    @property
    def category(self) -> str:
        """Its EN 16931 VAT category code: standard rate, reverse charge, or not subject."""
        return CATEGORIES[self.kind]


CATEGORIES = {"domestic": "S", "eu_private": "S", "reverse_charge": "AE", "outside_eu": "O"}


def commission_vat(issuer_country: str, rate: Decimal, customer_country: str | None,
                   customer_vat_id: str | None, commission: Money) -> ServiceVat:
    """The VAT treatment of `commission` invoiced by an issuer in `issuer_country` (standard
    rate `rate` percent) to a customer in `customer_country`."""
    country = (customer_country or "").upper()
    rate_text = percent(rate)
    if country == issuer_country:
        return _charged("domestic", rate, commission, say.said(N_(
            "Domestic supply of a service in {country}: VAT {rate} included"),
            country=say.country(issuer_country), rate=rate_text))
    if country and not in_eu(country):
        return _untaxed("outside_eu", commission, say.said(N_(
            "Not subject to EU VAT: customer outside the EU, place of supply outside the EU "
            "(Articles 44 and 59, Council Directive 2006/112/EC)")))
    if country and customer_vat_id:
        return _untaxed("reverse_charge", commission, say.said(N_(
            "VAT reverse charge — Article 196, Council Directive 2006/112/EC: the customer "
            "accounts for the VAT")))
    return _charged("eu_private", rate, commission, say.said(N_(
        "VAT {rate} of {country} included: a service to a customer without a VAT number is "
        "taxed where the supplier is (Article 45, Council Directive 2006/112/EC)"),
        rate=rate_text, country=say.country(issuer_country)))


def _charged(kind: str, rate: Decimal, gross: Money, wording: say.Said) -> ServiceVat:
    vat = included_vat(gross, rate)
    return ServiceVat(kind, wording, rate, gross - vat, vat)


def _untaxed(kind: str, gross: Money, wording: say.Said) -> ServiceVat:
    return ServiceVat(kind, wording, Decimal(0), gross, Money(0, gross.currency))
