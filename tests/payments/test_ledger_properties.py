"""Property tests: random sequences of money operations always leave a consistent ledger."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.errors import DomainError
from core.money.model import Money
from payments import ledger
from payments.ledger import platform, user, world
from payments.tables import LedgerAccount, LedgerEntry
from tests.payments.helpers import ADMIN, BUYER, register

_names = itertools.count(1)
amounts = st.integers(min_value=1, max_value=12_000)
slot = st.integers(min_value=0, max_value=3)
operation = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(["goods", "session"]), amounts),
    st.tuples(st.just("fund"), slot), st.tuples(st.just("release"), slot),
    st.tuples(st.just("refund"), slot, st.one_of(st.none(), amounts)),
    st.tuples(st.just("split"), slot, amounts), st.tuples(st.just("void"), slot),
    st.tuples(st.just("capture"), slot, amounts))


@dataclass
class Model:
    """What should have happened to one escrow, computed without the ledger."""

    id: int
    kind: str
    amount: int
    state: str
    refunded: int = 0
    to_payee: int = 0
    commission: int = 0

    @property
    def held(self) -> int:
        return self.amount - self.refunded - self.to_payee if self.state in ("held", "authorised") else 0


def expect(m: Model, op: tuple, fee) -> bool:
    """Apply `op` to the model; False when the service must refuse it."""
    name, left = op[0], m.amount - m.refunded
    if name == "fund":
        if m.state in ("awaiting_payment", "awaiting_authorisation"):
            m.state = "held" if m.kind == "goods" else "authorised"
        return True
    goods = m.kind == "goods" and m.state == "held"
    session = m.kind == "session" and m.state == "authorised"
    if name == "release" and goods:
        m.to_payee, m.commission, m.state = left, fee(left), "released"
    elif name == "refund" and goods and 0 < (op[2] or left) <= left:
        m.refunded += op[2] or left
        m.state = "refunded" if m.refunded == m.amount else "held"
    elif name == "split" and goods and 0 < op[2] < left:
        m.refunded, m.to_payee, m.state = m.refunded + op[2], left - op[2], "settled"
        m.commission = fee(m.to_payee)
    elif name == "void" and session:
        m.refunded, m.state = m.amount, "voided"
    elif name == "capture" and session and op[2] <= m.amount:
        m.refunded, m.to_payee, m.commission, m.state = m.amount - op[2], op[2], fee(op[2]), "captured"
    else:
        return False
    return True


async def run(app, payer: int, payee: int, models: list[Model], op: tuple) -> None:
    pay, name = app.payments, op[0]
    if name == "open":
        market = "bioenergy" if op[1] == "goods" else "consulting"
        view = await pay.open(op[1], market, f"p:{next(_names)}", payer, payee, Money(op[2], "EUR"), BUYER)
        models.append(Model(view.id, op[1], op[2], view.state))
        return
    if op[1] >= len(models):
        return
    m = models[op[1]]
    market = "bioenergy" if m.kind == "goods" else "consulting"

    def fee(amount: int) -> int:
        return pay.commission_for(market, Money(amount, "EUR")).amount

    allowed = expect(m, op, fee)
    calls = {"fund": lambda: pay.pay_with_test_card(m.id, "4242424242424242"),
             "release": lambda: pay.release(m.id, BUYER),
             "refund": lambda: pay.refund(m.id, None if op[2] is None else Money(op[2], "EUR"), ADMIN),
             "split": lambda: pay.split(m.id, Money(op[2] if len(op) > 2 else 0, "EUR"), ADMIN),
             "void": lambda: pay.void(m.id, ADMIN),
             "capture": lambda: pay.capture(m.id, Money(op[2] if len(op) > 2 else 0, "EUR"), ADMIN)}
    try:
        view = await calls[name]()
    except DomainError:
        assert not allowed, f"{op} refused on {m}"
        return
    assert allowed, f"{op} accepted on {m}"
    assert view.state == m.state


async def check(app, payer: int, payee: int, models: list[Model]) -> None:
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        negative = (select(LedgerAccount.id).join(LedgerEntry).where(LedgerAccount.purpose != "world")
                    .group_by(LedgerAccount.id).having(func.sum(LedgerEntry.amount) < 0))
        assert list((await uow.session.execute(negative)).scalars()) == []
        for m in models:
            purpose = "escrow" if m.kind == "goods" else "authorised"
            assert await ledger.balance(uow, user(payer, purpose, str(m.id)), "EUR") == m.held
        paid_in = sum(m.amount for m in models if not m.state.startswith("awaiting"))
        paid_out = await ledger.balance(uow, user(payee, "paid_out"), "EUR")
        fees = sum(m.commission for m in models)
        refunds = sum(m.refunded for m in models)
        assert paid_out == sum(m.to_payee for m in models) - fees
        # money in = money out (refunds, payouts) + what the platform keeps + what is held
        assert paid_in == refunds + paid_out + fees + sum(m.held for m in models)
        assert await ledger.balance(uow, world("sandbox"), "EUR") <= 0
        assert await ledger.balance(uow, platform("commission"), "EUR") >= fees


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=14))
async def test_random_money_operations_keep_every_journal_balanced_and_every_cent_accounted(app, ops):
    n = next(_names)
    payer = await register(app, f"payer{n}", ["buyer"])
    payee = await register(app, f"payee{n}", ["seller"])
    models: list[Model] = []
    start = [("open", "goods", 10_000), ("fund", 0), ("open", "session", 6_000), ("fund", 1)]
    for op in [*start, *ops]:
        await run(app, payer, payee, models, op)
    await check(app, payer, payee, models)  # asserts balance, non-negativity and conservation
    assert len(models) >= 2
