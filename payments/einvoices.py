"""EN 16931 e-invoices: the machine-readable twin of a document Agora issues, written with the
factur-x library — Cross Industry Invoice XML embedded in the PDF (Factur-X / ZUGFeRD, profile
EN 16931), or on request the same invoice as UBL 2.1, the syntax XRechnung uses.

The XML says what the PDF says, from the same rows and the same rules: the lines and their
amounts, the total, the VAT breakdown and the VAT treatment's note (in English). A document
has an e-invoice when its VAT category is known to Agora:

- a commission invoice, a recap's or a promotion's charge — Agora's own services
  (core.accounts.service_vat): standard rate included (S), reverse charge (AE), not subject (O);
- a goods receipt or a session's receipt issued for the seller or consultant, once both
  parties' billing details give the treatment (core.accounts.vat): VAT at the seller's rate
  (S: on top of a goods price, as the escrow charged it; included in a session's price), a
  seller not registered for VAT (O), intra-Community supply (K), export (G), reverse charge
  (AE), not subject (O);
- a credit note, as the document it credits.

Only a registered seller outside the EU who never gave its rate, or goods paid before VAT was
added to prices, draw none: the seller's own invoice is then the tax document."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from stdnum import iban

from core import said as say
from core.accounts.billing import Billing, from_account
from core.accounts.service_vat import commission_vat
from core.accounts.tables import Account
from core.accounts.vat import (
    NOT_SUBJECT,
    STANDARD,
    ZERO,
    VatTreatment,
    included_vat,
    percent,
    treatment,
)
from core.companies import billing as company_billing
from core.deals.deals import deal_of
from core.i18n import N_
from core.issuer import ISSUER
from core.money.model import Money
from core.storage.uow import UnitOfWork
from payments.lines import VAT_LINE, line_text
from payments.tables import Escrow, Invoice

SPECIFICATION = "urn:cen.eu:en16931:2017"
TYPE_CODES = {"credit_note": "381"}  # any other document: 380, a commercial invoice
# The VATEX exemption reason of each category charged at no rate (CEF code list).
REASON_CODES = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}
CHARGED = N_("VAT {rate} charged by the seller")  # goods whose parties' details changed since
# Goods paid before VAT was added to prices: the seller invoiced its VAT apart.
SEPARATELY = N_("VAT, where the seller charges it, is invoiced by the seller (Agora does not "
                "calculate VAT)")


@dataclass(frozen=True)
class Tax:
    """A document's VAT as an e-invoice states it: category, rate (none when not subject) and
    the treatment's note; the VAT amount is the document's VAT line, if any."""

    category: str
    rate: Decimal | None
    note: say.Said
    included: int = 0  # VAT the lines include without a VAT line of their own (a charge)

    @property
    def reason_code(self) -> str | None:
        return REASON_CODES.get(self.category)


@dataclass(frozen=True)
class Seat:
    """One side of the invoice: its name, postal address, and VAT number."""

    name: str
    country: str
    street: str = ""
    postcode: str = ""
    town: str = ""
    vat_id: str | None = None
    identifier: str | None = None  # BT-29: a member's number at Agora ("AGORA-12")

    def party(self, with_vat_id: bool) -> dict[str, Any]:
        seat: dict[str, Any] = {"name": self.name, "country_code": self.country}
        if self.identifier:  # BR-CO-26: a seller without a VAT number is known by it
            seat["identifiers"] = {"": self.identifier}
        seat |= {key: value for key, value in (("addr_l1", self.street), ("postcode", self.postcode),
                                               ("city", self.town)) if value}
        if with_vat_id and self.vat_id:
            seat["vat_identifier"] = self.vat_id
        return seat


def _seat(billing: Billing, member: int | None = None) -> Seat:
    return Seat(billing.legal_name, billing.country, billing.street, billing.postcode,
                billing.town, billing.vat_id, f"AGORA-{member}" if member else None)


def _issuer() -> Seat | None:
    """Agora as the seller of its own services, when its VAT number is configured."""
    issuer = ISSUER["issuer"]
    number = (issuer.vat_number or "").replace(" ", "").upper()
    if len(number) < 4 or not number[:2].isalpha():
        return None
    # Its VAT number is its identifier too (BT-29): an invoice not subject to VAT carries no
    # VAT number (BR-O-02), yet must name the seller by one (BR-CO-26).
    return Seat(issuer.name, issuer.country, issuer.address, vat_id=number, identifier=number)


@dataclass(frozen=True)
class Facts:
    """What an e-invoice of one document is made of."""

    invoice: Invoice
    seller: Seat
    buyer: Seat
    tax: Tax
    reference: str  # the money reference ("deal:12"): the buyer's reference
    preceding: Invoice | None = None  # the document a credit note credits
    goods: bool = False  # a deal's goods (else a service: Agora's, or a consultant's)


async def facts_of(uow: UnitOfWork, invoice: Invoice) -> Facts | None:
    """The e-invoice's facts for a numbered document, or None when it has none."""
    if invoice.number is None or invoice.kind not in ("payment", "charge", "commission",
                                                      "credit_note", "terms"):
        return None
    escrow = await uow.get(Escrow, invoice.escrow_id)
    if escrow is None:
        return None
    original, preceding = invoice, None
    if invoice.kind == "credit_note":
        preceding = await uow.get(Invoice, invoice.refers_to_id) \
            if invoice.refers_to_id else None
        if preceding is None or preceding.number is None:
            return None
        original = preceding
    found = await _sides(uow, escrow, original)
    if found is None:
        return None
    seller, buyer, tax = found
    goods = escrow.kind == "goods" and original.payee_id is not None
    return Facts(invoice, seller, buyer, tax, escrow.reference, preceding, goods)


