"""A consultant's redeemed discount comes off the commission of their next session capture:
capped at that commission, the rest kept, never used twice; the ledger books the full
commission and the discount from `loyalty_discount`; the payout statement and notice say so."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from sqlalchemy import select

from core.consulting.bookings import changes
from core.consulting.sessions import service as sessions
from core.loyalty import service
from core.money.model import Money
from payments import invoice_pdf, ledger
from payments import loyalty as payments_loyalty
from payments.ledger import platform, user
from payments.tables import Invoice
from tests.consulting.helpers import confirmed
from tests.consulting.helpers import consultant as consultant_account
from tests.consulting.helpers import seeker as seeker_account
from tests.consulting.session_support import BOOKING as SYSTEM_ACTOR
from tests.consulting.session_support import act, book, live, people, row, texts, tick
from tests.consulting.test_booking_endings import MONDAY_10
from tests.consulting.test_booking_paths import authorised
from tests.loyalty.helpers import give, unbalanced
from tests.support.pdf import pdf_text


async def _redeem(app, account_id: int, spent: int) -> None:
    async with app.uow() as uow:
        await service.redeem(uow, account_id, spent)
        await uow.commit()


async def _pending(app, account_id: int) -> int:
    async with app.uow() as uow:
        found = (await service.standing(uow, account_id)).pending_discount.amount
        await uow.commit()
        return found


async def _paid_session(app, clock, seeker: int, consultant: int, booking_id: int = 1) -> None:
    """Both joined, ended by the consultant at minute 25: €60.00 charged, 15 % commission."""
    session_id = await live(app, seeker, consultant, booking_id=booking_id)
    clock.advance(minutes=10)
    await tick(app)
    clock.advance(minutes=15)
    await act(app, sessions.end, session_id, consultant)
    assert (await row(app, session_id)).charged_minor == 6_000


async def _statement(app, escrow_id: int) -> str:
    async with app.uow() as uow:
        invoice = (await uow.session.execute(select(Invoice).where(
            Invoice.escrow_id == escrow_id, Invoice.kind == "payout"))).scalar_one()
        return pdf_text(await invoice_pdf.pdf_of(uow, invoice))


async def _ledger(app, *refs) -> list[int]:
    async with app.uow() as uow:
        return [await ledger.balance(uow, ref, "EUR") for ref in refs]


async def test_a_session_captured_at_minute_25_takes_the_consultants_discount(app, clock):
    seeker, consultant = await people(app)
    await give(app, consultant, 600)
    await _redeem(app, consultant, 500)  # €5.00 off
    await _paid_session(app, clock, seeker, consultant)
    escrow = await app.payments.by_reference("booking:1")
    assert escrow.state == "captured"
    assert escrow.commission.amount == 400  # €9.00 less the €5.00 discount: what Agora keeps
    commission, discount, paid, payable, held = await _ledger(
        app, platform("commission"), platform("loyalty_discount"), user(consultant, "paid_out"),
        user(consultant, "payable"), user(seeker, "authorised", str(escrow.id)))
    assert (commission, discount) == (900, -500)  # the full commission, the discount explicit
    assert (paid, payable, held) == (5_600, 0, 0)  # €60.00 - €9.00 + €5.00, all paid out
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
    assert await unbalanced(app) == []
    assert await _pending(app, consultant) == 0
    statement = await _statement(app, escrow.id)
    assert "Loyalty discount −€5.00" in statement
    assert "Platform commission" in statement and "€56.00" in statement
    told = await texts(app, consultant)
    assert "€56.00 is yours" in told and "Loyalty discount −€5.00" in told
    assert "Payout of €56.00" in told
    assert "Loyalty discount" not in await texts(app, seeker)


async def test_a_discount_larger_than_the_commission_is_kept_for_the_next_session(app, clock):
    seeker, consultant = await people(app)
    await give(app, consultant, 1_500)
    await _redeem(app, consultant, 1_500)  # €15.00 off; a session's commission is €9.00
    await _paid_session(app, clock, seeker, consultant)
    first = await app.payments.by_reference("booking:1")
    assert first.commission.amount == 0
    assert await _pending(app, consultant) == 600
    clock.advance(hours=1)
    await _paid_session(app, clock, seeker, consultant, booking_id=2)
    second = await app.payments.by_reference("booking:2")
    assert second.commission.amount == 300  # the €6.00 left, then nothing more
    assert await _pending(app, consultant) == 0
    commission, discount, paid = await _ledger(
        app, platform("commission"), platform("loyalty_discount"), user(consultant, "paid_out"))
    assert (commission, discount, paid) == (1_800, -1_500, 6_000 + 5_700)
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
    assert "Loyalty discount −€6.00" in await _statement(app, second.id)


async def test_two_captures_at_once_never_use_the_same_discount_twice(app, clock, monkeypatch):
    # Both completions meet with their transactions open before either takes the discount (on
    # SQLite the second waits for the first's write lock, so the first goes on after a second).
    real, arrived, both = payments_loyalty.discount, [], asyncio.Event()

    async def meeting(uow, escrow, commission):
        arrived.append(escrow.id)
        if len(arrived) == 2:
            both.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both.wait(), 1)
        return await real(uow, escrow, commission)

    monkeypatch.setattr(payments_loyalty, "discount", meeting)
    seeker, consultant = await people(app)
    await give(app, consultant, 500)
    await _redeem(app, consultant, 500)  # €5.00, less than either capture's €9.00 commission
    await book(app, seeker, consultant, booking_id=1)
    await book(app, seeker, consultant, booking_id=2, starts_in=timedelta(hours=2))
    views = [await app.payments.by_reference(f"booking:{n}") for n in (1, 2)]
    await asyncio.gather(*(app.payments.capture(v.id, Money(6_000, "EUR"), SYSTEM_ACTOR)
                           for v in views))
    after = [await app.payments.by_reference(f"booking:{n}") for n in (1, 2)]
    assert [v.state for v in after] == ["captured", "captured"]
    assert sorted(v.commission.amount for v in after) == [400, 900]
    commission, discount, paid = await _ledger(
        app, platform("commission"), platform("loyalty_discount"), user(consultant, "paid_out"))
    assert (commission, discount, paid) == (1_800, -500, 12_000 - 1_300)
    assert await _pending(app, consultant) == 0
    assert sorted(arrived) == sorted(v.id for v in views)
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []


async def test_a_late_cancellation_fee_captured_for_the_consultant_takes_the_discount(app, clock):
    ann, bob = await consultant_account(app), await seeker_account(app)
    await give(app, ann.id, 500)
    await _redeem(app, ann.id, 500)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock.advance(days=2, hours=8)  # 12 hours before: the €40.00 late fee is captured
    async with app.uow() as uow:
        assert (await changes.cancel(uow, booking.id, bob.id)).fee_minor == 4_000
        await uow.commit()
    view = await app.payments.by_reference(f"booking:{booking.id}")
    assert view.state == "captured"
    assert view.commission.amount == 100  # 15 % of €40.00 is €6.00, less the €5.00 discount
    commission, discount, paid = await _ledger(
        app, platform("commission"), platform("loyalty_discount"), user(ann.id, "paid_out"))
    assert (commission, discount, paid) == (600, -500, 3_900)
    assert "Loyalty discount −€5.00" in await _statement(app, view.id)
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
