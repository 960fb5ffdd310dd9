"""What payer and payee are told as money leaves escrow (payments.notices tells them it came
in): released to the payee, refunded, split or captured, paid out with its statement, or a
payout waiting for the payee's details."""

from __future__ import annotations

from typing import Any

from core import said as say
from core.actions import Action
from core.consulting.bookings.moves import booking_of
from core.i18n import N_, _
from core.money.events import EscrowReleased, PaymentSettled, PayoutSent, PayoutWaiting
from core.money.intents import MoneyIntent
from core.money.model import Money, described
from core.notifications.outbox import addressed_to, notify, queued
from core.storage.uow import UnitOfWork
from payments import commission_invoices, credit_notes, invoices
from payments.document_notices import with_receipt
from payments.lines import Subject, said_line, subject
from payments.notices import _escrow, _m, _parties
from payments.tables import Escrow, Invoice, PaymentOperation

# What the payee hears when the payer was refunded: whole sentences, by kind (who pays, in the
# market's words: a session has a seeker, not a buyer).
REFUNDED_PAYEE = {"goods": N_("↩ {amount} refunded to the buyer for {what}."),
                  "session": N_("↩ {amount} refunded to the seeker for {what}."),
                  "package": N_("↩ {amount} refunded to the seeker for {what}.")}
REFUNDED_PAYER = N_("↩ {amount} refunded to the payer for {what}.")


async def released(uow: UnitOfWork, escrow: Escrow, net: Money, commission: Money,
                   journal: int, discount: Money | None = None) -> None:
    """The payee hears what was released to them; the payout statement is the payout's (one
    payout, one statement), so none is issued here. (A forfeited deposit's why is told by the
    deal's side: core.deals.requests.bid_deposits.)"""
    await _parties(uow, escrow)
    assert escrow.payee_id is not None
    if escrow.kind == "deposit":
        async with addressed_to(uow, escrow.payee_id):
            await notify(uow, escrow.payee_id, _("💸 {amount} of {what} released to you.",
                                                 amount=net, what=described(escrow.reference)))
        return
    off = discount or _m(escrow, 0)

    def told() -> str:
        if off.amount:
            return _("💸 {total} released to you for {what} ({net} minus {commission} platform "
                     "commission, plus a {off} loyalty discount). The payout statement comes with "
                     "the payout.", total=net - commission + off, what=described(escrow.reference),
                     net=net, commission=commission, off=off)
        return _("💸 {total} released to you for {what} ({net} minus {commission} platform "
                 "commission). The payout statement comes with the payout.",
                 total=net - commission + off, what=described(escrow.reference), net=net,
                 commission=commission)
    await with_receipt(uow, escrow.payee_id, told, None)
    async with addressed_to(uow, escrow.payer_id):
        if escrow.kind == "package":  # a session of the package was used
            await notify(uow, escrow.payer_id, _("🔓 {what}: {amount} of your package paid to "
                                                 "the consultant.", amount=net,
                                                 what=described(escrow.reference)))
            return
        await notify(uow, escrow.payer_id, _("🔓 Escrow for {what} released to the seller.",
                                             what=described(escrow.reference)))


async def settled(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation, journal: int) -> None:
    await _parties(uow, escrow)
    refund, to_payee, fee = _m(escrow, op.refund), _m(escrow, op.amount), _m(escrow, op.commission)
    if op.kind == "void":
        if escrow.kind == "session" and booking_of(escrow.reference) is not None:
            return  # the session's or booking's own notice already says nothing is charged
        async with addressed_to(uow, escrow.payer_id):
            await notify(uow, escrow.payer_id, _("↩ The authorisation for {what} was cancelled; "
                                                 "nothing was charged.", what=described(escrow.reference)))
        return
    if op.kind == "refund" and escrow.kind == "deposit":  # no receipt was issued: nothing to credit
        async with addressed_to(uow, escrow.payer_id):
            await notify(uow, escrow.payer_id, _("↩ {amount} refunded to you for {what}.",
                                                 amount=refund, what=described(escrow.reference)))
        return None
    if op.kind in ("refund", "split"):
        invoice = await credit_notes.issue(uow, escrow, op, journal)
        await with_receipt(uow, escrow.payer_id,
                            lambda: _("↩ {amount} refunded to you for {what}.", amount=refund,
                                      what=described(escrow.reference)), invoice)
        if op.amount:  # a split: the payee's share message carries the refund receipt
            return await _payee_share(uow, escrow, to_payee, fee, invoice)
        if escrow.payee_id is not None:
            await with_receipt(uow, escrow.payee_id,
                                lambda: _(REFUNDED_PAYEE.get(escrow.kind, REFUNDED_PAYER), amount=refund,
                                          what=described(escrow.reference)),
                                invoice)
        return None
    invoice = await invoices.issue(uow, escrow, journal, "payment",
                                   [(await subject(uow, escrow)).line(op.amount)], op.commission)
    await with_receipt(uow, escrow.payer_id, lambda: _(
        "✅ {amount} charged for {what}; {refund} of the authorisation released.", amount=to_payee,
        what=described(escrow.reference), refund=refund) if op.refund else _(
        "✅ {amount} charged for {what}.", amount=to_payee, what=described(escrow.reference)),
                        invoice)
    await _payee_share(uow, escrow, to_payee, fee, invoice, _m(escrow, escrow.discount))