async def _sides(uow: UnitOfWork, escrow: Escrow, invoice: Invoice
                 ) -> tuple[Seat, Seat, Tax] | None:
    payer = await uow.get(Account, invoice.payer_id)
    if payer is None:
        return None
    if invoice.kind in ("commission", "charge") and invoice.payee_id is None:
        return _agoras(invoice, payer)
    return await _members(uow, escrow, invoice)


def _agoras(invoice: Invoice, customer: Account) -> tuple[Seat, Seat, Tax] | None:
    """Agora's own service: the commission's treatment as issued (kept in its note), or a
    charge's as its PDF states it."""
    issuer = _issuer()
    buyer = _customer(customer)
    if issuer is None or buyer is None:
        return None
    if invoice.kind == "commission":
        kept = _kept_tax(invoice.note)
        return (issuer, buyer, kept) if kept else None
    vat = charge_vat(invoice, customer)
    rate = vat.rate if vat.category == "S" else (None if vat.category == "O" else Decimal(0))
    return issuer, buyer, Tax(vat.category, rate, vat.wording, vat.vat.amount)


def charge_vat(invoice: Invoice, customer: Account) -> Any:
    """The VAT a charge of Agora's includes (core.accounts.service_vat), from its customer's
    billing details (or the country of their profile)."""
    issuer = ISSUER["issuer"]
    details = from_account(customer)
    country = details.country if details else customer.country
    return commission_vat(issuer.country, issuer.vat_rate, country,
                          details.vat_id if details else None,
                          Money(invoice.total, invoice.currency))


def _customer(account: Account) -> Seat | None:
    details = from_account(account)
    if details is not None:
        return _seat(details)
    return Seat(account.display_name, account.country) if account.country else None


def _kept_tax(note: str | None) -> Tax | None:
    """The treatment a commission invoice kept in its note when issued."""
    try:
        kept = json.loads(note or "")
    except ValueError:
        return None
    tax = kept.get("tax") if isinstance(kept, dict) else None
    if not isinstance(tax, dict) or not tax.get("category"):
        return None
    category = str(tax["category"])
    rate = None if category == "O" else Decimal(str(tax.get("rate") or 0))
    wording = {key: value for key, value in kept.items() if key != "tax"}
    return Tax(category, rate, wording)


async def sale_treatment(uow: UnitOfWork, escrow: Escrow | None, buyer_id: int | None,
                         seller_id: int | None) -> VatTreatment | None:
    """The VAT treatment of a sale between members that an escrow paid — a deal's goods or a
    consultant's session — when both parties have given their billing details."""
    found = await _sale(uow, escrow, buyer_id, seller_id)
    return found[0] if found else None


