"""Races and crashes: guarded transitions on SQLite and PostgreSQL, recovery without double counting."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from core.errors import Conflict
from core.money.model import Money
from payments import ledger
from payments.ledger import user, world
from payments.tables import Escrow, LedgerJournal, PaymentOperation
from tests.payments.helpers import ADMIN, BUYER, held_escrow


async def count(app, stmt):
    async with app.uow() as uow:
        return (await uow.session.execute(stmt)).scalar_one()


def transfers(app):
    return [key for what, key in app.payments.provider.calls if what == "transfer"]


async def attempt(call):
    try:
        await call
        return True
    except Conflict:
        return False


async def test_fifty_concurrent_releases_make_exactly_one_transfer_and_one_set_of_entries(app):
    view = await held_escrow(app, 10_000)
    results = await asyncio.gather(*(attempt(app.payments.release(view.id, BUYER))
                                     for _ in range(50)))
    assert results.count(True) == 1
    assert len(transfers(app)) == 1
    released = select(func.count(LedgerJournal.id)).where(LedgerJournal.key == f"release:{view.id}")
    assert await count(app, released) == 1
    async with app.uow() as uow:
        assert await ledger.balance(uow, user(view.payee_id, "paid_out"), "EUR") == 9_500


async def test_a_release_racing_a_refund_lets_exactly_one_win(app):
    view = await held_escrow(app, 10_000)
    results = await asyncio.gather(attempt(app.payments.release(view.id, BUYER)),
                                   attempt(app.payments.refund(view.id, None, ADMIN)))
    assert results.count(True) == 1
    state = (await app.payments.get(view.id)).state
    assert state == ("released" if results[0] else "refunded")
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        assert await ledger.balance(uow, user(view.payer_id, "escrow", str(view.id)), "EUR") == 0


async def test_a_refund_whose_ledger_write_crashed_is_completed_by_a_retry_without_double_counting(
        app, monkeypatch):
    view = await held_escrow(app, 10_000)
    real_post = ledger.post

    async def crash_once(uow, key, kind, *args, **kwargs):
        if kind == "refund":
            monkeypatch.setattr(ledger, "post", real_post)
            raise RuntimeError("database went away")
        return await real_post(uow, key, kind, *args, **kwargs)

    monkeypatch.setattr(ledger, "post", crash_once)
    with pytest.raises(RuntimeError):
        await app.payments.refund(view.id, Money(4_000, "EUR"), ADMIN)
    assert (await app.payments.get(view.id)).state == "settling"
    assert await app.payments.recover() == 1
    assert await app.payments.recover() == 0
    view = await app.payments.get(view.id)
    assert (view.state, view.refunded.amount) == ("held", 4_000)
    refund_keys = {key for what, key in app.payments.provider.calls if what == "refund"}
    assert len(refund_keys) == 1  # the retry reused the idempotency key
    async with app.uow() as uow:
        assert await ledger.balance(uow, world("sandbox"), "EUR") == -6_000


async def test_a_payout_whose_ledger_write_crashed_is_retried_once_and_counted_once(app, monkeypatch):
    view = await held_escrow(app, 10_000)
    real_post = ledger.post

    async def crash_payout(uow, key, kind, *args, **kwargs):
        if kind == "payout":
            raise RuntimeError("crash after the transfer")
        return await real_post(uow, key, kind, *args, **kwargs)

    monkeypatch.setattr(ledger, "post", crash_payout)
    released = await app.payments.release(view.id, BUYER)  # the release itself succeeded
    assert released.state == "released"
    async with app.uow() as uow:
        escrow = await uow.session.get(Escrow, view.id)
        assert escrow.payout_state == "sending"
    monkeypatch.setattr(ledger, "post", real_post)
    await app.payments.recover()
    assert len(set(transfers(app))) == 1
    pending = select(func.count(PaymentOperation.id)).where(PaymentOperation.status == "pending")
    assert await count(app, pending) == 0
    async with app.uow() as uow:
        assert await ledger.balance(uow, user(view.payee_id, "paid_out"), "EUR") == 9_500
        assert await ledger.balance(uow, user(view.payee_id, "payable"), "EUR") == 0


async def test_completing_an_operation_twice_records_it_once(app, monkeypatch):
    view = await held_escrow(app, 10_000)
    real_post = ledger.post

    async def crash_once(uow, key, kind, *args, **kwargs):
        if kind == "refund":
            monkeypatch.setattr(ledger, "post", real_post)
            raise RuntimeError("crash")
        return await real_post(uow, key, kind, *args, **kwargs)

    monkeypatch.setattr(ledger, "post", crash_once)
    with pytest.raises(RuntimeError):
        await app.payments.refund(view.id, None, ADMIN)
    key = f"refund:{view.id}:1"
    results = await asyncio.gather(*(app.payments.complete(key, "re_1") for _ in range(5)))
    assert results.count(True) == 1
    assert await count(app, select(func.count(LedgerJournal.id)).where(LedgerJournal.key == key)) == 1
