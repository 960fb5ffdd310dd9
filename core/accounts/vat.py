"""Which VAT treatment a sale falls under, from the two parties' billing details. Agora
computes no VAT rates or amounts: it names the treatment, so the documents say it honestly."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core import said as say
from core.accounts.billing import Billing
from core.accounts.vat_ids import ADJECTIVES, in_eu
from core.i18n import N_

REVERSE_CHARGE_TEXT = N_("VAT reverse charge — Article 196, Council Directive 2006/112/EC")


class VatKind(StrEnum):
    DOMESTIC = "domestic"
    REVERSE_CHARGE = "reverse_charge"
    EXPORT = "export"
    IMPORT = "import"
    B2C = "b2c"
    OUTSIDE_EU = "outside_eu"


# The EN 16931 VAT category of each treatment a document can state without a rate (an
# e-invoice names one per line): None where the seller charges VAT at a rate Agora does not
# know (a domestic sale, no reverse charge), so no e-invoice is drawn on the seller's behalf.
REVERSE_CHARGE_GOODS, REVERSE_CHARGE_SERVICES = "K", "AE"  # Articles 138 / 196
EXPORT, NOT_SUBJECT = "G", "O"


@dataclass(frozen=True)
class VatTreatment:
    kind: VatKind
    wording: say.Said  # the line a document prints, kept to be said in its reader's words
    category: str | None = None  # EN 16931 VAT category code (UNCL5305), when Agora knows it

    @property
    def text(self) -> str:
        """The line a document prints, in the current reader's language."""
        return say.spoken(self.wording)


def treatment(seller: Billing, buyer: Billing, supply: str = "goods") -> VatTreatment:
    """The VAT treatment of a sale from `seller` to `buyer` (`supply`: "goods" or "services").

    The rule, from the parties' billing countries and VAT numbers only (Agora sees neither the
    route of the goods nor proof of transport, and computes no rates):

    1. Same country → domestic: the seller charges VAT under that country's rules.
    2. Both in the EU, different countries, both with a VAT number → reverse charge. Goods: an
       intra-Community supply, exempt in the seller's country (Article 138), the buyer
       accounting for the VAT of the acquisition (Article 200). Services: Article 196.
    3. Both in the EU, different countries, either without a VAT number → no reverse charge:
       the seller charges VAT (for goods to a private buyer, the buyer's country's VAT may
       apply instead, through the One-Stop Shop, as a distance sale).
    4. Seller in the EU, buyer outside → export (goods: exempt, Article 146; services: place
       of supply outside the EU, Articles 44 and 59).
    5. Seller outside the EU, buyer in it → import (goods: import VAT at customs in the
       buyer's country; business services: reverse charge, Article 196).
    6. Both outside the EU, different countries → outside the scope of EU VAT.
    """
    s, b = seller.country, buyer.country
    if s == b:
        return _domestic(s)
    if in_eu(s) and in_eu(b):
        if seller.is_business and buyer.is_business:
            return _reverse_charge(supply)
        return _no_reverse_charge(seller, buyer, supply)
    if in_eu(s):
        return _export(supply)
    if in_eu(b):
        return _import(b, buyer.is_business, supply)
    return VatTreatment(VatKind.OUTSIDE_EU, say.said(N_(
        "Outside the scope of EU VAT: each party's local tax rules apply")), NOT_SUBJECT)


def _domestic(country: str) -> VatTreatment:
    return VatTreatment(VatKind.DOMESTIC, say.said(N_(
        "Domestic sale: VAT charged by the seller under the rules of {country} (Agora does not "
        "calculate VAT)"), country=say.country(country)))


def _reverse_charge(supply: str) -> VatTreatment:
    if supply == "goods":
        return VatTreatment(VatKind.REVERSE_CHARGE, say.said(N_(
            "VAT reverse charge: intra-Community supply of goods, exempt under Article 138, "
            "Council Directive 2006/112/EC; the buyer accounts for the VAT (Article 200)")),
            REVERSE_CHARGE_GOODS)
    return VatTreatment(VatKind.REVERSE_CHARGE, say.said(REVERSE_CHARGE_TEXT),
                        REVERSE_CHARGE_SERVICES)


def _no_reverse_charge(seller: Billing, buyer: Billing, supply: str) -> VatTreatment:
    # {adjective}: the country's entry in ADJECTIVES, as the catalogue has it ("Latvian").
    ours = say.said(ADJECTIVES[seller.country])
    if supply == "goods" and not buyer.is_business:
        return VatTreatment(VatKind.B2C, say.said(N_(
            "No reverse charge without both parties' VAT numbers: VAT charged by the seller "
            "under {adjective} rules (or, for a distance sale to a private buyer, "
            "{buyer_adjective} VAT through the One-Stop Shop)"), adjective=ours,
            buyer_adjective=say.said(ADJECTIVES[buyer.country])))
    return VatTreatment(VatKind.B2C, say.said(N_(
        "No reverse charge without both parties' VAT numbers: VAT charged by the seller under "
        "{adjective} rules"), adjective=ours))


def _export(supply: str) -> VatTreatment:
    if supply == "goods":
        return VatTreatment(VatKind.EXPORT, say.said(N_(
            "Export outside the EU: exempt from VAT under Article 146, Council Directive "
            "2006/112/EC, once the goods leave the EU")), EXPORT)
    return VatTreatment(VatKind.EXPORT, say.said(N_(
        "Customer outside the EU: place of supply outside the EU (Articles 44 and 59, Council "
        "Directive 2006/112/EC), no EU VAT charged")), NOT_SUBJECT)


def _import(buyer_country: str, business: bool, supply: str) -> VatTreatment:
    if supply == "goods":
        return VatTreatment(VatKind.IMPORT, say.said(N_(
            "Import into the EU: import VAT is due in {country} when the goods clear customs"),
            country=say.country(buyer_country)), NOT_SUBJECT)
    if business:
        return VatTreatment(VatKind.REVERSE_CHARGE, say.said(REVERSE_CHARGE_TEXT),
                            REVERSE_CHARGE_SERVICES)
    return VatTreatment(VatKind.OUTSIDE_EU, say.said(N_(
        "Supplier outside the EU: the seller's local tax rules apply")), NOT_SUBJECT)