async def _payee_share(uow: UnitOfWork, escrow: Escrow, gross: Money, fee: Money,
                       invoice: Invoice, off: Money | None = None) -> None:
    off = off or _m(escrow, 0)

    def told() -> str:
        if off.amount:
            return _("💸 {total} is yours for {what} ({gross} minus {fee} platform commission, "
                     "Loyalty discount −{off} off the commission).", total=gross - fee + off,
                     what=described(escrow.reference), gross=gross, fee=fee, off=off)
        return _("💸 {total} is yours for {what} ({gross} minus {fee} platform commission).",
                 total=gross - fee + off, what=described(escrow.reference), gross=gross, fee=fee)
    if escrow.payee_id is not None and gross.amount:
        await with_receipt(uow, escrow.payee_id, told, invoice)


async def paid_out(uow: UnitOfWork, escrow: Escrow, amount: Money, journal: int) -> None:
    """The payout's one statement: what was released or charged, the commission once, any
    loyalty discount, and the amount paid out as its total."""
    await _parties(uow, escrow)
    assert escrow.payee_id is not None
    invoice = await invoices.issue(uow, escrow, journal, "payout",
                                   statement_lines(escrow, await subject(uow, escrow)), 0)
    fee, off = _m(escrow, escrow.commission), _m(escrow, escrow.discount)

    def told() -> str:
        if off.amount:
            return _("🏦 Payout of {amount} for {what} is on its way (after {fee} platform commission, "
                     "after a {off} loyalty discount).", amount=amount,
                     what=described(escrow.reference), fee=fee, off=off)
        return _("🏦 Payout of {amount} for {what} is on its way (after {fee} platform commission).",
                 amount=amount, what=described(escrow.reference), fee=fee)
    await with_receipt(uow, escrow.payee_id, told, invoice)
    billed = await commission_invoices.issue(uow, escrow, journal)
    if billed is not None:
        await with_receipt(uow, escrow.payee_id, lambda: _(
            "🧾 Agora's invoice for the {fee} platform commission on {what}.", fee=fee,
            what=described(escrow.reference)), billed)


def statement_lines(escrow: Escrow, paid_for: Subject) -> list[tuple[Any, ...]]:
    """A payout statement's lines: the payee's gross (a goods escrow released, or a session's
    charge), the full commission, and the loyalty discount that came off it; they sum to the
    payout (the escrow's commission is what the platform kept)."""
    said = {"goods": N_("{what}: released from escrow"),
            "deposit": N_("{what}: forfeited to you")}.get(escrow.kind, N_("{what}: session charge"))
    lines = [paid_for.line(escrow.amount - escrow.refunded, said),
             said_line(-(escrow.commission + escrow.discount), N_("Platform commission"))]
    if escrow.discount:
        lines.append(said_line(escrow.discount, N_("Loyalty discount −{amount} off the commission"),
                               amount=say.money(_m(escrow, escrow.discount))))
    return lines


async def payout_waits(uow: UnitOfWork, escrow: Escrow) -> None:
    assert escrow.payee_id is not None
    key = f"payout-wait:{escrow.id}"
    if await queued(uow, key):
        return
    async with addressed_to(uow, escrow.payee_id):
        await notify(uow, escrow.payee_id,
                     _("⏳ Your payout for {what} is waiting: finish setting up payouts to receive it.",
                       what=described(escrow.reference)),
                     buttons=[[Action(MoneyIntent.SET_UP_PAYOUTS, N_("Set up payouts"))]], dedupe_key=key)


# --- event handlers: run in the transaction that emitted the event, just before COMMIT --------


async def on_released(uow: UnitOfWork, event: EscrowReleased) -> None:
    if not event.journal_id:  # a split's share: told with the split's PaymentSettled
        return
    escrow = await _escrow(uow, event.escrow_id)
    off = event.discount or Money(0, event.net.currency)
    await released(uow, escrow, event.net + event.commission, event.commission + off,
                   event.journal_id, event.discount)


async def on_settled(uow: UnitOfWork, event: PaymentSettled) -> None:
    op = await uow.get(PaymentOperation, event.operation_id)
    assert op is not None
    await settled(uow, await _escrow(uow, event.escrow_id), op, event.journal_id)


async def on_paid_out(uow: UnitOfWork, event: PayoutSent) -> None:
    await paid_out(uow, await _escrow(uow, event.escrow_id), event.amount, event.journal_id)


async def on_payout_waiting(uow: UnitOfWork, event: PayoutWaiting) -> None:
    await payout_waits(uow, await _escrow(uow, event.escrow_id))
