"""Invoices and receipts: sequential numbers guarded in the database, PDFs rendered with fpdf2."""

from __future__ import annotations

import logging
import secrets

from fpdf import FPDF
from sqlalchemy import or_, select

from core.errors import NotFound
from core.money.model import Money
from core.notifications.outbox import enqueue_email
from core.storage.tables import Account
from core.storage.uow import UnitOfWork
from payments import numbering
from payments.tables import Escrow, Invoice

# Where receipts are downloaded: the public URL, set from settings by payments.wiring.
SITE = {"url": "http://127.0.0.1:8000"}
log = logging.getLogger(__name__)
TITLES = {"payment": "Payment receipt", "payout": "Payout statement", "refund": "Refund receipt",
          "charge": "Invoice"}


async def issue(uow: UnitOfWork, escrow: Escrow, journal_id: int, kind: str,
                lines: list[tuple[str, int]], commission: int) -> Invoice:
    """Record an invoice for a new journal (one per journal); it is numbered right after commit."""
    now = uow.clock.now()
    invoice = Invoice(number=None, journal_id=journal_id, escrow_id=escrow.id, kind=kind,
                      payer_id=escrow.payer_id, payee_id=escrow.payee_id, currency=escrow.currency,
                      lines=[[text, amount] for text, amount in lines], commission=commission,
                      total=sum(amount for _, amount in lines), token=secrets.token_urlsafe(16),
                      created_at=now)
    uow.add(invoice)
    await email_parties(uow, invoice)
    sibling = uow.sibling()
    uow.then("number-invoices", lambda: numbering.after_commit(sibling))  # numbered after commit
    return invoice


def link(invoice: Invoice) -> str:
    """The invoice's download address (its token is the secret)."""
    return f"{SITE['url'].rstrip('/')}/invoices/{invoice.token}.pdf"


def attachment(invoice: Invoice) -> dict[str, str]:
    """The outbox's reference to the invoice's PDF, rendered when the message leaves
    (`payments.receipts`), so a receipt sent before numbering still carries its number."""
    return {"kind": "invoice", "key": invoice.token}


def concerned(invoice: Invoice) -> set[int]:
    """Who an invoice is for: a payout statement (net of commission) is the payee's alone."""
    if invoice.kind == "payout":
        return {invoice.payee_id} - {None}  # type: ignore[return-value]
    return {invoice.payer_id, invoice.payee_id} - {None}  # type: ignore[return-value]


async def email_parties(uow: UnitOfWork, invoice: Invoice) -> None:
    """Email the parties it concerns (those with a verified address) the receipt as a PDF
    attachment, with its download link in the text."""
    title = TITLES.get(invoice.kind, "Receipt")
    for account_id in concerned(invoice):
        account = await uow.session.get(Account, account_id)
        if account is None or not (account.email and account.email_verified_at):
            continue
        await enqueue_email(uow, account_id, account.email, subject=f"Agora: {title}",
                            body=f"Your {title.lower()} ({Money(invoice.total, invoice.currency)}) "
                                 f"is ready: {link(invoice)}",
                            dedupe_key=f"invoice:{invoice.token}:{account_id}",
                            attachment=attachment(invoice))


async def find(uow: UnitOfWork, key: str, by_token: bool = False) -> Invoice:
    """An invoice by its secret token, or (chat) by its number or token."""
    where = Invoice.token == key if by_token else or_(Invoice.number == key, Invoice.token == key)
    invoice = (await uow.session.execute(select(Invoice).where(where))).scalar_one_or_none()
    if invoice is None:
        raise NotFound("There is no such invoice.")
    return invoice


async def pdf_of(uow: UnitOfWork, invoice: Invoice) -> bytes:
    """The invoice as a PDF: number, both parties, line items, commission and total."""
    payer = await uow.session.get(Account, invoice.payer_id)
    payee = await uow.session.get(Account, invoice.payee_id) if invoice.payee_id else None
    escrow = await uow.session.get(Escrow, invoice.escrow_id)
    return render(invoice, _party(payer), _party(payee) if payee else "Agora (platform)",
                  escrow.reference if escrow else "", escrow.provider == "sandbox" if escrow else False)


def _party(account: Account | None) -> str:
    if account is None:
        return "—"
    return ", ".join(p for p in (account.display_name, account.company, account.email) if p)


def render(invoice: Invoice, payer: str, payee: str, reference: str, test_mode: bool) -> bytes:
    pdf = FPDF()
    number = invoice.number or "(number pending)"
    pdf.set_title(f"Agora {number}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, f"Agora - {TITLES.get(invoice.kind, 'Receipt')} {number}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    if test_mode:
        pdf.cell(0, 6, "TEST MODE - no real money moved", new_x="LMARGIN", new_y="NEXT")
    for label, value in (("Date", invoice.created_at.date().isoformat()), ("Payer", payer),
                         ("Payee", payee), ("Reference", reference)):
        pdf.cell(0, 6, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(140, 50), text_align=("LEFT", "RIGHT")) as table:
        table.row(("Item", "Amount"))
        for text, amount in invoice.lines:
            table.row((_latin(str(text)), _money(int(amount), invoice.currency)))
        if invoice.commission:
            table.row(("of which platform commission", _money(invoice.commission, invoice.currency)))
        table.row(("Total", _money(invoice.total, invoice.currency)))
    return bytes(pdf.output())


def _money(amount: int, currency: str) -> str:
    return f"{Money(amount, currency).decimal} {currency}"


def _latin(text: str) -> str:
    # The core PDF fonts cover Latin-1 only; other characters become "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")
