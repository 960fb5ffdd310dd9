"""Credit notes: money given back after a payment — a refund in full or in part, a quality
adjustment the seller accepted, a dispute split — is a credit note in its own gap-free series
("CN-2026-000001"), naming the receipt it credits, the amount and why. The receipt itself
never changes."""

from __future__ import annotations

from sqlalchemy import select

from core import said as say
from core.deals.after_sale import quality_report
from core.deals.deals import deal_of
from core.deals.tables import Dispute
from core.i18n import N_
from core.storage.uow import UnitOfWork
from payments import invoices
from payments.lines import subject, with_vat
from payments.tables import Escrow, Invoice, PaymentOperation

# A dispute's outcome, in a credit note's reason.
OUTCOMES = {"refund": N_("refund to the buyer"), "split": N_("part refunded to the buyer")}


async def issue(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation, journal: int) -> Invoice:
    """The credit note of a refund or split, for payer and payee."""
    return await credit(uow, escrow, journal, op.refund, await receipt_of(uow, escrow),
                        await reason(uow, escrow, op))


async def credit(uow: UnitOfWork, escrow: Escrow, journal: int, amount: int,
                 original: Invoice | None, why: say.Said) -> Invoice:
    """A credit note of `amount` minor units of what the escrow holds (with the VAT in it),
    naming the document it credits and why."""
    credited = await subject(uow, escrow)
    lines = with_vat(escrow, amount, lambda minor: credited.line(minor, N_("Credited: {what}")))
    return await invoices.issue(uow, escrow, journal, "credit_note", lines, 0,
                                refers_to_id=original.id if original else None,
                                note=invoices.kept(why))


async def receipt_of(uow: UnitOfWork, escrow: Escrow) -> Invoice | None:
    """The payment receipt (or invoice on terms) an escrow's credit notes refer to."""
    return (await uow.session.execute(select(Invoice).where(
        Invoice.escrow_id == escrow.id, Invoice.kind.in_(("payment", "charge", "terms")))
        .order_by(Invoice.id).limit(1))).scalar()


async def reason(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation) -> say.Said:
    """Why the money went back, kept to be said in the reader's words: the dispute's decision
    (the admin's words as written), the quality adjustment, or a refund in full or in part."""
    deal_id = deal_of(escrow.reference)
    if deal_id is not None:
        dispute = (await uow.session.execute(select(Dispute).where(
            Dispute.deal_id == deal_id, Dispute.outcome.in_(("refund", "split"))))).scalar()
        if dispute is not None:
            outcome = say.said(OUTCOMES[dispute.outcome or "refund"])
            if dispute.decision:
                return say.said(N_("Dispute decided: {outcome} — {decision}"), outcome=outcome,
                                decision=dispute.decision)
            return say.said(N_("Dispute decided: {outcome}"), outcome=outcome)
        if op.kind == "split" and await quality_report.accepted_refund(uow, deal_id):
            return say.said(N_("Quality adjustment accepted by the seller after the buyer's "
                               "quality report"))
    if escrow.kind == "package":
        return say.said(N_("Unused sessions of the package, refunded at its expiry by its "
                           "refund rule"))
    if op.kind == "split" or escrow.refunded < escrow.amount:
        return say.said(N_("Partial refund of the payment"))
    return say.said(N_("Refund of the full payment"))
