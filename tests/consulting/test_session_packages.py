"""Session packages through the core services and the money layer, on both databases: a
consultant offers 5 x 60 min at 10 % off, a seeker pays once (one receipt), books three
sessions that draw from it (one moved, one cancelled in time), each session used releases its
exact share to the consultant (commission deducted), and at expiry the unused sessions are
refunded by the package's rule with a credit note; the ledger balances and nothing moves
twice. The clock starts on Friday 20 November 2026 at 12:00 UTC."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bots.scheduler import settle_packages
from core.consulting.bookings import changes
from core.consulting.bookings import due as booking_due
from core.consulting.bookings import service as bookings
from core.consulting.packages import balances as package_balances
from core.consulting.packages import rules
from core.consulting.packages import service as packages
from core.consulting.profiles import service as profiles
from core.consulting.sessions import service as sessions
from core.consulting.sessions.tables import ConsultSession
from core.errors import Conflict, DomainError
from core.money.model import Money
from payments import ledger
from payments.bridges.packages import PackagePayments
from payments.settle import holding
from payments.tables import Escrow, Invoice
from tests.consulting.helpers import consultant, seeker, status
from tests.consulting.session_support import BOOKING as ADMIN
from tests.consulting.session_support import CARD, act
from tests.support.outbox import told

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


def test_shares_add_up_to_the_price_and_the_rule_decides_the_refund():
    price = Money(10001, "EUR")
    shares = [rules.share(price, 3, n) for n in (1, 2, 3)]
    assert [s.amount for s in shares] == [3334, 3334, 3333]
    assert sum(s.amount for s in shares) == price.amount
    assert rules.unused_value(price, 3, 1) == Money(6667, "EUR")
    assert rules.refund_at_expiry(Money(6667, "EUR"), "half") == Money(3333, "EUR")
    assert rules.package_price(Money(8000, "EUR"), 5, 10) == Money(36000, "EUR")
    with pytest.raises(DomainError):
        rules.package_price(Money(8000, "EUR"), 5, 7)


async def _offered(app, ann, refund_rule="full"):
    async with app.uow() as uow:
        package = await packages.offer(uow, ann.id, 5, 60, 10, 90, refund_rule)
        await uow.commit()
    return package


async def _bought(app, bob, package_id, price=36000):
    purchase = await act(app, packages.buy, bob.id, package_id)
    escrow = await app.payments.by_reference(packages.reference(purchase.id))
    assert (escrow.kind, escrow.state, escrow.amount) == ("package", "awaiting_payment",
                                                          Money(price, "EUR"))
    await app.payments.pay_with_test_card(escrow.id, CARD)
    return purchase.id


async def _balance(app, purchase_id, who):
    async with app.uow() as uow:
        return await package_balances.balance(uow, purchase_id, who)


async def _booked(app, bob, ann, at):
    async with app.uow() as uow:
        booking = await bookings.request_slot(uow, bob.id, ann.id, at)
        await uow.commit()
    await act(app, bookings.accept, booking.id, ann.id)
    return booking.id


async def _held_and_ended(app, clock, booking_id, bob, ann):
    """The session's start comes; both join; it ends 20 minutes in (past any free minutes)."""
    async with app.uow() as uow:
        starts = (await bookings.get(uow, booking_id, ann.id)).starts_at
    starts = starts if starts.tzinfo else starts.replace(tzinfo=UTC)
    clock.advance(seconds=(starts - clock.now()).total_seconds())
    await booking_due.run_all(app.uow, app.payments)
    async with app.uow() as uow:
        session_id = (await uow.session.execute(select(ConsultSession.id).where(
            ConsultSession.booking_id == booking_id))).scalar_one()
    await act(app, sessions.join, session_id, ann.id)
    await act(app, sessions.join, session_id, bob.id)
    clock.advance(minutes=20)
    await act(app, sessions.end, session_id, bob.id)
    return session_id


async def _escrows(app, prefix):
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(Escrow).where(
            Escrow.reference.like(prefix + "%")).order_by(Escrow.id))).scalars())
        uow.session.expunge_all()  # readable after the transaction
        return found


