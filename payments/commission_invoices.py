"""The commission invoice: with each payout, the platform's commission is invoiced by Agora
(the issuer) to the payee — seller or consultant — in its own series ("CI-2026-000001"), with
the VAT treatment of a service (`core.accounts.service_vat`). A document only: the ledger
booked the commission at release or capture and is not touched here."""

from __future__ import annotations

from typing import Any

from core.accounts import billing
from core.accounts.service_vat import ServiceVat, commission_vat
from core.i18n import N_
from core.issuer import ISSUER
from core.money.model import Money
from core.notifications.outbox import account_of
from core.storage.uow import UnitOfWork
from payments import invoices
from payments.lines import VAT_LINE, Subject, said_line, subject
from payments.tables import Escrow, Invoice


async def issue(uow: UnitOfWork, escrow: Escrow, journal: int) -> Invoice | None:
    """The payout's commission invoice to the payee (none when no commission was kept); the
    same payout again gets the invoice already issued."""
    kept = Money(escrow.commission, escrow.currency)  # what the money layer kept, after any discount
    if escrow.payee_id is None or kept.amount <= 0:
        return None
    payee = await account_of(uow, escrow.payee_id)  # told of the payout in this transaction
    details = billing.from_account(payee) if payee else None
    country = details.country if details else (payee.country if payee else None)
    issuer = ISSUER["issuer"]
    vat = commission_vat(issuer.country, issuer.vat_rate, country,
                         details.vat_id if details else None, kept)
    lines, note = commission_document(vat, await subject(uow, escrow))
    return await invoices.issue(uow, escrow, journal, "commission", lines, 0,
                                payer_id=escrow.payee_id, payee_id=None, note=note)


def commission_document(vat: ServiceVat, paid_for: Subject) -> tuple[list[Any], str]:
    """A commission invoice's lines (the commission net of VAT, and the VAT it includes when
    Agora charges any) and its note. The payee pays the commission: the payer of this
    document, Agora its payee. The note keeps the VAT treatment as issued, to be printed in
    the reader's language, and its EN 16931 category and rate for the e-invoice
    (payments.einvoices)."""
    lines: list[Any] = [paid_for.line(vat.net.amount, N_("Platform commission: {what}"))]
    if vat.vat.amount:
        lines.append(said_line(vat.vat.amount, VAT_LINE, rate=f"{vat.rate.normalize():f}"))
    note = {**vat.wording, "tax": {"category": vat.category, "rate": f"{vat.rate.normalize():f}"}}
    return lines, invoices.kept(note)
