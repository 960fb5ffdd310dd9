"""What payer and payee are told about each money movement: a receipt's PDF goes to every party
it concerns, with a Receipt button to download it again."""

from __future__ import annotations

from sqlalchemy import select

from core.actions import Action, ActionRows, Intent
from core.money.events import (
    EscrowFunded,
    EscrowReleased,
    PaymentAuthorised,
    PaymentDeclined,
    PaymentSettled,
    PayoutSent,
    PayoutWaiting,
    PromotionCharged,
)
from core.money.model import Money, described
from core.notifications.outbox import notify, recipients
from core.storage.tables import OutboxMessage
from core.storage.uow import UnitOfWork
from payments import invoices
from payments.tables import Escrow, Invoice, PaymentOperation


def _m(escrow: Escrow, amount: int) -> Money:
    return Money(amount, escrow.currency)


def _receipt(invoice: Invoice) -> ActionRows:
    # Numbers are given right after commit, so the button names the invoice by its token.
    return [[Action(Intent.RECEIPT, "🧾 Receipt", invoice.token)]]


async def _with_receipt(uow: UnitOfWork, account_id: int, text: str, invoice: Invoice) -> None:
    """A notice with the invoice's PDF attached (once per person) and its Receipt button, which
    downloads it again."""
    given = uow.session.info.setdefault("receipts-attached", set())
    first = (invoice.token, account_id) not in given
    given.add((invoice.token, account_id))
    row = await notify(uow, account_id, text, buttons=_receipt(invoice),
                       attachment=invoices.attachment(invoice) if first else None)
    if row is not None and row.channel == "email":
        # By email, the receipt email (invoices.email_parties) already carries this PDF.
        row.payload = {k: v for k, v in row.payload.items() if k != "attachments"}


async def _parties(uow: UnitOfWork, escrow: Escrow) -> None:
    # Both parties and their channels in one query, for the receipt emails and the messages.
    await recipients(uow, {escrow.payer_id} | ({escrow.payee_id} if escrow.payee_id else set()))


async def funded(uow: UnitOfWork, escrow: Escrow, journal: int) -> None:
    await _parties(uow, escrow)
    amount = _m(escrow, escrow.amount)
    kind = "charge" if escrow.kind == "charge" else "payment"
    invoice = await invoices.issue(uow, escrow, journal, kind, [(escrow.reference, escrow.amount)], 0)
    held = {"goods": "is held in escrow until delivery is confirmed",
            "session": "is authorised (not charged yet)", "charge": "was charged"}[escrow.kind]
    await _with_receipt(uow, escrow.payer_id,
                        f"✅ Payment of {amount} for {described(escrow.reference)} {held}.", invoice)
    if escrow.payee_id is not None:
        await _with_receipt(uow, escrow.payee_id,
                            f"💰 The buyer's payment of {amount} for {described(escrow.reference)} {held}.",
                            invoice)


async def declined(uow: UnitOfWork, escrow: Escrow, message: str) -> None:
    await notify(uow, escrow.payer_id, f"❌ Payment for {described(escrow.reference)} failed: {message} "
                 "Nothing was charged; you can try again.")


async def released(uow: UnitOfWork, escrow: Escrow, net: Money, commission: Money,
                   journal: int, discount: Money | None = None) -> None:
    await _parties(uow, escrow)
    assert escrow.payee_id is not None
    off = discount or _m(escrow, 0)
    lines = [(f"{described(escrow.reference)}: released from escrow", net.amount),
             ("Platform commission", -commission.amount)]
    if off.amount:
        lines.append((f"Loyalty discount −{off} off the commission", off.amount))
    invoice = await invoices.issue(uow, escrow, journal, "payout", lines, commission.amount)
    told = f"{net} minus {commission} platform commission"
    if off.amount:
        told += f", plus a {off} loyalty discount"
    await _with_receipt(uow, escrow.payee_id, f"💸 {net - commission + off} released to you for "
                        f"{described(escrow.reference)} ({told}).", invoice)
    await notify(uow, escrow.payer_id, f"🔓 Escrow for {described(escrow.reference)} released to the seller.")