async def _sale(uow: UnitOfWork, escrow: Escrow | None, buyer_id: int | None,
                seller_id: int | None) -> tuple[VatTreatment, Billing, Billing] | None:
    """The sale's treatment with the seller's and the buyer's billing details (each looked up
    once). Goods state the VAT the escrow charged (core.deals.sale_vat), whatever the details
    say now; goods paid before VAT was added to prices say the seller invoices it and draw no
    e-invoice (no VAT line)."""
    if escrow is None or buyer_id is None or seller_id is None:
        return None
    if escrow.kind == "goods" and deal_of(escrow.reference) is not None:
        supply = "goods"
    elif escrow.kind == "session":
        supply = "services"
    else:
        return None
    ours, theirs = await company_billing.billed(uow, seller_id), \
        await company_billing.billed(uow, buyer_id)
    if theirs is None and supply == "services":  # a session's client: a private person
        theirs = await _private_person(uow, buyer_id)
    if ours is None or theirs is None:
        return None
    found = treatment(ours, theirs, supply)
    if escrow.vat_rate:
        rate = Decimal(escrow.vat_rate)
        if found.category != STANDARD or found.rate != rate:
            found = VatTreatment(found.kind, say.said(CHARGED, rate=percent(rate)), STANDARD,
                                 rate)
    elif found.category == STANDARD and supply == "goods":  # no VAT line: no e-invoice
        found = VatTreatment(found.kind, say.said(SEPARATELY), None)
    return found, ours, theirs


async def _private_person(uow: UnitOfWork, account_id: int) -> Billing | None:
    """A client who never gave billing details, as a consumer's invoice names them: their name
    and country (EN 16931 asks no more of a buyer); None when the country is not known."""
    account = await uow.get(Account, account_id)
    if account is None or not account.country:
        return None
    return Billing(account.display_name, "", "", "", account.country)


async def _members(uow: UnitOfWork, escrow: Escrow, invoice: Invoice
                   ) -> tuple[Seat, Seat, Tax] | None:
    """A sale between members, issued for the seller: only where the category is known. A
    session's price includes the VAT the consultant charges; goods carry it as a line."""
    sale = await _sale(uow, escrow, invoice.payer_id, invoice.payee_id)
    if sale is None:
        return None
    found, ours, theirs = sale
    if found.category is None:
        return None
    if found.category in (STANDARD, ZERO) and not ours.vat_id:  # BR-S-02: a number it dropped
        return None
    rate = None if found.category == NOT_SUBJECT else (found.rate or Decimal(0))
    included = included_vat(Money(invoice.total, invoice.currency), found.rate).amount \
        if found.rate and not escrow.vat_rate else 0
    return (_seat(ours, invoice.payee_id), _seat(theirs), Tax(found.category, rate,
                                                              found.wording, included))


def data(facts: Facts) -> dict[str, Any]:
    """The EN 16931 business terms (BT/BG numbers) of the invoice, as factur-x takes them."""
    invoice, tax = facts.invoice, facts.tax
    items, vat = _items(invoice, tax.included)
    net = sum(minor for _, minor in items)

    def decimal(minor: int) -> str:  # "123.40": minor units in the currency's decimals
        return str(Money(minor, invoice.currency).decimal)

    not_subject = tax.category == "O"  # BR-O-02: no VAT numbers on such an invoice
    note = say.english(tax.note)
    breakdown: dict[str, Any] = {"BT-116": decimal(net), "BT-117": decimal(vat),
                                 "BT-118": tax.category}
    if tax.rate is not None:
        breakdown["BT-119"] = f"{tax.rate.normalize():f}"
    if tax.reason_code:
        breakdown |= {"BT-120": note, "BT-121": tax.reason_code}
    document: dict[str, Any] = {
        "BT-1": invoice.number, "BT-2": invoice.created_at.date(),
        "BT-3": TYPE_CODES.get(invoice.kind, "380"), "BT-5": invoice.currency,
        "BT-24": SPECIFICATION, "BT-10": facts.reference,
        "BG-1": [{"BT-22": note}],
        "BG-4": facts.seller.party(not not_subject),
        "BG-7": facts.buyer.party(not not_subject),
        "BG-23": [breakdown],
        "BG-25": [_line(n, name, minor, tax, decimal) for n, (name, minor) in
                  enumerate(items, start=1)],
        "BT-106": decimal(net), "BT-109": decimal(net), "BT-110": decimal(vat),
        "BT-112": decimal(net + vat), "BT-113": decimal(net + vat), "BT-115": decimal(0),
    }
    if facts.goods:  # where the goods go: the buyer's country (BR-IC-12 for a K supply)
        document["BG-13"] = {"name": facts.buyer.name, "country_code": facts.buyer.country}
        document["BT-73"] = document["BT-74"] = invoice.created_at.date()  # paid for then
    else:  # a service is supplied by the time it is invoiced: the payout, the capture
        document["BT-72"] = invoice.created_at.date()
    if invoice.kind == "terms":  # to be paid: due date, terms, and how (a SEPA transfer)
        document |= _to_pay(invoice, decimal(net + vat), decimal(0))
    if facts.preceding is not None:
        document["BG-3"] = [{"BT-25": facts.preceding.number,
                             "BT-26": facts.preceding.created_at.date()}]
    return document


