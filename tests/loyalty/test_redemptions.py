"""Redeeming points: never more than the balance, even when redemptions race; the discount comes
off the commission of the redeemer's next payment as payee, on the statement and the ledger.
Races, releases and statements run on the database; what a redemption takes and gives, on the
in-memory book (`tests/loyalty/fakes.py`)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from core.errors import Conflict, DomainError
from core.loyalty import points, service
from core.loyalty.tables import Redemption
from core.money.model import Money
from payments import invoice_pdf, ledger
from payments.ledger import platform, user
from payments.tables import Invoice
from tests.loyalty.fakes import MemoryPointsBook
from tests.loyalty.helpers import balance, give, unbalanced
from tests.payments.helpers import ADMIN, held_escrow, people
from tests.support.pdf import pdf_text


async def _redeem(app, account_id: int, spent: int) -> bool:
    try:
        async with app.uow() as uow:
            await service.redeem(uow, account_id, spent)
            await uow.commit()
        return True
    except Conflict:
        return False


async def test_redemptions_at_once_never_spend_the_same_points(app):
    _, seller = await people(app)
    await give(app, seller, 1_700)
    done = await asyncio.gather(*(_redeem(app, seller, 500) for _ in range(6)))
    assert done.count(True) == 3
    assert await balance(app, seller) == 200
    async with app.uow() as uow:
        spent = (await uow.session.execute(select(Redemption.points).where(
            Redemption.account_id == seller))).scalars().all()
        assert sum(spent) == 1_500
        assert await points.balance(uow, points.REDEEMED) == 1_500
    assert await unbalanced(app) == []


async def test_the_balance_never_goes_below_zero_whatever_the_mix(app):
    _, seller = await people(app)
    await give(app, seller, 1_000)
    done = await asyncio.gather(*(_redeem(app, seller, n) for n in (600, 700, 800, 500, 900)))
    assert done.count(True) == 1
    assert 0 <= await balance(app, seller) <= 500


async def _payout_statement(app, escrow_id: int) -> str:
    async with app.uow() as uow:
        invoice = (await uow.session.execute(select(Invoice).where(
            Invoice.escrow_id == escrow_id, Invoice.kind == "payout").order_by(Invoice.id))
        ).scalars().first()
        return pdf_text(await invoice_pdf.pdf_of(uow, invoice))


async def test_a_redemption_comes_off_the_next_release_commission_on_the_statement(app):
    view = await held_escrow(app, amount=20_000)  # 5 % commission: €10.00
    seller = view.payee_id
    await give(app, seller, 600)
    assert await _redeem(app, seller, 500)  # €5.00
    released = await app.payments.release(view.id, ADMIN)
    assert released.commission.amount == 500  # what the platform keeps
    text = await _payout_statement(app, view.id)
    assert "Loyalty discount −€5.00" in text
    assert "Platform commission" in text and "€195.00" in text
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []
        assert await ledger.balance(uow, platform("commission"), "EUR") == 1_000
        assert await ledger.balance(uow, platform("loyalty_discount"), "EUR") == -500
        assert await ledger.balance(uow, user(seller, "paid_out"), "EUR") == 19_500
        mine = await service.standing(uow, seller)
    assert mine.pending_discount.amount == 0 and mine.balance == 100

    other = await app.payments.open("goods", "bioenergy", "deal:2", view.payer_id, seller,
                                    view.amount, ADMIN)
    await app.payments.pay_with_test_card(other.id, "4242 4242 4242 4242")
    again = await app.payments.release(other.id, ADMIN)  # used up: the full commission again
    assert again.commission.amount == 1_000
    assert "Loyalty discount" not in await _payout_statement(app, other.id)


async def test_a_discount_larger_than_the_commission_waits_for_the_rest(app):
    view = await held_escrow(app, amount=4_000)  # 5 % is €2.00
    seller = view.payee_id
    await give(app, seller, 800)
    assert await _redeem(app, seller, 800)  # €8.00
    released = await app.payments.release(view.id, ADMIN)
    assert released.commission.amount == 0
    async with app.uow() as uow:
        assert (await service.standing(uow, seller)).pending_discount.amount == 600
        assert await ledger.balance(uow, user(seller, "paid_out"), "EUR") == 4_000
        assert await ledger.unbalanced_journals(uow) == []


async def test_a_buyers_discount_waits_for_their_own_sale(app):
    view = await held_escrow(app, amount=20_000)
    await give(app, view.payer_id, 500)
    assert await _redeem(app, view.payer_id, 500)
    released = await app.payments.release(view.id, ADMIN)
    assert released.commission.amount == 1_000
    async with app.uow() as uow:
        assert (await service.standing(uow, view.payer_id)).pending_discount.amount == 500


async def test_a_redemption_is_of_at_least_500_points_the_member_has():
    book = MemoryPointsBook()
    await points.earn(book, "gift:1", "deal", 1, 700, "test points")
    for spent in (499, 0, -500, 500.0):
        with pytest.raises(DomainError, match="at least 500"):
            await service.redeem(book, 1, spent)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="You have 700 points; that redemption needs 800"):
        await service.redeem(book, 1, 800)
    redeemed = await service.redeem(book, 1, 600)
    assert (redeemed.points, redeemed.value) == (600, Money(600, "EUR"))
    assert 1 in book.locked  # the member held first: redemptions at once queue
    assert (await service.standing(book, 1)).pending_discount == Money(600, "EUR")
    assert await points.balance(book, points.member(1)) == 100


async def test_a_discount_comes_off_commissions_oldest_first_and_the_rest_waits():
    book = MemoryPointsBook()
    await points.earn(book, "gift:1", "deal", 1, 1_500, "test points")
    await service.redeem(book, 1, 800)  # €8.00
    await service.redeem(book, 1, 500)  # €5.00
    assert await service.use_discount(book, 1, Money(0, "EUR"), "deal:0") == Money(0, "EUR")
    assert await service.use_discount(book, 1, Money(500, "USD"), "deal:1") == Money(0, "USD")
    assert await service.use_discount(book, 2, Money(500, "EUR"), "deal:1") == Money(0, "EUR")
    assert await service.use_discount(book, 1, Money(1_000, "EUR"), "deal:2") == Money(
        1_000, "EUR")
    assert (book.redemptions[1].remaining, book.redemptions[2].remaining) == (0, 300)
    assert book.redemptions[2].last_reference == "deal:2"
    assert await service.waiting_discount(book, 1) == Money(300, "EUR")
    assert await service.use_discount(book, 1, Money(1_000, "EUR"), "deal:3") == Money(
        300, "EUR")
    assert await service.use_discount(book, 1, Money(1_000, "EUR"), "deal:4") == Money(
        0, "EUR")
    assert await service.waiting_discount(book, 1) == Money(0, "EUR")
