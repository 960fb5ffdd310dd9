"""An invoice's PDF (payments.invoices records and numbers it): both parties, the lines, the
VAT treatment and the documents it relates to, written for its reader in their language with
the English beside it; a document that is an EN 16931 e-invoice carries its XML, rendered with
fpdf2."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core import said as say
from core.accounts import billing
from core.accounts.billing import Party
from core.accounts.tables import Account
from core.i18n import N_, bilingual, present
from core.issuer import ISSUER
from core.money.model import Money
from core.money.reading import current_reader, number_locale, reading
from core.storage.uow import UnitOfWork
from payments import einvoice_facts, einvoices, member_sales
from payments.invoices import link, unkept
from payments.lines import line_text
from payments.papers import Papers
from payments.sql_papers import papers_of
from payments.tables import Escrow, Invoice

if TYPE_CHECKING:
    from core.pdf import Document

TITLES = {"payment": N_("Payment receipt"), "payout": N_("Payout statement"),
          "refund": N_("Refund receipt"), "charge": N_("Invoice"),
          "commission": N_("Commission invoice"), "credit_note": N_("Credit note"),
          "terms": N_("Invoice")}
PENDING, RECEIPT = N_("(number pending)"), N_("Receipt")
TOTAL_NET, TOTAL_VAT, TOTAL_GROSS = N_("Total without VAT"), N_("VAT amount"), N_("Total with VAT")
E_INVOICE = N_("This PDF carries its EN 16931 e-invoice (Factur-X). As UBL, the syntax XRechnung "
               "takes: {link}")


async def pdf_of(uow: UnitOfWork | Papers, invoice: Invoice) -> bytes:
    """The invoice as a PDF: number, both parties (their billing details when given; the
    issuer on a commission invoice), line items, commission and total, the VAT treatment, and
    what it relates to (the receipt a credit note credits, a payout's commission invoice);
    written for its reader — the recipient of the notice it goes with, whoever downloads it —
    else for its addressee (the payer; a payout statement's payee): in their language with
    the English beside it, amounts the way they write them. Each party's copy is the same
    document, in that party's words."""
    papers = papers_of(uow)  # what it is drawn from (payments.papers)
    payer = await papers.account(invoice.payer_id)
    payee = await papers.account(invoice.payee_id) if invoice.payee_id else None
    escrow = await papers.escrow(invoice.escrow_id)
    addressee = current_reader() or (payee if invoice.kind == "payout" else payer)
    locale = number_locale(addressee.language, addressee.country) if addressee else "en"
    vat = await vat_line(papers, escrow, invoice, payer)
    # Where Agora knows the VAT category, the document is an EN 16931 e-invoice too: its PDF
    # prints the same net, VAT and total as the XML embedded in it (payments.einvoices).
    facts = await einvoice_facts.facts_of(papers, invoice)
    # A company member's documents name the company, as its e-invoice does (BG-7).
    buyer, seller = await papers.parties(invoice.payer_id, invoice.payee_id)
    # In the addressee's language with the English beside it (English alone for an English
    # reader or no one in particular), amounts in their format.
    # Drawn off the event loop (core.pdf.Document): the thread takes the reading with it.
    with reading(addressee):
        pdf = await asyncio.to_thread(
            render, invoice, buyer, seller if payee else _platform(invoice),
            say.in_both(say.reference(escrow.reference)) if escrow else "",
            escrow.provider == "sandbox" if escrow else False,
            vat=vat, locale=locale, related=await related(papers, invoice),
            totals=einvoices.breakdown(facts) if facts else None)
    if facts is None:
        return pdf
    return await asyncio.to_thread(einvoices.embedded, pdf, einvoices.xml(facts, german=False),
                                   addressee.language if addressee else "en")


def _platform(invoice: Invoice) -> Party:
    """Agora as a party: on its own invoices (commission, a charge), the issuer in full."""
    if invoice.kind not in ("commission", "charge"):
        return billing.PLATFORM
    issuer = ISSUER["issuer"]
    return Party(issuer.name, (issuer.address,), issuer.vat_number)


async def related(papers: Papers, invoice: Invoice) -> list[tuple[str, str]]:
    """The documents this one relates to, as fields: a credit note's receipt and reason, a
    payout statement's commission invoice (in the current reader's words, English beside)."""
    if invoice.kind == "credit_note":
        original = await papers.invoice(invoice.refers_to_id) \
            if invoice.refers_to_id else None
        return credit_fields(invoice, original)
    if invoice.kind == "terms":
        return payment_fields(invoice)
    if invoice.kind == "payout":
        number = await papers.commission_number(invoice.journal_id)
        return [(bilingual("Commission invoice"), number)] if number else []
    return []


def credit_fields(invoice: Invoice, original: Invoice | None) -> list[tuple[str, str]]:
    """What a credit note states besides its lines: the document it credits (kind, number —
    or that it is still being numbered — and date) and why, in the reader's words."""
    credits = say.in_both(say.said(
        N_("{document} {number} of {date}"),
        document=say.said(TITLES.get(original.kind, RECEIPT)),
        number=original.number or say.said(PENDING),
        date=say.day(original.created_at.date()))) if original else "—"
    reason = unkept(invoice.note)
    return [(bilingual("Credits"), credits),
            (bilingual("Reason"), say.in_both(reason) if reason else "—")]


def payment_fields(invoice: Invoice) -> list[tuple[str, str]]:
    """How an invoice on terms is paid, as issued: its due date, net days, account and
    reference (payments.terms_invoices keeps them in its note)."""
    kept = einvoices.payment_terms(invoice)
    if not kept.get("due_on"):
        return []
    return [(bilingual("Due date"), str(kept["due_on"])),
            (bilingual("Payment terms"), say.in_both(say.said(N_("{days} days net"),
                                                              days=kept.get("days") or "—"))),
            (bilingual("Pay to"), f"{kept.get('holder') or ''}\nIBAN {kept.get('iban') or ''}"
                                  f"\nBIC {kept.get('bic') or ''}"),
            (bilingual("Payment reference"), str(kept.get("reference") or ""))]


async def vat_line(papers: Papers, escrow: Escrow | None, invoice: Invoice,
                   buyer: Account | None) -> say.Said | str | None:
    """The document's VAT treatment: a commission invoice's as issued; an Agora charge's from
    its customer's details; a sale's between members (the payer buys, the payee sells: goods
    or a session) when both have given their billing details. None on a payout statement,
    which only moves the seller's money."""
    if invoice.kind == "commission":
        return unkept(invoice.note)
    if invoice.kind == "charge" and invoice.payee_id is None and buyer is not None:
        return einvoice_facts.charge_vat(invoice, buyer).wording
    if invoice.kind == "payout":
        return None
    found = await member_sales.sale_treatment(papers, escrow, invoice.payer_id, invoice.payee_id)
    return found.wording if found else None


def render(invoice: Invoice, payer: Party | str, payee: Party | str, reference: str,
           test_mode: bool, vat: say.Said | str | None = None, locale: str = "en",
           related: Sequence[tuple[str, str]] = (), totals: tuple[int, int] | None = None
           ) -> bytes:
    """The invoice's PDF from its parties (or their names), reference, VAT line (kept words,
    or as written) and related documents: every label and sentence in the current reader's
    language with the English beside it, what people wrote as written. `totals` (net, VAT)
    make it an e-invoice's PDF: printed under the lines, the file archival (PDF/A)."""
    number = invoice.number or bilingual(PENDING)
    from core.pdf import Document  # loaded when drawing (core.pdf)
    doc = Document(f"Agora {number}", footer=f"Agora · {number}", archival=totals is not None)
    doc.heading(f"Agora — {bilingual(TITLES.get(invoice.kind, RECEIPT))} {number}")
    if test_mode:
        doc.paragraph(bilingual("TEST MODE — no real money moved"))
    doc.fields(((bilingual("Date"), present.day(invoice.created_at.date())),
                (bilingual("Reference"), reference), *related))
    _parties(doc, _as_party(payer), _as_party(payee))
    _items(doc, invoice, locale)
    if totals is not None:
        _totals(doc, invoice, totals, locale)
    if vat:
        doc.ln(3)
        doc.fields(((bilingual("VAT"), say.in_both(vat, "\n") if say.is_said(vat) else str(vat)),))
    if totals is not None:
        doc.ln(3)
        doc.paragraph(bilingual(E_INVOICE, sep="\n", link=link(invoice, ubl=True)), size=8,
                      grey=True)
    return doc.render()


def _totals(doc: Document, invoice: Invoice, totals: tuple[int, int], locale: str) -> None:
    """The VAT breakdown an e-invoice states: total without VAT, VAT, total with VAT."""
    net, vat = totals
    rows = ((TOTAL_NET, net), (TOTAL_VAT, vat), (TOTAL_GROSS, net + vat))
    doc.ln(2)
    doc.fields(tuple((bilingual(label), Money(minor, invoice.currency).format(locale))
                     for label, minor in rows))


def _as_party(party: Party | str) -> Party:
    return party if isinstance(party, Party) else Party(party)


def _parties(doc: Document, payer: Party, payee: Party) -> None:
    from core.pdf import BOLD_HEADINGS

    doc.ln(3)
    # Both blocks start at the top of their column (a shorter block was centred beside the
    # longer one, so its first line sat lower than the other's).
    with doc.table(col_widths=(1, 1), line_height=5.5, borders_layout="NONE",
                   headings_style=BOLD_HEADINGS, text_align="LEFT", v_align="TOP") as table:
        table.row((bilingual("Payer"), bilingual("Payee")))
        table.row((payer.block(), payee.block()))
    doc.ln(3)


def _items(doc: Document, invoice: Invoice, locale: str) -> None:
    from core.pdf import BOLD, BOLD_HEADINGS

    def money(amount: int) -> str:
        return Money(int(amount), invoice.currency).format(locale)

    with doc.table(col_widths=(140, 50), text_align=("LEFT", "RIGHT"), line_height=6,
                   headings_style=BOLD_HEADINGS) as table:
        table.row((bilingual("Item"), bilingual("Amount")))
        for line in invoice.lines:
            def words(line: list[Any] = line) -> str:
                return line_text(line, locale)
            table.row((say.side_by_side(words, "\n"), money(line[1])))
        if invoice.commission:
            table.row((bilingual("of which platform commission"), money(invoice.commission)))
        total = table.row()
        credited = invoice.kind == "credit_note"
        total.cell(bilingual("Total credited") if credited else bilingual("Total"), style=BOLD)
        total.cell(money(invoice.total), style=BOLD)
