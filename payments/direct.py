"""Arranging payment directly: both parties of a goods deal choose to pay each other outside Agora.

Each party's choice is a timestamp on the escrow, set by an update that also requires the escrow
to be awaiting payment. That update holds the row (PostgreSQL) or the write lock (SQLite) until
commit, and its RETURNING shows the other party's committed choice, so of two choices at the same
moment the second sees the first and moves the escrow `awaiting_payment → arranged_directly`
(`transition`, once). No money passes through Agora: no ledger journal, no invoice, no commission.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from core.actions import Action
from core.deals.on_terms import paid_on_terms
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import N_, _
from core.money.events import (
    DirectPaymentDeclined,
    DirectPaymentProposed,
    LatePaymentRefunded,
    PaymentArrangedDirectly,
)
from core.money.intents import MoneyIntent
from core.money.model import Money, described
from core.notifications.outbox import addressed_to, notify, recipients
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments import ledger
from payments.escrow_rows import load, transition
from payments.settle import holding
from payments.tables import Escrow

WAITING = EscrowState.AWAITING_PAYMENT
DIRECT = EscrowState.ARRANGED_DIRECTLY
CANCELLED = EscrowState.CANCELLED  # a goods escrow whose deal was cancelled before payment
CANCELLED_TEXT = N_("This deal was cancelled, so it can no longer be paid. Nothing was charged.")
OFF = N_("Direct payment is turned off on this marketplace.")
AGREED = N_("You both already agreed to arrange this payment directly.")
ON_TERMS = N_("An invoice on terms is paid to Agora, by bank transfer or card: it cannot be "
              "arranged directly.")
# What the other party hears when the buyer or the seller keeps the escrow, or proposes to
# arrange payment directly: whole sentences, by who acted.
KEEPS = {"buyer": N_("🔒 The buyer keeps the escrow for {what}: payment goes through Agora as usual, "
                     "held until delivery is confirmed."),
         "seller": N_("🔒 The seller keeps the escrow for {what}: payment goes through Agora as usual, "
                      "held until delivery is confirmed.")}
PROPOSES = {
    "buyer": N_("🤝 The buyer proposes to arrange payment of {amount} for {what} directly between you, "
                "outside Agora. If you agree, Agora holds nothing: escrow and buyer protection do not "
                "apply, and no commission is charged."),
    "seller": N_("🤝 The seller proposes to arrange payment of {amount} for {what} directly between you, "
                 "outside Agora. If you agree, Agora holds nothing: escrow and buyer protection do not "
                 "apply, and no commission is charged.")}


def _column(escrow: Escrow, account_id: int) -> str:
    """The column holding this party's choice; anyone else is refused."""
    if account_id == escrow.payer_id:
        return "direct_payer_at"
    if account_id == escrow.payee_id:
        return "direct_payee_at"
    raise NotAllowed(_("That payment is someone else's."))


def _check(escrow: Escrow, account_id: int) -> str:
    column = _column(escrow, account_id)
    # A transport's freight (freight:<id>) is held in escrow until its delivery is confirmed.
    if escrow.kind != "goods" or escrow.payee_id is None or escrow.reference.startswith("freight:"):
        raise DomainError(_("Only payment for goods can be arranged directly."))
    return column


def _moved_on(escrow: Escrow) -> Conflict:
    return Conflict(_("This payment is already {state}.", state=escrow.state.replace('_', ' ')))


def _other(escrow: Escrow, account_id: int) -> tuple[int, str]:
    """The other party and how they call the one who acted."""
    if account_id == escrow.payer_id:
        assert escrow.payee_id is not None
        return escrow.payee_id, "buyer"
    return escrow.payer_id, "seller"


async def _set(uow: UnitOfWork, escrow: Escrow, values: dict[str, Any], *where: Any) -> bool:
    """Update the choices while the escrow awaits payment; True when this call changed the row."""
    row = (await uow.session.execute(
        update(Escrow).where(Escrow.id == escrow.id, Escrow.state == WAITING, *where)
        .values(values).returning(Escrow.direct_payer_at, Escrow.direct_payee_at))).first()
    if row is None:
        return False
    set_committed_value(escrow, "direct_payer_at", row.direct_payer_at)
    set_committed_value(escrow, "direct_payee_at", row.direct_payee_at)
    return True


async def choose(uow: UnitOfWork, escrow: Escrow, account_id: int) -> Escrow:
    """Record this party's choice; the second of the two makes the escrow arranged directly."""
    column = _check(escrow, account_id)
    if await paid_on_terms(uow, escrow.reference):
        raise DomainError(_(ON_TERMS))
    if not await _set(uow, escrow, {column: uow.clock.now()}, getattr(Escrow, column).is_(None)):
        escrow = await load(uow, escrow.id)  # chosen before, or paid or agreed a moment ago
        if escrow.state not in (WAITING, DIRECT):
            raise _moved_on(escrow)
        return escrow  # a repeated press changes nothing
    if escrow.direct_payer_at is None or escrow.direct_payee_at is None:
        uow.emit(DirectPaymentProposed(escrow.id, account_id))
        return escrow
    actor = Actor(f"account:{account_id}", "both parties chose to arrange payment directly")
    if not await transition(uow, escrow, (WAITING,), DIRECT, actor):
        raise _moved_on(await load(uow, escrow.id))  # cannot happen while we hold the row
    assert escrow.payee_id is not None  # _check refused escrows without one
    uow.emit(PaymentArrangedDirectly(escrow.id, escrow.reference, escrow.payer_id, escrow.payee_id))
    return escrow


