"""What a payer hears about bank transfers: a payment not complete yet, a transfer too large,
money sent back when a payment closed unpaid. Written in the transaction that recorded it."""

from __future__ import annotations

from sqlalchemy import select

from core.actions import Action
from core.i18n import N_, _
from core.money.events import TransferOverpaid, TransferShort, TransfersReturned
from core.money.intents import MoneyIntent
from core.money.model import described
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork
from payments import transfer_accounts, transfer_rules
from payments.escrow_rows import load
from payments.tables import IncomingTransfer
from payments.transfer_matching import CRYPTO_PREFIX


async def on_short(uow: UnitOfWork, event: TransferShort) -> None:
    escrow = await load(uow, event.escrow_id)
    own = await transfer_accounts.stored(uow, escrow.id)  # the provider's, where it gave one
    reference = own.reference if own is not None else transfer_rules.shown_for(escrow.id)
    buttons = [[Action(MoneyIntent.PAY_BY_TRANSFER, N_("🏦 Transfer details"), str(escrow.id))]]
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "🏦 {received} arrived by bank transfer for {what}; {missing} is still missing. "
            "Send it with the same reference, {reference}.", received=event.received,
            what=described(escrow.reference), missing=event.missing, reference=reference),
            buttons=buttons)


async def on_overpaid(uow: UnitOfWork, event: TransferOverpaid) -> None:
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "🏦 Your transfer for {what} was {back} more than the payment; the payment is "
            "made and the {back} is being returned to your account.", back=event.back,
            what=described(escrow.reference)))


async def on_returned(uow: UnitOfWork, event: TransfersReturned) -> None:
    escrow = await load(uow, event.escrow_id)
    in_crypto = (await uow.session.execute(select(IncomingTransfer.id).where(
        IncomingTransfer.escrow_id == escrow.id, IncomingTransfer.outcome == "returned",
        IncomingTransfer.bank_ref.startswith(CRYPTO_PREFIX)).limit(1))).scalar() is not None
    async with addressed_to(uow, event.payer_id):
        if in_crypto:  # paid (in part) in crypto: it goes back where the payer claims it
            text = _("↩ The payment for {what} was closed before it was complete, so the "
                     "{amount} that arrived is being returned to you.", amount=event.amount,
                     what=described(escrow.reference))
        else:
            text = _("↩ The payment for {what} was closed before it was complete, so the "
                     "{amount} you transferred is being returned to your account.",
                     amount=event.amount, what=described(escrow.reference))
        await notify(uow, event.payer_id, text)
