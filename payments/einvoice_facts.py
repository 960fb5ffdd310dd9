"""What an e-invoice of one document is made of (payments.einvoices): the seller and the buyer
as it names them, and the VAT category, rate and note — Agora's own services
(core.accounts.service_vat) or a sale between members (payments.member_sales)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core import said as say
from core.accounts.billing import Billing, from_account
from core.accounts.service_vat import commission_vat
from core.accounts.tables import Account
from core.accounts.vat import NOT_SUBJECT, STANDARD, ZERO, VatTreatment, included_vat
from core.issuer import ISSUER
from core.money.model import Money
from core.storage.uow import UnitOfWork
from payments.member_sales import _sale
from payments.papers import Papers
from payments.sql_papers import papers_of
from payments.tables import Escrow, Invoice, TransferAccount

# The VATEX exemption reason of each category charged at no rate (CEF code list).
REASON_CODES = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}


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
    # What an XRechnung names beyond EN 16931 (payments.xrechnung): the person to contact with
    # their phone and email, which is also the party's electronic address (BT-34, BT-49)
    # unless a public buyer's Leitweg-ID routes its invoices.
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    leitweg_id: str | None = None

    def party(self, with_vat_id: bool) -> dict[str, Any]:
        seat: dict[str, Any] = {"name": self.name, "country_code": self.country}
        if self.identifier:  # BR-CO-26: a seller without a VAT number is known by it
            seat["identifiers"] = {"": self.identifier}
        seat |= {key: value for key, value in (("addr_l1", self.street), ("postcode", self.postcode),
                                               ("city", self.town)) if value}
        if with_vat_id and self.vat_id:
            seat["vat_identifier"] = self.vat_id
        return seat


def _seat(billing: Billing, member: int | None = None, person: Account | None = None) -> Seat:
    """A party as billed, with the `person` acting for it (their name, phone and email)."""
    return Seat(billing.legal_name, billing.country, billing.street, billing.postcode,
                billing.town, billing.vat_id, f"AGORA-{member}" if member else None,
                person.display_name if person else None, person.phone if person else None,
                person.email if person else None, billing.leitweg_id)


def _issuer() -> Seat | None:
    """Agora as the seller of its own services, when its VAT number is configured."""
    issuer = ISSUER["issuer"]
    number = (issuer.vat_number or "").replace(" ", "").upper()
    if len(number) < 4 or not number[:2].isalpha():
        return None
    # Its VAT number is its identifier too (BT-29): an invoice not subject to VAT carries no
    # VAT number (BR-O-02), yet must name the seller by one (BR-CO-26).
    # Its post code, town and contact are given for XRechnung (payments.xrechnung).
    return Seat(issuer.name, issuer.country, issuer.address, issuer.postcode, issuer.town,
                vat_id=number, identifier=number, contact=issuer.name,
                phone=issuer.phone or None, email=issuer.email or None)


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
    paid_into: TransferAccount | None = None  # the account a transfer paid it into, if any


async def facts_of(uow: UnitOfWork | Papers, invoice: Invoice) -> Facts | None:
    """The e-invoice's facts for a numbered document, or None when it has none."""
    papers = papers_of(uow)
    if invoice.number is None or invoice.kind not in ("payment", "charge", "commission",
                                                      "credit_note", "terms"):
        return None
    escrow = await papers.escrow(invoice.escrow_id)
    if escrow is None:
        return None
    original, preceding = invoice, None
    if invoice.kind == "credit_note":
        preceding = await papers.invoice(invoice.refers_to_id) \
            if invoice.refers_to_id else None
        if preceding is None or preceding.number is None:
            return None
        original = preceding
    found = await _sides(papers, escrow, original)
    if found is None:
        return None
    seller, buyer, tax = found
    goods = escrow.kind == "goods" and original.payee_id is not None
    # How it was paid, for an XRechnung's payment instructions (payments.xrechnung).
    sale = original.payee_id is not None  # (Agora's own documents: paid otherwise)
    paid_into = await papers.paid_into(escrow.id) if sale and buyer.country == "DE" else None
    return Facts(invoice, seller, buyer, tax, escrow.reference, preceding, goods, paid_into)


async def _sides(papers: Papers, escrow: Escrow, invoice: Invoice
                 ) -> tuple[Seat, Seat, Tax] | None:
    payer = await papers.account(invoice.payer_id)
    if payer is None:
        return None
    if invoice.kind in ("commission", "charge") and invoice.payee_id is None:
        return _agoras(invoice, payer)
    return await _members(papers, escrow, invoice)


def _agoras(invoice: Invoice, customer: Account) -> tuple[Seat, Seat, Tax] | None:
    """Agora's own service: the commission's treatment as issued (kept in its note), or a
    charge's as its PDF states it."""
    issuer = _issuer()
    buyer = _customer(customer)
    if issuer is None or buyer is None:
        return None
    if invoice.kind == "commission":
        kept = kept_tax(invoice.note)
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
        return _seat(details, person=account)
    return Seat(account.display_name, account.country) if account.country else None


def kept_tax(note: str | None) -> Tax | None:
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


async def _members(papers: Papers, escrow: Escrow, invoice: Invoice
                   ) -> tuple[Seat, Seat, Tax] | None:
    """A sale between members, issued for the seller: only where the category is known. A
    session's price includes the VAT the consultant charges; goods carry it as a line."""
    sale = await _sale(papers, escrow, invoice.payer_id, invoice.payee_id)
    if sale is None:
        return None
    found, ours, theirs = sale
    tax = sale_tax(found, ours.vat_id, Money(invoice.total, invoice.currency),
                   bool(escrow.vat_rate))
    if tax is None:
        return None
    assert invoice.payee_id is not None  # a sale has both parties
    seller, buyer = await papers.account(invoice.payee_id), await papers.account(invoice.payer_id)
    return _seat(ours, invoice.payee_id, seller), _seat(theirs, person=buyer), tax


def sale_tax(found: VatTreatment, seller_vat_id: str | None, total: Money, vat_line: bool
             ) -> Tax | None:
    """A sale's VAT as its e-invoice states it, from its treatment: none when the category is
    not known, or VAT is charged by a seller whose VAT number is gone (BR-S-02). VAT the
    seller charges is part of the price (a session) unless the document has a VAT line of
    its own (`vat_line`: goods whose escrow charged it on top)."""
    if found.category is None:
        return None
    if found.category in (STANDARD, ZERO) and not seller_vat_id:
        return None
    rate = None if found.category == NOT_SUBJECT else (found.rate or Decimal(0))
    included = included_vat(total, found.rate).amount if found.rate and not vat_line else 0
    return Tax(found.category, rate, found.wording, included)
