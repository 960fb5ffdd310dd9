"""What a payer hears about paying in crypto: a payment not complete yet, a payment too large
or too late, an invoice that stopped taking payments, and where to claim money going back.
Written in the transaction that recorded it (a payment held in escrow is told as any payment:
payments.notices)."""

from __future__ import annotations

import hashlib

from core.actions import Action
from core.i18n import N_, _
from core.money.events import (
    CryptoInvoiceClosed,
    CryptoLate,
    CryptoOverpaid,
    CryptoPaymentSeen,
    CryptoReturnClaimable,
    CryptoShort,
)
from core.money.intents import MoneyIntent
from core.money.model import described
from core.notifications.outbox import addressed_to, notify, queued
from core.storage.uow import UnitOfWork
from payments.escrow_rows import load

PAY_REST = N_("🪙 Pay the rest in crypto")


async def on_seen(uow: UnitOfWork, event: CryptoPaymentSeen) -> None:
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "🪙 Your crypto payment of {amount} for {what} is on its way and waits for its "
            "confirmations; you are told as soon as it counts.", amount=event.confirming,
            what=described(escrow.reference)))


async def on_short(uow: UnitOfWork, event: CryptoShort) -> None:
    escrow = await load(uow, event.escrow_id)
    buttons = [[Action(MoneyIntent.PAY_BY_CRYPTO, PAY_REST, str(escrow.id))]]
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "🪙 {received} arrived in crypto for {what}; {missing} is still due. The payment "
            "is made once it has arrived in full.", received=event.received,
            what=described(escrow.reference), missing=event.missing), buttons=buttons)


async def on_overpaid(uow: UnitOfWork, event: CryptoOverpaid) -> None:
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "🪙 Your crypto payment for {what} was {back} more than due; the payment is made "
            "and the {back} is being returned to you.", back=event.back,
            what=described(escrow.reference)))


async def on_late(uow: UnitOfWork, event: CryptoLate) -> None:
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "↩ Your crypto payment of {amount} for {what} arrived after the payment was closed, "
            "so it is being returned to you.", amount=event.back,
            what=described(escrow.reference)))


async def on_closed(uow: UnitOfWork, event: CryptoInvoiceClosed) -> None:
    escrow = await load(uow, event.escrow_id)
    what = described(escrow.reference)
    if event.why == "invalid":
        text = _("🪙 The crypto invoice for {what} was marked invalid and takes no more "
                 "payments.", what=what)
    else:
        text = _("🪙 The crypto invoice for {what} expired before it was paid in full, so it "
                 "takes no more payments.", what=what)
    if event.received.amount:
        text += " " + _("The {received} that arrived still counts towards the payment; "
                        "{missing} is still due.", received=event.received, missing=event.missing)
    text += " " + _("You can pay again with a new crypto invoice, or choose another way to pay below.")
    buttons = [[Action(MoneyIntent.PAY_BY_CRYPTO, N_("🪙 New crypto invoice"), str(escrow.id))],
               [Action(MoneyIntent.PAY, N_("💳 Other ways to pay"), str(escrow.id))]]
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, text, buttons=buttons)


async def on_claimable(uow: UnitOfWork, event: CryptoReturnClaimable) -> None:
    """Once per refund to claim: a retry that found the refund asked before (after a crash
    between asking and recording it) tells nothing new."""
    key = "crypto-claim:" + hashlib.sha256(event.claim_url.encode()).hexdigest()[:40]
    if await queued(uow, key):
        return
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        await notify(uow, event.payer_id, _(
            "↩ {amount} for {what} is ready to go back to you in crypto: claim it to an address "
            "of yours here: {url}", amount=event.amount, what=described(escrow.reference),
            url=event.claim_url), dedupe_key=key)
