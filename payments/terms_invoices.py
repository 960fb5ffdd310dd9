"""Invoices on terms: a deal paid on terms (core.deals.pay_terms) is invoiced when its goods
ship, due its net days later, paid by bank transfer with the payment's reference (or by card on
the pay page). What the invoice claims is in the ledger from the day it is issued: the buyer
owes it (`owes`, which may go negative, like the outside world) and the seller is owed it
(`invoiced`); the payment clears both, and so does an invoice cancelled unpaid (with a credit
note). The money itself moves as any escrow's: funded when the transfer arrives, released once
delivery is confirmed."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select, update

from core import said as say
from core.actions import Action, ActionRows
from core.companies.seats import with_role
from core.companies.tables import Company
from core.deals import deals, pay_terms
from core.deals.intents import DealIntent
from core.deals.tables import Deal
from core.i18n import N_, _, dates
from core.money.model import Money, described
from core.notifications.outbox import recipients
from core.payments_port import Actor, TransferView
from core.storage.uow import UnitOfWork
from payments import credit_notes, invoices, ledger
from payments.document_notices import with_receipt
from payments.lines import subject, with_vat
from payments.tables import Escrow, Invoice

KIND = "terms"  # the invoice's kind: an invoice to be paid, not a receipt of a payment
OWES, INVOICED = "owes", "invoiced"  # the ledger accounts of the buyer and the seller
ISSUER = Actor("system:terms", "invoice on terms issued")
PAID = Actor("system:terms", "invoice on terms paid")
CANCELLED = Actor("system:terms", "invoice on terms cancelled unpaid")


def pay_step(deal_id: int) -> ActionRows:
    """The buyer's button to pay an invoice on terms (the deal's pay page)."""
    return [[Action(DealIntent.DEAL_STEP, N_("💳 Pay"), f"{deal_id}:pay")]]


def _claim(escrow: Escrow, sign: int) -> list[tuple[ledger.Ref, Money]]:
    """The legs of the invoice's claim (sign 1) or of clearing it (-1)."""
    amount = Money(escrow.amount, escrow.currency)
    assert escrow.payee_id is not None  # a deal's escrow always has its seller
    return [(ledger.user(escrow.payer_id, OWES, str(escrow.id)), -amount if sign > 0 else amount),
            (ledger.user(escrow.payee_id, INVOICED, str(escrow.id)), amount if sign > 0 else -amount)]


async def invoice_of(uow: UnitOfWork, escrow_id: int) -> Invoice | None:
    """The escrow's invoice on terms, if one was issued."""
    return (await uow.session.execute(select(Invoice).where(
        Invoice.escrow_id == escrow_id, Invoice.kind == KIND))).scalar_one_or_none()


async def issue(uow: UnitOfWork, escrow: Escrow, deal: Deal, bank: TransferView | None
                ) -> Invoice:
    """The invoice of a deal paid on terms, once, as its goods ship: due its net days from
    today, with the account and reference to pay it by; the buyer (and the company's finance)
    get it, the seller hears it went out."""
    journal, new = await ledger.post(uow, f"terms-invoice:{escrow.id}", "invoice",
                                     _claim(escrow, 1), ISSUER,
                                     f"Invoice on terms for {described(escrow.reference)}",
                                     escrow.id)
    if not new:  # issued by another worker a moment ago: told once, by it
        issued = await invoice_of(uow, escrow.id)
        assert issued is not None
        return issued
    due = pay_terms.due_on(uow.clock.now().date(), deal.payment_days or 0)
    await uow.session.execute(update(Deal).where(Deal.id == deal.id).values(payment_due_on=due))
    paid_for = await subject(uow, escrow)
    account = {"holder": bank.holder, "iban": bank.iban, "bic": bank.bic,
               "reference": bank.bank_reference.replace(" ", "")} if bank else {}
    note = json.dumps({"due_on": due.isoformat(), "days": deal.payment_days, **account})
    invoice = await invoices.issue(uow, escrow, journal, KIND,
                                   with_vat(escrow, escrow.amount, paid_for.line), 0, note=note)
    await _tell_issued(uow, escrow, deal, invoice, bank, due)
    return invoice


