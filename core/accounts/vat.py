"""Which VAT treatment a sale falls under, from the two parties' billing details, and the VAT
arithmetic on amounts. Where the seller charges VAT (a domestic sale, or no reverse charge),
the rate is the seller's own (core.accounts.billing: their country's standard rate unless they
gave theirs); a seller without a VAT number is not registered and charges none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core import said as say
from core.accounts.billing import Billing
from core.accounts.vat_ids import ADJECTIVES, in_eu
from core.i18n import N_
from core.money.model import Money

REVERSE_CHARGE_TEXT = N_("VAT reverse charge — Article 196, Council Directive 2006/112/EC")


class VatKind(StrEnum):
    DOMESTIC = "domestic"
    REVERSE_CHARGE = "reverse_charge"
    EXPORT = "export"
    IMPORT = "import"
    B2C = "b2c"
    OUTSIDE_EU = "outside_eu"


# The EN 16931 VAT category of each treatment (an e-invoice names one per line): S where the
# seller charges VAT at its rate; None only where a registered seller outside the EU gave no
# rate (billing details kept before Agora asked for one), so no e-invoice is drawn for it.
REVERSE_CHARGE_GOODS, REVERSE_CHARGE_SERVICES = "K", "AE"  # Articles 138 / 196
EXPORT, NOT_SUBJECT, STANDARD, ZERO = "G", "O", "S", "Z"
NOT_REGISTERED = N_("Seller not registered for VAT (no VAT number): no VAT charged")


@dataclass(frozen=True)
class VatTreatment:
    kind: VatKind
    wording: say.Said  # the line a document prints, kept to be said in its reader's words
    category: str | None = None  # EN 16931 VAT category code (UNCL5305), when Agora knows it
    rate: Decimal | None = None  # the rate the seller charges (category S)

    @property
    def text(self) -> str:
        """The line a document prints, in the current reader's language."""
        return say.spoken(self.wording)


def treatment(seller: Billing, buyer: Billing, supply: str = "goods") -> VatTreatment:
    """The VAT treatment of a sale from `seller` to `buyer` (`supply`: "goods" or "services").

    The rule, from the parties' billing countries and VAT numbers only (Agora sees neither the
    route of the goods nor proof of transport, and computes no rates):

    1. Same country → domestic: the seller charges VAT at its rate (none when it has no VAT
       number: not registered).
    2. Both in the EU, different countries, both with a VAT number → reverse charge. Goods: an
       intra-Community supply, exempt in the seller's country (Article 138), the buyer
       accounting for the VAT of the acquisition (Article 200). Services: Article 196.
    3. Both in the EU, different countries, either without a VAT number → no reverse charge:
       the seller charges VAT at its rate (none when not registered). A seller whose distance
       sales to private buyers pass the EU threshold charges the buyer's country's rate
       through the One-Stop Shop; Agora charges the seller's own rate (not modelled: the
       buyer's country's rate per sale).
    4. Seller in the EU, buyer outside → export (goods: exempt, Article 146; services: place
       of supply outside the EU, Articles 44 and 59).
    5. Seller outside the EU, buyer in it → import (goods: import VAT at customs in the
       buyer's country; business services: reverse charge, Article 196).
    6. Both outside the EU, different countries → outside the scope of EU VAT.
    """
    s, b = seller.country, buyer.country
    if s == b:
        return _domestic(seller)
    if in_eu(s) and in_eu(b):
        if seller.is_business and buyer.is_business:
            return _reverse_charge(supply)
        return _no_reverse_charge(seller)
    if in_eu(s):
        return _export(supply)
    if in_eu(b):
        return _import(b, buyer.is_business, supply)
    return VatTreatment(VatKind.OUTSIDE_EU, say.said(N_(
        "Outside the scope of EU VAT: each party's local tax rules apply")), NOT_SUBJECT)


def _domestic(seller: Billing) -> VatTreatment:
    rate = seller.charged_rate
    if not seller.is_business:
        return VatTreatment(VatKind.DOMESTIC, say.said(NOT_REGISTERED), NOT_SUBJECT)
    if rate is None:
        return VatTreatment(VatKind.DOMESTIC, say.said(N_(
            "Domestic sale: VAT charged by the seller under the rules of {country} (Agora does "
            "not calculate VAT)"), country=say.country(seller.country)))
    return VatTreatment(VatKind.DOMESTIC, say.said(N_(
        "Domestic sale in {country}: VAT {rate} charged by the seller"),
        country=say.country(seller.country), rate=percent(rate)), _rated(rate), rate)


def _reverse_charge(supply: str) -> VatTreatment:
    if supply == "goods":
        return VatTreatment(VatKind.REVERSE_CHARGE, say.said(N_(
            "VAT reverse charge: intra-Community supply of goods, exempt under Article 138, "
            "Council Directive 2006/112/EC; the buyer accounts for the VAT (Article 200)")),
            REVERSE_CHARGE_GOODS)
    return VatTreatment(VatKind.REVERSE_CHARGE, say.said(REVERSE_CHARGE_TEXT),
                        REVERSE_CHARGE_SERVICES)


def _no_reverse_charge(seller: Billing) -> VatTreatment:
    # {adjective}: the country's entry in ADJECTIVES, as the catalogue has it ("Latvian").
    rate = seller.charged_rate
    if rate is None:  # an EU seller's rate is always known: no VAT number, no VAT
        return VatTreatment(VatKind.B2C, say.said(NOT_REGISTERED), NOT_SUBJECT)
    return VatTreatment(VatKind.B2C, say.said(N_(
        "No reverse charge without both parties' VAT numbers: VAT {rate} charged by the seller "
        "under {adjective} rules"), rate=percent(rate),
        adjective=say.said(ADJECTIVES[seller.country])), _rated(rate), rate)


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


def _rated(rate: Decimal) -> str:
    """Standard rated (S) at a rate above nothing, zero rated (Z) at 0%."""
    return STANDARD if rate > 0 else ZERO


def percent(rate: Decimal) -> str:
    """A rate as documents print it: "21%", "25.5%"."""
    return f"{rate.normalize():f}%"


def added_vat(net: Money, rate: Decimal) -> Money:
    """The VAT on a net amount at `rate` percent, rounded half up to the minor unit."""
    share = Decimal(net.amount) * rate.scaleb(-2)  # percent
    return Money(int(share.quantize(Decimal(1), ROUND_HALF_UP)), net.currency)


def included_vat(gross: Money, rate: Decimal) -> Money:
    """The VAT a gross amount at `rate` percent includes, rounded half up to the minor unit."""
    share = Decimal(gross.amount) * rate / (100 + rate)
    return Money(int(share.quantize(Decimal(1), ROUND_HALF_UP)), gross.currency)
