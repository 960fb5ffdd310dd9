"""The ledger side of each escrow operation: which accounts move, the final state, the events."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import Conflict
from core.i18n import _
from core.money.events import (
    AuthorisationVoided,
    EscrowFunded,
    EscrowReleased,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentDeclined,
    PaymentRefunded,
    PaymentSettled,
    PayoutSent,
    PayoutWaiting,
    PromotionCharged,
)
from core.money.model import Money
from core.payments_port import Actor, EscrowState
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from payments import ledger, loyalty
from payments.ledger import Ref, platform, user, world
from payments.providers.base import Provider
from payments.tables import Escrow, OperationStatus, PaymentOperation, PayoutAccount

BEFORE = {"goods": EscrowState.HELD, "session": EscrowState.AUTHORISED, "deposit": EscrowState.HELD,
          "package": EscrowState.HELD}


def holding(escrow: Escrow) -> Ref:
    """The ledger account that holds this escrow's money (the payer's, for this escrow)."""
    purpose = "authorised" if escrow.kind == "session" else "escrow"
    return user(escrow.payer_id, purpose, str(escrow.id))


def _m(escrow: Escrow, amount: int) -> Money:
    return Money(amount, escrow.currency)


async def funded(uow: UnitOfWork, escrow: Escrow, actor: Actor, source: Ref | None = None
                 ) -> None:
    """The payer paid: money from the world (or from transfers that arrived, `source`) into
    the escrow (or platform revenue for a charge)."""
    into = platform("revenue") if escrow.kind == "charge" else holding(escrow)
    amount = _m(escrow, escrow.amount)
    journal, __ = await ledger.post(uow, f"fund:{escrow.id}", "fund",
                                   [(source or world(escrow.provider), -amount), (into, amount)],
                                   actor, f"Payment for {escrow.reference}", escrow.id)
    event = {"goods": EscrowFunded, "session": PaymentAuthorised, "charge": PromotionCharged,
             "deposit": EscrowFunded, "package": EscrowFunded}
    uow.emit(event[escrow.kind](escrow.id, escrow.reference, amount, journal))


async def declined(uow: UnitOfWork, escrow: Escrow, message: str) -> None:
    uow.emit(PaymentDeclined(escrow.id, escrow.reference, message))


async def released(uow: UnitOfWork, escrow: Escrow, net: Money, commission: Money,
                   actor: Actor, discount: Money | None = None) -> None:
    """A held escrow goes to the payee's payable balance, the commission to the platform; a
    loyalty discount the payee redeemed comes back to them out of `loyalty_discount`."""
    assert escrow.payee_id is not None
    off = discount or _m(escrow, 0)
    legs = [(holding(escrow), -net), (user(escrow.payee_id, "payable"), net - commission + off),
            (platform("commission"), commission), (platform("loyalty_discount"), -off)]
    journal, __ = await ledger.post(uow, f"release:{escrow.id}", "release", legs, actor,
                                   f"Release of {escrow.reference}", escrow.id)
    uow.emit(EscrowReleased(escrow.id, escrow.reference, escrow.payee_id,
                            net - commission + off, commission - off, journal,
                            off if off.amount else None))


async def completed(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation) -> None:
    """Post the journal of a finished provider call (its operation claimed as done) and move the
    escrow to its final state."""
    actor = Actor(op.actor, op.reason)
    if op.kind == "payout":
        await _paid_out(uow, escrow, op, actor)
    else:
        # A capture pays the payee like a release: a loyalty discount the payee redeemed comes
        # off its commission, used only by the call that claimed this operation.
        off = (await loyalty.discount(uow, escrow, _m(escrow, op.commission))
               if op.kind == "capture" else _m(escrow, 0))
        legs, values = _settlement(escrow, op, off.amount)
        journal, __ = await ledger.post(uow, op.key, op.kind, legs, actor,
                                       f"{op.kind.capitalize()} of {escrow.reference}", escrow.id)
        moved = await uow.session.execute(
            update(Escrow).where(Escrow.id == escrow.id, Escrow.state == EscrowState.SETTLING)
            .values(updated_at=uow.clock.now(), **values))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("escrow is not settling"))
        await uow.session.refresh(escrow)
        _emit(uow, escrow, op)
        uow.emit(PaymentSettled(escrow.id, op.id, journal))


def _settlement(escrow: Escrow, op: PaymentOperation, off: int = 0
                ) -> tuple[list[tuple[Ref, Money]], dict]:
    """Ledger legs and escrow columns for refund, split, void and capture; `off` is a capture's
    loyalty discount: the full commission is booked, the discount given back to the payee out
    of `loyalty_discount`, and the escrow's commission is what the platform keeps."""
    hold, out = holding(escrow), world(escrow.provider)
    refunded = escrow.refunded + op.refund
    if op.kind == "refund":
        # A package's payment partly released in parts (`drawn`) and the rest refunded is
        # settled; refunded whole, refunded.
        gone = refunded + escrow.drawn == escrow.amount
        state = (EscrowState.REFUNDED if not escrow.drawn else EscrowState.SETTLED) if gone \
            else EscrowState.HELD
        return [(hold, _m(escrow, -op.refund)), (out, _m(escrow, op.refund))], {
            "state": state, "refunded": refunded}
    assert escrow.payee_id is not None
    legs = [(hold, _m(escrow, -(op.refund + op.amount))), (out, _m(escrow, op.refund)),
            (user(escrow.payee_id, "payable"), _m(escrow, op.amount - op.commission + off)),
            (platform("commission"), _m(escrow, op.commission))]
    if off:
        legs.append((platform("loyalty_discount"), _m(escrow, -off)))
    final = {"split": EscrowState.SETTLED, "void": EscrowState.VOIDED,
             "capture": EscrowState.CAPTURED}[op.kind]
    values = {"state": final, "refunded": refunded, "commission": op.commission - off,
              "discount": off}
    if op.amount > 0:
        values["payout_state"] = "waiting"
    return legs, values


