"""Escrow rows: loading, guarded state transitions and operation records."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import String, bindparam, cast, func, insert, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from core.errors import DomainError, NotFound
from core.i18n import _
from core.money.model import Money
from core.payments_port import Actor
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from payments.providers.base import Charge
from payments.tables import Escrow, OperationStatus, PaymentOperation


async def load(uow: UnitOfWork, escrow_id: int) -> Escrow:
    escrow = await uow.get(Escrow, escrow_id, populate_existing=True)
    if escrow is None:
        raise NotFound(_("There is no such payment."))
    return escrow


async def transition(uow: UnitOfWork, escrow: Escrow, states: tuple[str, ...], to: str,
                     actor: Actor, **values: object) -> bool:
    """Move the escrow's state only if it is still in `states`; True when this call moved it."""
    changes = {"state": to, "changed_by": actor.who[:80], "change_reason": actor.reason[:200],
               **values}
    params = {f"v_{name}": value for name, value in changes.items()}
    params |= {f"e_state{n}": state for n, state in enumerate(states)}
    now = uow.clock.now()
    result = await (await uow.core()).execute(_transition(tuple(changes), len(states)), {
        **params, "v_updated_at": now, "e_id": escrow.id})
    if result.rowcount != 1:
        return False
    for name, value in {**changes, "updated_at": now}.items():
        set_committed_value(escrow, name, value)  # what the row now holds, without a re-read
    return True


@functools.cache
def _transition(names: tuple[str, ...], states: int) -> Any:
    # One statement per set of changed columns and number of states it may leave, built once,
    # on the table: it runs on the transaction's connection (the row in the session is updated
    # above, not re-read). The states are bound one by one: an expanding IN is re-rendered on
    # every execution.
    escrows = table_of(Escrow)
    return (update(escrows).where(escrows.c.id == bindparam("e_id"), escrows.c.state.in_(
                [bindparam(f"e_state{n}") for n in range(states)]))
            .values({name: bindparam(f"v_{name}") for name in (*names, "updated_at")}))


def charge_of(escrow: Escrow) -> Charge:
    return Charge(escrow.kind, escrow.reference, Money(escrow.amount, escrow.currency),
                  escrow.pay_token, escrow.provider_ref, escrow.charge_ref)


async def by_reference(uow: UnitOfWork, reference: str) -> Escrow | None:
    return (await uow.session.execute(_BY_REFERENCE, {"reference": reference})
            ).scalar_one_or_none()


# Built once: every money step of a deal or a booking finds its escrow by the reference.
_BY_REFERENCE = select(Escrow).where(Escrow.reference == bindparam("reference"))


async def new_operation(uow: UnitOfWork, escrow: Escrow, kind: str, to_payee: int,
                        commission: int, to_payer: int, actor: Actor) -> PaymentOperation:
    """Record a provider call before making it; its key (`kind:escrow:n`) is unique."""
    row = (await (await uow.core()).execute(_NEW_OPERATION, {
        "op_prefix": f"{kind}:{escrow.id}:", "op_escrow": escrow.id, "op_kind": kind,
        "op_amount": to_payee, "op_commission": commission, "op_refund": to_payer,
        "op_actor": actor.who[:80], "op_reason": actor.reason[:200],
        "op_at": uow.clock.now()})).one()
    return _held(uow, row)


def _held(uow: UnitOfWork, row: Any) -> PaymentOperation:
    """The operation row just written or claimed by a Core statement, as a row of the session
    (without reading it again)."""
    op = PaymentOperation(**row._asdict())
    make_transient_to_detached(op)
    uow.session.add(op)  # persistent and clean: in the identity map, nothing to flush
    return op


_OPERATIONS = table_of(PaymentOperation)
_OPERATIONS_SO_FAR = (select(func.count() + 1)
                      .where(_OPERATIONS.c.escrow_id == bindparam("op_escrow"))
                      .scalar_subquery())
_NEW_OPERATION = insert(_OPERATIONS).values(
    key=bindparam("op_prefix", type_=String) + cast(_OPERATIONS_SO_FAR, String),
    escrow_id=bindparam("op_escrow"), kind=bindparam("op_kind"), amount=bindparam("op_amount"),
    commission=bindparam("op_commission"), refund=bindparam("op_refund"), status=OperationStatus.PENDING,
    actor=bindparam("op_actor"), reason=bindparam("op_reason"),
    created_at=bindparam("op_at")).returning(*_OPERATIONS.c)


async def claim(uow: UnitOfWork, key: str, provider_ref: str | None) -> PaymentOperation | None:
    """Mark a pending operation done (the row stays locked until commit); None if it was not."""
    row = (await (await uow.core()).execute(_CLAIM, {
        "op_key": key, "op_ref": provider_ref, "op_at": uow.clock.now()})).first()
    if row is None:
        return None
    known = uow.session.identity_map.get(identity_key(PaymentOperation, row.id))
    if known is not None:  # already in this session: bring it up to date, as a re-read would
        for name, value in row._asdict().items():
            set_committed_value(known, name, value)
        return known
    return _held(uow, row)


_CLAIM = (update(_OPERATIONS).where(_OPERATIONS.c.key == bindparam("op_key"),
                                    _OPERATIONS.c.status == OperationStatus.PENDING)
          .values(status=OperationStatus.DONE, provider_ref=bindparam("op_ref"),
                  completed_at=bindparam("op_at"))
          .returning(*_OPERATIONS.c))


def expect(escrow: Escrow, kind: str | tuple[str, ...], action: str) -> None:
    if escrow.kind not in ((kind,) if isinstance(kind, str) else kind):
        raise DomainError(_("A {kind} payment cannot be {action}.", kind=escrow.kind, action=action))


async def lost(uow: UnitOfWork, escrow_id: int) -> str:
    escrow = await load(uow, escrow_id)
    return _("This payment is {state} — it was changed a moment ago.", state=escrow.state.replace("_", " "))
