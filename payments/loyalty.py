"""Loyalty on the money side: points for payments made, and a redeemed discount taken off the
commission of the payee's next release (the platform's income is reduced on the ledger, in a
`loyalty_discount` account of its own)."""

from __future__ import annotations

from core.loyalty import earning
from core.loyalty.service import use_discount
from core.money.events import EscrowFunded, PaymentAuthorised
from core.money.model import Money
from core.storage.uow import UnitOfWork
from payments.tables import Escrow


async def on_paid(uow: UnitOfWork, event: EscrowFunded | PaymentAuthorised) -> None:
    """The payer of a deal or a session paid (a promotion's charge earns nothing)."""
    escrow = await uow.get(Escrow, event.escrow_id)
    if escrow is not None and escrow.kind in ("goods", "session"):
        await earning.on_paid(uow, escrow.payer_id, escrow.reference)


async def discount(uow: UnitOfWork, escrow: Escrow, commission: Money) -> Money:
    """The payee's redeemed discount this payment uses: at most its commission."""
    if escrow.payee_id is None:
        return Money(0, escrow.currency)
    return await use_discount(uow, escrow.payee_id, commission, escrow.reference)