def _emit(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation) -> None:
    ref = escrow.reference
    if op.kind in ("refund", "split"):
        uow.emit(PaymentRefunded(escrow.id, ref, _m(escrow, op.refund)))
    if op.kind == "split" and escrow.payee_id is not None:
        uow.emit(EscrowReleased(escrow.id, ref, escrow.payee_id,
                                _m(escrow, op.amount - op.commission), _m(escrow, op.commission)))
    if op.kind == "void":
        uow.emit(AuthorisationVoided(escrow.id, ref))
    if op.kind == "capture":
        uow.emit(PaymentCaptured(escrow.id, ref, _m(escrow, op.amount),
                                 _m(escrow, escrow.commission)))  # after any loyalty discount


async def _paid_out(uow: UnitOfWork, escrow: Escrow, op: PaymentOperation, actor: Actor) -> None:
    assert escrow.payee_id is not None
    amount = _m(escrow, op.amount)
    legs = [(user(escrow.payee_id, "payable"), -amount), (user(escrow.payee_id, "paid_out"), amount)]
    journal, __ = await ledger.post(uow, op.key, "payout", legs, actor,
                                   f"Payout for {escrow.reference}", escrow.id)
    moved = await (await uow.core()).execute(_PAID, {"e_id": escrow.id})
    if moved.rowcount != 1:
        raise Conflict(_("payout is not being sent"))
    set_committed_value(escrow, "payout_state", "paid")  # what the row now holds
    uow.emit(PayoutSent(escrow.id, escrow.payee_id, amount, journal))


_ESCROWS = table_of(Escrow)
_PAID = (update(_ESCROWS).where(_ESCROWS.c.id == bindparam("e_id"),
                                _ESCROWS.c.payout_state == "sending").values(payout_state="paid"))


async def abandoned(uow: UnitOfWork, op: PaymentOperation) -> None:
    """The provider refused the call: the operation fails and the escrow is as it was."""
    await uow.session.execute(update(PaymentOperation).where(
        PaymentOperation.id == op.id, PaymentOperation.status == OperationStatus.PENDING)
        .values(status=OperationStatus.FAILED))
    if op.kind == "payout":
        await uow.session.execute(update(Escrow).where(
            Escrow.id == op.escrow_id, Escrow.payout_state == "sending")
            .values(payout_state="waiting"))
        return
    escrow = await uow.get(Escrow, op.escrow_id)
    assert escrow is not None
    await uow.session.execute(update(Escrow).where(
        Escrow.id == op.escrow_id, Escrow.state == EscrowState.SETTLING)
        .values(state=BEFORE[escrow.kind]))


async def payout_waits(uow: UnitOfWork, escrow: Escrow) -> None:
    assert escrow.payee_id is not None
    uow.emit(PayoutWaiting(escrow.id, escrow.payee_id))


async def destination(uow: UnitOfWork, provider: Provider, payee_id: int) -> str | None:
    """Where the payee is paid: their connected account once ready, or None (payout waits)."""
    if not getattr(provider, "needs_onboarding", False):
        return f"{provider.name}:{payee_id}"
    row = await uow.get(PayoutAccount, payee_id)
    return row.external_id if row is not None and row.ready else None


async def ready_payees_waiting(uow: UnitOfWork, payee_id: int) -> list[int]:
    return list((await uow.session.execute(select(Escrow.id).where(
        Escrow.payee_id == payee_id, Escrow.payout_state == "waiting"))).scalars())
