"""What an issued document tells of itself, below the issuing (payments.invoices) and the
numbering (payments.numbering) that both need it: whom it concerns, where it is downloaded, and
the event that announces it once it has its number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.money.events import DocumentIssued
from core.money.model import Money
from core.storage.uow import UnitOfWork
from payments.tables import Invoice

# Where documents are downloaded: the public URL, set from settings by payments.wiring.
SITE = {"url": "http://127.0.0.1:8000"}


def link(invoice: Invoice, ubl: bool = False) -> str:
    """The invoice's download address (its token is the secret); its e-invoice as UBL."""
    base = f"{SITE['url'].rstrip('/')}/invoices/{invoice.token}"
    return f"{base}.xml?syntax=ubl" if ubl else f"{base}.pdf"


def concerned(invoice: Invoice) -> set[int]:
    """Who an invoice is for: a payout statement (net of commission) is the payee's alone."""
    if invoice.kind == "payout":
        return {invoice.payee_id} - {None}  # type: ignore[return-value]
    return {invoice.payer_id, invoice.payee_id} - {None}  # type: ignore[return-value]


def announce(uow: UnitOfWork, numbered: Sequence[tuple[Any, str]]) -> None:
    """`DocumentIssued` for each document just numbered — (its row as the numbering read it,
    with the escrow's reference; its number) — in the numbering's transaction: what hears it
    (a company's webhooks) hears it once, with the number."""
    for row, number in numbered:
        invoice = Invoice(id=row.id, kind=row.kind, payer_id=row.payer_id,
                          payee_id=row.payee_id, token=row.token)  # read, never stored
        uow.emit(DocumentIssued(row.id, row.kind, row.reference,
                                Money(row.total, row.currency), row.payer_id, row.payee_id,
                                tuple(sorted(concerned(invoice))), number, link(invoice)))