async def settled(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation, journal: int) -> None:
    await _parties(uow, escrow)
    refund, to_payee, fee = _m(escrow, op.refund), _m(escrow, op.amount), _m(escrow, op.commission)
    if op.kind == "void":
        await notify(uow, escrow.payer_id, f"↩ The authorisation for {described(escrow.reference)} was "
                     "cancelled; nothing was charged.")
        return
    if op.kind in ("refund", "split"):
        invoice = await invoices.issue(uow, escrow, journal, "refund",
                                       [(f"Refund for {described(escrow.reference)}", op.refund)], 0)
        await _with_receipt(uow, escrow.payer_id,
                            f"↩ {refund} refunded to you for {described(escrow.reference)}.", invoice)
        if op.amount:  # a split: the payee's share message carries the refund receipt
            return await _payee_share(uow, escrow, to_payee, fee, invoice)
        if escrow.payee_id is not None:
            await _with_receipt(uow, escrow.payee_id,
                                f"↩ {refund} refunded to the buyer for {described(escrow.reference)}.",
                                invoice)
        return None
    invoice = await invoices.issue(uow, escrow, journal, "payment",
                                   [(f"{described(escrow.reference)}: session charge", op.amount)],
                                   op.commission)
    await _with_receipt(uow, escrow.payer_id, f"✅ {to_payee} charged for {described(escrow.reference)}"
                        + (f"; {refund} of the authorisation released." if op.refund else "."),
                        invoice)
    await _payee_share(uow, escrow, to_payee, fee, invoice, _m(escrow, escrow.discount))


async def _payee_share(uow: UnitOfWork, escrow: Escrow, gross: Money, fee: Money,
                       invoice: Invoice, off: Money | None = None) -> None:
    off = off or _m(escrow, 0)
    told = f"{gross} minus {fee} platform commission"
    if off.amount:
        told += f", Loyalty discount −{off} off the commission"
    if escrow.payee_id is not None and gross.amount:
        await _with_receipt(uow, escrow.payee_id, f"💸 {gross - fee + off} is yours for "
                            f"{described(escrow.reference)} ({told}).", invoice)


async def paid_out(uow: UnitOfWork, escrow: Escrow, amount: Money, journal: int) -> None:
    await _parties(uow, escrow)
    assert escrow.payee_id is not None
    fee, off = _m(escrow, escrow.commission), _m(escrow, escrow.discount)
    lines = [(f"Payout for {described(escrow.reference)}", amount.amount)]
    if off.amount and escrow.kind == "session":
        # A capture's payout statement, itemised like a release's: charge, commission, discount
        # (the payout is the charge less what the platform keeps).
        gross = escrow.amount - escrow.refunded
        lines = [(f"{described(escrow.reference)}: session charge", gross),
                 ("Platform commission", -(escrow.commission + off.amount)),
                 (f"Loyalty discount −{off} off the commission", off.amount)]
    invoice = await invoices.issue(uow, escrow, journal, "payout", lines, 0)
    after = f"{fee} platform commission" + (f", after a {off} loyalty discount" if off.amount
                                             else "")
    await _with_receipt(uow, escrow.payee_id, f"🏦 Payout of {amount} for "
                        f"{described(escrow.reference)} is on its way (after {after}).", invoice)


async def payout_waits(uow: UnitOfWork, escrow: Escrow) -> None:
    assert escrow.payee_id is not None
    key = f"payout-wait:{escrow.id}"
    if (await uow.session.execute(select(OutboxMessage.id).where(
            OutboxMessage.dedupe_key == key))).first():
        return
    await notify(uow, escrow.payee_id,
                 f"⏳ Your payout for {described(escrow.reference)} is waiting: finish setting up payouts "
                 "to receive it.", buttons=[[Action(Intent.SET_UP_PAYOUTS, "Set up payouts")]],
                 dedupe_key=key)


# --- event handlers: run in the transaction that emitted the event, just before COMMIT --------


async def _escrow(uow: UnitOfWork, escrow_id: int) -> Escrow:
    escrow = await uow.session.get(Escrow, escrow_id)
    assert escrow is not None
    return escrow


async def on_funded(uow: UnitOfWork, event: EscrowFunded | PaymentAuthorised | PromotionCharged
                    ) -> None:
    await funded(uow, await _escrow(uow, event.escrow_id), event.journal_id)


async def on_declined(uow: UnitOfWork, event: PaymentDeclined) -> None:
    await declined(uow, await _escrow(uow, event.escrow_id), event.message)


async def on_released(uow: UnitOfWork, event: EscrowReleased) -> None:
    if not event.journal_id:  # a split's share: told with the split's PaymentSettled
        return
    escrow = await _escrow(uow, event.escrow_id)
    off = event.discount or Money(0, event.net.currency)
    await released(uow, escrow, event.net + event.commission, event.commission + off,
                   event.journal_id, event.discount)


async def on_settled(uow: UnitOfWork, event: PaymentSettled) -> None:
    op = await uow.session.get(PaymentOperation, event.operation_id)
    assert op is not None
    await settled(uow, await _escrow(uow, event.escrow_id), op, event.journal_id)


async def on_paid_out(uow: UnitOfWork, event: PayoutSent) -> None:
    await paid_out(uow, await _escrow(uow, event.escrow_id), event.amount, event.journal_id)


async def on_payout_waiting(uow: UnitOfWork, event: PayoutWaiting) -> None:
    await payout_waits(uow, await _escrow(uow, event.escrow_id))