async def test_a_package_bought_once_pays_each_session_used_and_refunds_the_rest(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    package = await _offered(app, ann)
    purchase_id = await _bought(app, bob, package.id)
    assert await told(app, bob.id, "Package #1 is active: 5 sessions of 60 minutes, until")
    async with app.uow() as uow:  # one receipt, for the one payment
        receipts = list((await uow.session.execute(select(Invoice.kind).join(
            Escrow, Escrow.id == Invoice.escrow_id).where(
            Escrow.reference.like("package:%")))).scalars())
    assert receipts == ["payment"]

    first, second, third = [await _booked(app, bob, ann, MONDAY_10 + timedelta(days=d))
                            for d in (0, 1, 2)]
    for booking_id in (first, second, third):  # prepaid: nothing asked of a card
        assert await app.payments.by_reference(f"booking:{booking_id}") is None
    left = await _balance(app, purchase_id, bob.id)
    assert (left.left, left.booked, left.used) == (2, 3, 0)

    await act(app, changes.move, third, bob.id, MONDAY_10 + timedelta(days=3))  # moved
    await act(app, changes.cancel, second, bob.id)  # in time: the session comes back
    assert (await _balance(app, purchase_id, bob.id)).left == 3

    await _held_and_ended(app, clock, first, bob, ann)
    await _held_and_ended(app, clock, third, bob, ann)
    assert await status(app, first) == await status(app, third) == "completed"
    assert await told(app, ann.id, "Its share of the package, €72.00, is paid to you")
    done = await _balance(app, purchase_id, ann.id)
    assert (done.left, done.booked, done.used) == (3, 0, 2)
    parts = await _escrows(app, "package:1:use:")
    assert [(p.amount, p.state) for p in parts] == [(7200, "released"), (7200, "released")]
    assert all(p.commission > 0 and p.payout_state == "paid" for p in parts)

    clock.advance(days=84)  # a week before it expires: told once what is left
    await settle_packages(app)
    await settle_packages(app)
    reminded = await told(app, bob.id, "Package #1 with Ann expires")
    assert len(reminded) == 1 and "with 3 of 5 sessions not booked yet: unused sessions are " \
        "refunded in full at expiry." in reminded[0]["text"]
    clock.advance(days=7)
    assert await settle_packages(app) == 1
    [paid] = [e for e in await _escrows(app, "package:1") if e.reference == "package:1"]
    assert (paid.refunded, paid.drawn, paid.state) == (21600, 14400, "settled")
    assert await told(app, bob.id, "refunded to you for session package #1")
    async with app.uow() as uow:
        kinds = list((await uow.session.execute(select(Invoice.kind).where(
            Invoice.escrow_id == paid.id).order_by(Invoice.id))).scalars())
        assert kinds == ["payment", "credit_note"]
        assert await ledger.balance(uow, holding(paid), "EUR") == 0
    # asked again (a crash, a second worker), nothing moves twice
    assert await settle_packages(app) == 0
    await PackagePayments(app.payments).catch_up()
    [again] = [e for e in await _escrows(app, "package:1") if e.reference == "package:1"]
    assert (again.refunded, again.drawn) == (21600, 14400)


async def test_unused_sessions_kept_by_a_no_refund_rule_go_to_the_consultant(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    package = await _offered(app, ann, refund_rule="none")
    purchase_id = await _bought(app, bob, package.id)
    clock.advance(days=91)
    assert await settle_packages(app) == 1
    [kept] = await _escrows(app, "package:1:kept")
    assert (kept.amount, kept.state) == (36000, "released")
    assert (await _balance(app, purchase_id, bob.id)).status == "expired"


async def test_the_last_session_is_taken_once_and_a_booking_after_expiry_is_paid_as_usual(
        app, clock):
    ann, bob = await consultant(app), await seeker(app)
    async with app.uow() as uow:
        package = await packages.offer(uow, ann.id, 3, 60, 0, 30, "full")
        await uow.commit()
    purchase_id = await _bought(app, bob, package.id, 24000)
    booked = [await _booked(app, bob, ann, MONDAY_10 + timedelta(days=d)) for d in range(4)]
    async with app.uow() as uow:
        drawn = [(await bookings.get(uow, b, bob.id)).package_purchase_id for b in booked]
    assert drawn == [purchase_id] * 3 + [None]  # the fourth is paid by card, as usual
    async with app.uow() as uow:  # a package session moves only to a time before expiry
        with pytest.raises(DomainError, match="expires"):
            await changes.move(uow, booked[0], bob.id, MONDAY_10 + timedelta(days=40))
    session_id = await _held_and_ended(app, clock, booked[0], bob, ann)
    async with app.uow() as uow:
        with pytest.raises(Conflict, match="keeps its length"):
            await sessions.extend(uow, session_id, bob.id)


async def test_a_late_cancellation_pays_the_fee_from_the_package_and_refunds_the_rest(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    package = await _offered(app, ann)
    purchase_id = await _bought(app, bob, package.id)
    booking_id = await _booked(app, bob, ann, MONDAY_10)  # within 24 h of the start
    clock.advance(days=2, hours=12)  # Sunday night: cancelling is late now
    await act(app, changes.cancel, booking_id, bob.id)
    assert await told(app, bob.id, "A late-cancellation fee of €36.00 applies")
    balance = await _balance(app, purchase_id, bob.id)
    assert (balance.left, balance.used) == (4, 1)
    [fee] = await _escrows(app, f"package:1:use:{booking_id}")
    assert (fee.amount, fee.state) == (3600, "released")
    [paid] = [e for e in await _escrows(app, "package:1") if e.reference == "package:1"]
    assert (paid.refunded, paid.drawn, paid.state) == (3600, 3600, "held")
    assert await told(app, bob.id, "↩ €36.00 refunded to you for session package #1")
    async with app.uow() as uow:
        kinds = list((await uow.session.execute(select(Invoice.kind).where(
            Invoice.escrow_id == paid.id).order_by(Invoice.id))).scalars())
    assert kinds == ["payment", "credit_note"]
    await PackagePayments(app.payments).catch_up()  # nothing moves twice
    [again] = [e for e in await _escrows(app, "package:1") if e.reference == "package:1"]
    assert (again.refunded, again.drawn) == (3600, 3600)


async def test_two_workers_settling_a_package_at_once_move_its_money_once(app):
    """Refunds to a total and parts by reference, raced on one event loop over two
    connections (on PostgreSQL, two transactions contending for the escrow's row)."""
    ann, bob = await consultant(app), await seeker(app)
    package = await _offered(app, ann)
    await _bought(app, bob, package.id)
    escrow = await app.payments.by_reference("package:1")
    for race in (  # a contender that finds the payment busy is refused, and asks again later
            lambda: app.payments.refund_to(escrow.id, Money(3600, "EUR"), ADMIN),
            lambda: app.payments.release_part(escrow.id, "package:1:use:99",
                                              Money(7200, "EUR"), ADMIN)):
        results = await asyncio.gather(*(race() for _ in range(3)), return_exceptions=True)
        assert all(not isinstance(r, Exception) or isinstance(r, Conflict) for r in results), \
            results
        await race()
    [paid] = [e for e in await _escrows(app, "package:1") if e.reference == "package:1"]
    assert (paid.refunded, paid.drawn) == (3600, 7200)
    assert [p.state for p in await _escrows(app, "package:1:use:99")] == ["released"]
    async with app.uow() as uow:
        assert await ledger.balance(uow, holding(paid), "EUR") == 36000 - 3600 - 7200


async def test_talk_now_draws_from_the_package_and_starts_without_a_card(app, clock):
    ann, bob = await consultant(app), await seeker(app)
    package = await _offered(app, ann)
    purchase_id = await _bought(app, bob, package.id)
    async with app.uow() as uow:
        await profiles.set_online(uow, ann.id, True)
        asked = await bookings.ask_now(uow, bob.id, ann.id)
        await uow.commit()
    assert asked.prepaid
    await act(app, bookings.accept, asked.booking_id, ann.id)
    assert await app.payments.by_reference(f"booking:{asked.booking_id}") is None
    async with app.uow() as uow:
        session_id = (await uow.session.execute(select(ConsultSession.id).where(
            ConsultSession.booking_id == asked.booking_id))).scalar_one()
    await act(app, sessions.join, session_id, ann.id)
    started = await act(app, sessions.join, session_id, bob.id)
    assert started.status == "live_free"  # the pair's free minutes, as for any session
    assert (await _balance(app, purchase_id, bob.id)).booked == 1
