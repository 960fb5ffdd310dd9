"""The ledger itself: balanced journals, idempotency keys, no overdrafts, balances from entries."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from core.money.model import CommissionRule, Money
from core.payments_port import Actor
from payments import invoices, ledger, numbering
from payments.ledger import NegativeBalance, UnbalancedJournal, platform, user, world
from payments.tables import Escrow, Invoice, LedgerEntry
from tests.payments.helpers import BUYER, held_escrow
from tests.support.pdf import pdf_text

WHO = Actor("test", "ledger test")


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


async def test_a_journal_whose_entries_do_not_sum_to_zero_is_refused(app):
    async with app.uow() as uow:
        with pytest.raises(UnbalancedJournal):
            await ledger.post(uow, "k1", "test", [(world("sandbox"), eur(-100)),
                                                  (platform("revenue"), eur(99))], WHO, "bad")


async def test_the_same_key_records_a_movement_once(app):
    legs = [(world("sandbox"), eur(-100)), (platform("revenue"), eur(100))]
    async with app.uow() as uow:
        first = await ledger.post(uow, "once", "test", legs, WHO, "first")
        again = await ledger.post(uow, "once", "test", legs, WHO, "again")
        await uow.commit()
    assert first[1] is True and again == (first[0], False)
    async with app.uow() as uow:
        assert await ledger.balance(uow, platform("revenue"), "EUR") == 100
        assert (await uow.session.execute(select(func.count(LedgerEntry.id)))).scalar() == 2


async def test_an_account_that_must_not_go_negative_is_never_overdrawn(app):
    async with app.uow() as uow:
        with pytest.raises(NegativeBalance):
            await ledger.post(uow, "over", "test", [(user(1, "payable"), eur(-1)),
                                                    (user(1, "paid_out"), eur(1))], WHO, "x")


async def test_currencies_balance_separately_and_balances_come_from_entries(app):
    legs = [(world("sandbox"), eur(-500)), (platform("revenue"), eur(500)),
            (world("sandbox"), Money(-700, "JPY")), (platform("revenue"), Money(700, "JPY"))]
    async with app.uow() as uow:
        await ledger.post(uow, "fx", "test", legs, WHO, "two currencies")
        assert await ledger.balance(uow, platform("revenue"), "JPY") == 700
        assert await ledger.totals_by_purpose(uow) == {
            ("world", "EUR"): -500, ("revenue", "EUR"): 500,
            ("world", "JPY"): -700, ("revenue", "JPY"): 700}


def test_commission_is_a_percentage_with_a_minimum_rounded_half_up():
    from decimal import Decimal
    rule = CommissionRule(Decimal("2.5"), Decimal("1"))
    assert rule.on(eur(10_000)) == eur(250)
    assert rule.on(eur(1_000)) == eur(100)  # the minimum
    assert rule.on(eur(50)) == eur(50)  # never more than the amount
    assert rule.on(eur(10_001)) == eur(250)  # 250.025 rounds to 250
    assert rule.on(eur(10_020)) == eur(251)  # 250.5 rounds up
    assert Money.parse("12.34", "EUR") == eur(1234)


async def test_invoice_numbers_are_sequential_without_gaps_under_concurrency(app):
    view = await held_escrow(app)
    escrow = await _escrow_row(app, view.id)

    async def issue_one(n: int) -> None:
        async with app.uow() as uow:
            journal, _ = await ledger.post(uow, f"inv:{n}", "test", [
                (world("sandbox"), eur(-1)), (platform("revenue"), eur(1))], WHO, "invoice")
            await invoices.issue(uow, escrow, journal, "charge", [("x", 1)], 0)
            await uow.commit()  # numbered right after, racing the other nineteen

    await asyncio.gather(*(issue_one(n) for n in range(20)))
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(Invoice.id, Invoice.number)
                                          .order_by(Invoice.id))).all()
    assert sorted(number for _, number in rows) == [f"2026-{n:06d}" for n in range(1, 22)]
    assert await numbering.number_invoices(app.uow()) == 0  # nothing left for the job
    assert view.state == "held"


async def test_an_invoice_left_unnumbered_by_a_crash_is_numbered_by_the_job(app):
    view = await held_escrow(app)
    escrow = await _escrow_row(app, view.id)
    async with app.uow() as uow:
        journal, _ = await ledger.post(uow, "crash", "test", [
            (world("sandbox"), eur(-1)), (platform("revenue"), eur(1))], WHO, "invoice")
        invoice = await invoices.issue(uow, escrow, journal, "charge", [("x", 1)], 0)
        await uow.session.commit()  # committed, then the process dies before numbering
    assert await app.payments.number_invoices() == 1
    async with app.uow() as uow:
        assert (await uow.session.execute(select(Invoice.number).where(
            Invoice.token == invoice.token))).scalar() == "2026-000002"
    assert view.state == "held"


async def _escrow_row(app, escrow_id: int) -> Escrow:
    async with app.uow() as uow:
        escrow = await uow.session.get(Escrow, escrow_id)
        uow.session.expunge_all()
        return escrow


async def test_a_payout_statement_names_both_parties_line_items_commission_and_total():
    from payments import invoice_pdf, invoices
    from tests.payments.fakes import MemoryPapers

    papers = MemoryPapers()  # the documents' facts in memory (tests/payments/fakes.py)
    bob, sue = papers.person("bob"), papers.person("sue")
    statement = papers.payout_statement(papers.receipt(bob, sue, 10_000, "deal:1"), 500)
    assert invoices.concerned(statement) == {sue}  # the payee's to download, alone
    text = pdf_text(await invoice_pdf.pdf_of(papers, statement))
    for expected in (statement.number, "Bob", "Sue", "deal #1", "Platform commission", "-€5.00",
                     "€100.00", "Total €95.00", "TEST MODE"):
        assert expected in text, expected


async def test_payout_statements_are_emailed_to_the_seller_alone_with_a_download_link(app, mailbox):
    from datetime import UTC, datetime

    from sqlalchemy import update

    from core.accounts.tables import Account

    view = await held_escrow(app, 10_000)  # registers bob and sue, then pays
    async with app.uow() as uow:
        await uow.session.execute(update(Account).values(
            email_verified_at=datetime(2026, 1, 1, tzinfo=UTC)))
        await uow.commit()
    await app.payments.release(view.id, BUYER)
    await app.dispatcher.run_once()
    receipts = [(to, p["subject"]) for to, p in mailbox.sent if "Payout statement" in p["subject"]]
    assert [to for to, _ in receipts] == ["sue@example.com"]  # one payout, one statement
    body = next(p["text"] for _, p in mailbox.sent if "Payout statement" in p["subject"])
    assert "http://127.0.0.1:8000/invoices/" in body and body.endswith(".pdf")
