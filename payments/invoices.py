"""Invoices and receipts: recorded once per journal, numbered after commit (payments.numbering),
emailed to the parties they concern and found by their token; their PDFs: payments.invoice_pdf."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, or_, select

from core import said as say
from core.errors import NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import account_of, addressed_to, document_made, enqueue_email
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from payments import ledger, numbering
from payments.issued import concerned, link
from payments.tables import Escrow, Invoice

log = logging.getLogger(__name__)
# The email that carries a document, by its kind: its subject and its text.
SUBJECTS = {"payment": N_("Agora: Payment receipt"), "payout": N_("Agora: Payout statement"),
            "refund": N_("Agora: Refund receipt"), "charge": N_("Agora: Invoice"),
            "commission": N_("Agora: Commission invoice"), "credit_note": N_("Agora: Credit note"),
            "terms": N_("Agora: Invoice")}
READY = {"payment": N_("Your payment receipt ({amount}) is ready: {link}"),
         "payout": N_("Your payout statement ({amount}) is ready: {link}"),
         "refund": N_("Your refund receipt ({amount}) is ready: {link}"),
         "charge": N_("Your invoice ({amount}) is ready: {link}"),
         "commission": N_("Your commission invoice ({amount}) is ready: {link}"),
         "credit_note": N_("Your credit note ({amount}) is ready: {link}"),
         "terms": N_("Your invoice ({amount}) is ready: {link}")}
_INSERT = insert(table_of(Invoice)).returning(table_of(Invoice).c.id)


async def issue(uow: UnitOfWork, escrow: Escrow, journal_id: int, kind: str,
                lines: Sequence[Sequence[Any]], commission: int, **about: Any) -> Invoice:
    """Record a document of a journal (one of each kind: the same event again gets the one
    already issued); it is numbered right after commit. A line is (text, minor units) or,
    naming goods, (text, minor units, detail): `payments.lines`. `about` may name other
    parties (`payer_id`, `payee_id`), the document credited (`refers_to_id`) and a `note`."""
    issued = None if ledger.posted_here(uow, journal_id) else (await uow.session.execute(
        select(Invoice).where(Invoice.journal_id == journal_id, Invoice.kind == kind)
    )).scalar_one_or_none()
    if issued is not None:
        return issued
    row = {"number": None, "journal_id": journal_id, "escrow_id": escrow.id, "kind": kind,
           "payer_id": escrow.payer_id, "payee_id": escrow.payee_id, "currency": escrow.currency,
           "lines": [list(line) for line in lines], "commission": commission,
           "total": sum(int(line[1]) for line in lines), "token": secrets.token_urlsafe(16),
           "created_at": uow.clock.now(), "refers_to_id": None, "note": None, **about}
    # Written at once on the transaction's connection (an append-only row: no unit-of-work
    # bookkeeping at flush); the caller gets the row as a value.
    invoice_id = (await (await uow.core()).execute(_INSERT, row)).scalar_one()
    invoice = Invoice(id=invoice_id, **row)
    document_made(uow, attachment(invoice))
    await email_parties(uow, invoice)
    sibling = uow.sibling()
    uow.then("number-invoices", lambda: numbering.after_commit(sibling))  # numbered after commit
    return invoice


def attachment(invoice: Invoice) -> dict[str, str]:
    """The outbox's reference to the invoice's PDF, rendered when the message leaves
    (`payments.receipts`), so a receipt sent before numbering still carries its number."""
    return {"kind": "invoice", "key": invoice.token}


async def email_parties(uow: UnitOfWork, invoice: Invoice) -> None:
    """Email the parties it concerns (those with a verified address) the receipt as a PDF
    attachment, with its download link in the text."""
    for account_id in concerned(invoice):
        account = await account_of(uow, account_id)
        if account is None or not (account.email and account.email_verified_at):
            continue
        async with addressed_to(uow, account_id):
            await enqueue_email(
                uow, account_id, account.email,
                subject=_(SUBJECTS.get(invoice.kind, N_("Agora: Receipt"))),
                body=_(READY.get(invoice.kind, N_("Your receipt ({amount}) is ready: {link}")),
                       amount=Money(invoice.total, invoice.currency), link=link(invoice)),
                dedupe_key=f"invoice:{invoice.token}:{account_id}", attachment=attachment(invoice))


async def find(uow: UnitOfWork, key: str, by_token: bool = False) -> Invoice:
    """An invoice by its secret token, or (chat) by its number or token."""
    where = Invoice.token == key if by_token else or_(Invoice.number == key, Invoice.token == key)
    invoice = (await uow.session.execute(select(Invoice).where(where))).scalar_one_or_none()
    if invoice is None:
        raise NotFound(_("There is no such invoice."))
    return invoice


async def of_reference(uow: UnitOfWork, reference: str) -> list[Invoice]:
    """Every document issued for the escrow named `reference` ("deal:12"), oldest first."""
    return list((await uow.session.execute(
        select(Invoice).join(Escrow, Invoice.escrow_id == Escrow.id)
        .where(Escrow.reference == reference).order_by(Invoice.id))).scalars())


def kept(wording: say.Said) -> str:
    """A note that says something (a credit note's reason, a commission invoice's VAT
    treatment), kept as JSON so each reader gets it in their own words (core.said)."""
    return json.dumps(wording, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def unkept(note: str | None) -> say.Said | str | None:
    """A note as `kept` wrote it; an older note (English words) as it is."""
    if note and note.startswith("{"):
        try:
            wording = json.loads(note)
        except ValueError:
            return note
        return wording if say.is_said(wording) else note
    return note
