"""Escrow rows: loading, guarded state transitions and operation records."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import DomainError, NotFound
from core.money.model import Money
from core.money.ports import Actor
from core.storage.uow import UnitOfWork
from payments.providers.base import Charge
from payments.tables import Escrow, PaymentOperation


async def load(uow: UnitOfWork, escrow_id: int) -> Escrow:
    escrow = await uow.session.get(Escrow, escrow_id, populate_existing=True)
    if escrow is None:
        raise NotFound("There is no such payment.")
    return escrow


async def transition(uow: UnitOfWork, escrow: Escrow, states: tuple[str, ...], to: str,
                     actor: Actor, **values: object) -> bool:
    """Move the escrow's state only if it is still in `states`; True when this call moved it."""
    result = await uow.session.execute(
        update(Escrow).where(Escrow.id == escrow.id, Escrow.state.in_(states))
        .values(state=to, changed_by=actor.who[:80], change_reason=actor.reason[:200],
                updated_at=uow.clock.now(), **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    changes = {"state": to, "changed_by": actor.who[:80], "change_reason": actor.reason[:200],
               **values}
    for name, value in changes.items():
        set_committed_value(escrow, name, value)  # what the row now holds, without a re-read
    return True


def charge_of(escrow: Escrow) -> Charge:
    return Charge(escrow.kind, escrow.reference, Money(escrow.amount, escrow.currency),
                  escrow.pay_token, escrow.provider_ref, escrow.charge_ref)


async def by_reference(uow: UnitOfWork, reference: str) -> Escrow | None:
    return (await uow.session.execute(
        select(Escrow).where(Escrow.reference == reference))).scalar_one_or_none()


async def operation(uow: UnitOfWork, key: str) -> PaymentOperation | None:
    return (await uow.session.execute(
        select(PaymentOperation).where(PaymentOperation.key == key))).scalar_one_or_none()


async def new_operation(uow: UnitOfWork, escrow: Escrow, kind: str, to_payee: int,
                         commission: int, to_payer: int, actor: Actor) -> PaymentOperation:
    number = 1 + (await uow.session.execute(select(func.count()).select_from(PaymentOperation)
                  .where(PaymentOperation.escrow_id == escrow.id))).scalar_one()
    op = PaymentOperation(key=f"{kind}:{escrow.id}:{number}", escrow_id=escrow.id, kind=kind,
                          amount=to_payee, commission=commission, refund=to_payer, status="pending",
                          actor=actor.who[:80], reason=actor.reason[:200],
                          created_at=uow.clock.now())
    uow.add(op)
    await uow.session.flush()
    return op


def expect(escrow: Escrow, kind: str, action: str) -> None:
    if escrow.kind != kind:
        raise DomainError(f"A {escrow.kind} payment cannot be {action}.")


async def lost(uow: UnitOfWork, escrow_id: int) -> str:
    escrow = await load(uow, escrow_id)
    return f"This payment is {escrow.state.replace('_', ' ')} — it was changed a moment ago."