async def paid(uow: UnitOfWork, escrow: Escrow) -> Invoice | None:
    """A deal on terms was paid (in the funding transaction): the deal marks it paid, and an
    invoice's claim is cleared. The invoice, or None when it was paid before one was issued
    (then none is: the payment's receipt is the document)."""
    deal_id = deals.deal_of(escrow.reference)
    await uow.session.execute(update(Deal).where(
        Deal.id == deal_id, Deal.terms_paid_at.is_(None)).values(terms_paid_at=uow.clock.now()))
    invoice = await invoice_of(uow, escrow.id)
    if invoice is not None:
        await ledger.post(uow, f"terms-paid:{escrow.id}", "invoice", _claim(escrow, -1), PAID,
                          f"Invoice on terms paid for {described(escrow.reference)}", escrow.id)
    return invoice


async def cancelled(uow: UnitOfWork, escrow: Escrow) -> Invoice | None:
    """An invoice cancelled unpaid (its deal refunded before payment): its claim is cleared,
    and a credit note for the whole invoice says so. None when there was no invoice."""
    invoice = await invoice_of(uow, escrow.id)
    if invoice is None:
        return None
    journal, __ = await ledger.post(uow, f"terms-cancelled:{escrow.id}", "invoice",
                                    _claim(escrow, -1), CANCELLED,
                                    f"Invoice on terms cancelled for {described(escrow.reference)}",
                                    escrow.id)
    return await credit_notes.credit(uow, escrow, journal, escrow.amount, invoice, say.said(
        N_("Invoice cancelled unpaid: the deal was refunded")))


def _how_to_pay(reference: str, amount: Money, due: date, bank: TransferView | None) -> str:
    """The buyer's invoice notice: by transfer to the account with the reference, or (with a
    provider that takes no transfers) by card (written for the buyer: “Geschäft #12”)."""
    what = described(reference)
    if bank is None:
        return _("🧾 Your invoice for {what}: {amount}, due on {due}. Pay it by card with the "
                 "Pay button.",
                 what=what, amount=amount, due=dates.day(due))
    return _("🧾 Your invoice for {what}: {amount}, due on {due}. Pay by bank transfer to "
             "{holder}, IBAN {iban}, BIC {bic}, with the reference {reference} — or by card "
             "with Pay.", what=what, amount=amount, due=dates.day(due), holder=bank.holder,
             iban=bank.iban, bic=bank.bic, reference=bank.bank_reference)


async def _tell_issued(uow: UnitOfWork, escrow: Escrow, deal: Deal, invoice: Invoice,
                       bank: TransferView | None, due: date) -> None:
    amount, reference = Money(escrow.amount, escrow.currency), escrow.reference
    await recipients(uow, {escrow.payer_id, deal.seller_id})
    await with_receipt(uow, escrow.payer_id, lambda: _how_to_pay(reference, amount, due, bank),
                       invoice, steps=pay_step(deal.id))
    await with_receipt(uow, deal.seller_id, lambda: _(
        "🧾 The buyer's invoice for {what} went out: {amount}, due on {due}. You are paid once it "
        "is paid and delivery confirmed.", what=described(reference), amount=amount,
        due=dates.day(due)), invoice)
    if deal.company_id is None:
        return
    company = await uow.get(Company, deal.company_id)
    for colleague in await with_role(uow, deal.company_id, "see_all", excluding=escrow.payer_id):
        await with_receipt(uow, colleague, lambda: _(
            "🧾 For {company}: an invoice for {what}, {amount}, due on {due}.",
            company=company.name if company else "—", what=described(reference), amount=amount,
            due=dates.day(due)), invoice)
