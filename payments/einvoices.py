"""EN 16931 e-invoices: the machine-readable twin of a document Agora issues, written with the
factur-x library — Cross Industry Invoice XML embedded in the PDF (Factur-X / ZUGFeRD, profile
EN 16931), or on request the same invoice as CII or UBL 2.1: for a buyer in Germany an
XRechnung (payments.xrechnung) once what it asks beyond EN 16931 is known.

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
from datetime import date
from typing import Any

from stdnum import iban

from core import said as say
from core.money.model import Money
from payments import xrechnung
from payments.einvoice_facts import Facts, Tax
from payments.lines import VAT_LINE, line_text
from payments.tables import Invoice

SPECIFICATION = "urn:cen.eu:en16931:2017"
TYPE_CODES = {"credit_note": "381"}  # any other document: 380, a commercial invoice


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


def xml(facts: Facts, syntax: str = "cii", german: bool = True) -> bytes:
    """The invoice as CII or UBL 2.1, checked against its XML schema: XRechnung for a German
    buyer once it can be written (payments.xrechnung; `german` False: EN 16931 as the Factur-X
    PDF embeds it), else EN 16931."""
    from facturx import generate_xml  # loaded when an e-invoice is drawn

    document = data(facts)
    cius = german and xrechnung.applies(facts) and not xrechnung.missing(facts)
    if cius:
        document = xrechnung.cius(document, facts)
    flavor = "ubl-2.1" if syntax == "ubl" else "factur-x"
    written = generate_xml(document, flavor=flavor, level="en16931", check_xsd=True,
                           check_schematron=False)
    if not cius:
        return written
    # factur-x writes the EN 16931 identifier of its level; XRechnung's extends it (BT-24).
    return written.replace(f">{SPECIFICATION}</".encode(),
                           f">{xrechnung.SPECIFICATION}</".encode(), 1)


def embedded(pdf: bytes, cii: bytes, language: str | None) -> bytes:
    """The PDF as Factur-X: PDF/A-3 with the CII XML attached as factur-x.xml (`language`:
    the PDF's, if known)."""
    from facturx import generate_from_binary

    return generate_from_binary(pdf, cii, flavor="factur-x", level="en16931",
                                check_xsd=False, lang=language)