def _to_pay(invoice: Invoice, total: str, nothing: str) -> dict[str, Any]:
    """An invoice on terms: nothing paid yet (BT-113), all of it due (BT-115) on its date
    (BT-9), by SEPA credit transfer (BT-81 58) to the account (BT-84, BT-86) with the payment's
    creditor reference (BT-83)."""
    kept = payment_terms(invoice)
    due = kept.get("due_on")
    found: dict[str, Any] = {"BT-113": nothing, "BT-115": total,
                             "BT-20": f"{kept.get('days') or ''} days net".strip()}
    if due:
        found["BT-9"] = date.fromisoformat(str(due))
    if kept.get("iban"):  # a SEPA transfer (58) to an IBAN; else a credit transfer (30)
        account = str(kept["iban"]).replace(" ", "")
        found |= {"BT-81": "58" if iban.is_valid(account) else "30", "BT-84": account,
                  "BT-83": str(kept.get("reference") or "")}
        if kept.get("bic"):
            found["BT-86"] = str(kept["bic"])
    return found


def payment_terms(invoice: Invoice) -> dict[str, Any]:
    """What an invoice on terms keeps of how it is paid (payments.terms_invoices)."""
    try:
        kept = json.loads(invoice.note or "{}")
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


def _items(invoice: Invoice, included: int = 0) -> tuple[list[tuple[str, int]], int]:
    """The document's lines in English with their net amounts, and the VAT: its VAT line's,
    or the VAT `included` in its one line."""
    items, vat = [], 0
    with say.in_english():
        for line in invoice.lines:
            detail = line[2] if len(line) > 2 and isinstance(line[2], dict) else {}
            if detail.get("said") == VAT_LINE:
                vat += int(line[1])
            else:
                items.append((line_text(line, "en")[:1000], int(line[1])))
    if included and len(items) == 1:
        (name, gross), = items
        items, vat = [(name, gross - included)], vat + included
    return items, vat


def breakdown(facts: Facts) -> tuple[int, int]:
    """The net total and the VAT, as the PDF prints them under its lines."""
    items, vat = _items(facts.invoice, facts.tax.included)
    return sum(minor for _, minor in items), vat


def _line(number: int, name: str, minor: int, tax: Tax, decimal: Any) -> dict[str, Any]:
    line = {"BT-126": str(number), "BT-129": "1", "BT-130": "C62", "BT-131": decimal(minor),
            "BT-146": decimal(minor), "BT-151": tax.category, "BT-153": name}
    if tax.rate is not None:
        line["BT-152"] = f"{tax.rate.normalize():f}"
    return line


def xml(facts: Facts, syntax: str = "cii") -> bytes:
    """The invoice as CII (the Factur-X XML) or UBL 2.1, checked against its XML schema."""
    from facturx import generate_xml  # loaded when an e-invoice is drawn

    flavor = "ubl-2.1" if syntax == "ubl" else "factur-x"
    return generate_xml(data(facts), flavor=flavor, level="en16931", check_xsd=True,
                        check_schematron=False)


def embedded(pdf: bytes, cii: bytes, language: str | None) -> bytes:
    """The PDF as Factur-X: PDF/A-3 with the CII XML attached as factur-x.xml (`language`:
    the PDF's, if known)."""
    from facturx import generate_from_binary

    return generate_from_binary(pdf, cii, flavor="factur-x", level="en16931",
                                check_xsd=False, lang=language)