async def decline(uow: UnitOfWork, escrow: Escrow, account_id: int) -> Escrow:
    """Withdraw or refuse the proposal before both agreed; the escrow stays as it was."""
    _check(escrow, account_id)
    cleared = await _set(uow, escrow, {"direct_payer_at": None, "direct_payee_at": None},
                         Escrow.direct_payer_at.is_not(None) | Escrow.direct_payee_at.is_not(None))
    if not cleared:
        escrow = await load(uow, escrow.id)
        if escrow.state == DIRECT:
            raise Conflict(_(AGREED))
        if escrow.state != WAITING:
            raise _moved_on(escrow)
        return escrow  # nothing was proposed: nothing to tell anyone
    uow.emit(DirectPaymentDeclined(escrow.id, account_id))
    return escrow


async def refunded_late(uow: UnitOfWork, escrow: Escrow, amount: Money) -> None:
    """The ledger and the payer's notice of a late payment refunded in full (after both arranged
    it directly, or after the deal was cancelled): money came in from the provider and went
    straight back (so reconciliation matches both movements); told once."""
    actor = Actor("system:provider", "paid after the deal was cancelled" if escrow.state ==
                  CANCELLED else "paid after payment was arranged directly")
    world, held = ledger.world(escrow.provider), holding(escrow)
    await ledger.post(uow, f"fund:{escrow.id}", "fund", [(world, -amount), (held, amount)], actor,
                      f"Late payment for {described(escrow.reference)}", escrow.id)
    __, new = await ledger.post(uow, f"late-refund:{escrow.id}", "refund",
                               [(held, -amount), (world, amount)], actor,
                               f"Refund of the late payment for {described(escrow.reference)}", escrow.id)
    if new:
        uow.emit(LatePaymentRefunded(escrow.id, escrow.payer_id, amount))


# --- event handlers: the notices, written in the emitting transaction ---------------------


async def on_late_refund(uow: UnitOfWork, event: LatePaymentRefunded) -> None:
    escrow = await load(uow, event.escrow_id)
    async with addressed_to(uow, event.payer_id):
        if escrow.state == CANCELLED:
            text = _("↩ Your payment of {amount} for {what} arrived after the deal was cancelled, so it "
                     "was refunded in full.", amount=event.amount, what=described(escrow.reference))
        elif escrow.state != DIRECT:  # a transfer arriving after the payment was made
            text = _("↩ Your transfer of {amount} for {what} arrived after the payment was "
                     "complete, so it is being returned to you.", amount=event.amount,
                     what=described(escrow.reference))
        else:
            text = _("↩ Your payment of {amount} for {what} arrived after you both agreed to pay "
                     "directly, so it was refunded in full.", amount=event.amount,
                     what=described(escrow.reference))
        await notify(uow, event.payer_id, text)


async def on_declined(uow: UnitOfWork, event: DirectPaymentDeclined) -> None:
    escrow = await load(uow, event.escrow_id)
    other, role = _other(escrow, event.account_id)
    async with addressed_to(uow, other):
        await notify(uow, other, _(KEEPS[role], what=described(escrow.reference)))


async def on_proposed(uow: UnitOfWork, event: DirectPaymentProposed) -> None:
    escrow = await load(uow, event.escrow_id)
    other, role = _other(escrow, event.proposer_id)
    amount = Money(escrow.amount, escrow.currency)
    buttons = [[Action(MoneyIntent.PAY_DIRECTLY, N_("Agree (arrange directly)"), str(escrow.id)),
                Action(MoneyIntent.KEEP_ESCROW, N_("Keep escrow"), str(escrow.id))]]
    async with addressed_to(uow, other):
        await notify(uow, other, _(PROPOSES[role], amount=amount, what=described(escrow.reference)),
                     buttons=buttons)


async def on_arranged(uow: UnitOfWork, event: PaymentArrangedDirectly) -> None:
    escrow = await load(uow, event.escrow_id)
    assert escrow.payee_id is not None  # both parties chose it: a payment for goods has two
    await recipients(uow, {escrow.payer_id, escrow.payee_id})
    amount = Money(escrow.amount, escrow.currency)
    for party in (escrow.payer_id, escrow.payee_id):
        async with addressed_to(uow, party):
            await notify(uow, party, _(
                "🤝 Payment of {amount} for {what} is arranged directly between buyer and seller. Agora "
                "holds nothing: escrow and buyer protection do not apply, and no commission is charged. "
                "Settle the payment between you.", amount=amount, what=described(escrow.reference)))
