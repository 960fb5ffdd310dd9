"""What a card payment and its release ask the database: only what they need (the hot path of
`bench/escrow.py`), with every row still written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from core.money.model import Money
from core.notifications.tables import OutboxMessage
from payments.tables import Invoice
from tests.payments.helpers import BUYER, people


@contextmanager
def statements(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(app.db.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(app.db.sync_engine, "before_cursor_execute", count)


def reading(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith("SELECT") and f"FROM {table} " in f"{s} "]


async def test_a_card_payment_and_its_release_ask_only_what_they_need(app):
    buyer, seller = await people(app)
    first, view = [await app.payments.open("goods", "bioenergy", f"deal:{n}", buyer, seller,
                                           Money(10_000, "EUR"), BUYER) for n in (403, 404)]
    await app.payments.pay_with_test_card(first.id, "4242 4242 4242 4242")  # the year's counters
    await app.payments.release(first.id, BUYER)
    with statements(app) as paying:
        await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
    with statements(app) as releasing:
        await app.payments.release(view.id, BUYER)

    # The payer never asked for transfer details: no account to look for or stop.
    assert reading(paying, "transfer_accounts") == []
    # A reference to no deal is looked up once per transaction, whichever handler asks, and
    # no invoice on terms is looked for when there is no deal on terms.
    assert len(reading(paying, "deals")) == 1
    assert not [s for s in reading(paying, "invoices") if "number IS NULL" not in s]
    # The payout's transaction reads the deal once for both of its documents.
    assert len(reading(releasing, "deals")) == 1
    # Each numbering pass takes its counters in one statement (this year's series together).
    assert len(reading(paying, "invoice_counters")) == 1
    assert len(reading(releasing, "invoice_counters")) == 1
    # The notices of a transaction are one INSERT.
    assert len([s for s in paying if s.startswith("INSERT INTO outbox")]) == 1

    async with app.uow() as uow:  # and everything was written
        assert await uow.session.scalar(select(func.count(OutboxMessage.id))) >= 4
        numbers = sorted((await uow.session.execute(select(Invoice.number))).scalars())
        assert len(numbers) == 6 and all(numbers)
        assert [n for n in numbers if n.startswith("CI-")]  # the commission invoice's series
