"""Credit notes: money given back after a payment — a refund in full or in part, a quality
adjustment the seller accepted, a dispute split — is a credit note in its own gap-free series
("CN-2026-000001"), naming the receipt it credits, the amount and why. The receipt itself
never changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import said as say
from core.deals.after_sale import quality_report
from core.deals.deals import deal_of
from core.deals.tables import Dispute
from core.i18n import N_
from core.storage.uow import UnitOfWork
from payments import invoices
from payments.lines import Subject, subject, with_vat
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
    lines = credit_lines(escrow, amount, await subject(uow, escrow))
    return await invoices.issue(uow, escrow, journal, "credit_note", lines, 0,
                                refers_to_id=original.id if original else None,
                                note=invoices.kept(why))


async def receipt_of(uow: UnitOfWork, escrow: Escrow) -> Invoice | None:
    """The payment receipt (or invoice on terms) an escrow's credit notes refer to."""
    return (await uow.session.execute(select(Invoice).where(
        Invoice.escrow_id == escrow.id, Invoice.kind.in_(("payment", "charge", "terms")))
        .order_by(Invoice.id).limit(1))).scalar()


def credit_lines(escrow: Escrow, amount: int, credited: Subject) -> list[tuple[Any, ...]]:
    """A credit note's lines: `amount` minor units credited, split into the price and the VAT
    it includes when the escrow charged VAT (they sum to `amount`)."""
    return with_vat(escrow, amount, lambda minor: credited.line(minor, N_("Credited: {what}")))


async def reason(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation) -> say.Said:
    """Why the money went back (refund_reason), from the deal's dispute and quality report."""
    deal_id = deal_of(escrow.reference)
    dispute, accepted = None, False
    if deal_id is not None:
        found = (await uow.session.execute(select(Dispute).where(
            Dispute.deal_id == deal_id, Dispute.outcome.in_(("refund", "split"))))).scalar()
        if found is not None:
            dispute = (found.outcome or "refund", found.decision)
        elif op.kind == "split":
            accepted = bool(await quality_report.accepted_refund(uow, deal_id))
    return refund_reason(escrow.kind, op.kind == "split", escrow.refunded < escrow.amount,
                         dispute, accepted)


def refund_reason(kind: str, split: bool, partial: bool,
                  dispute: tuple[str, str | None] | None = None,
                  quality_accepted: bool = False) -> say.Said:
    """Why the money went back, kept to be said in the reader's words: the dispute's decision
    (its outcome, and the admin's words as written), the quality adjustment the seller
    accepted (a split), a package's unused sessions, or a refund in part or in full."""
    if dispute is not None:
        outcome = say.said(OUTCOMES[dispute[0]])
        if dispute[1]:
            return say.said(N_("Dispute decided: {outcome} — {decision}"), outcome=outcome,
                            decision=dispute[1])
        return say.said(N_("Dispute decided: {outcome}"), outcome=outcome)
    if split and quality_accepted:
        return say.said(N_("Quality adjustment accepted by the seller after the buyer's "
                           "quality report"))
    if kind == "package":
        return say.said(N_("Unused sessions of the package, refunded at its expiry by its "
                           "refund rule"))
    if split or partial:
        return say.said(N_("Partial refund of the payment"))
    return say.said(N_("Refund of the full payment"))
