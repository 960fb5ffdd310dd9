"""Escrow and pre-authorisation on the ledger: journeys, commission, guarded transitions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, DomainError
from core.money.events import EscrowFunded, EscrowReleased
from core.money.model import Money
from payments import ledger
from payments.ledger import platform, user
from payments.tables import LedgerJournal
from tests.payments.helpers import ADMIN, BUYER, held_escrow, people, spy_events


async def balances(app, ref, currency="EUR"):
    async with app.uow() as uow:
        return await ledger.balance(uow, ref, currency)


async def test_paying_with_the_succeeding_test_card_holds_the_money_in_escrow(app):
    view = await held_escrow(app, 10_000)
    assert view.state == "held"
    assert await balances(app, user(view.payer_id, "escrow", str(view.id))) == 10_000


async def test_a_release_pays_the_seller_minus_the_market_commission_and_pays_out(app):
    view = await held_escrow(app, 10_000)
    released = await app.payments.release(view.id, BUYER)
    assert released.state == "released" and released.commission == Money(500, "EUR")
    assert await balances(app, platform("commission")) == 500
    assert await balances(app, user(view.payee_id, "paid_out")) == 9_500
    assert await balances(app, user(view.payee_id, "payable")) == 0
    assert await balances(app, user(view.payer_id, "escrow", str(view.id))) == 0


async def test_the_minimum_commission_applies_to_small_amounts(app):
    view = await held_escrow(app, 500)
    released = await app.payments.release(view.id, BUYER)
    assert released.commission == Money(100, "EUR")


async def test_a_released_escrow_can_be_neither_released_nor_refunded_again(app):
    view = await held_escrow(app)
    await app.payments.release(view.id, BUYER)
    with pytest.raises(Conflict):
        await app.payments.release(view.id, BUYER)
    with pytest.raises(Conflict):
        await app.payments.refund(view.id, None, ADMIN)


async def test_a_partial_refund_keeps_the_rest_held_and_a_second_refunds_the_remainder(app):
    view = await held_escrow(app, 10_000)
    part = await app.payments.refund(view.id, Money(3_000, "EUR"), ADMIN)
    assert (part.state, part.refunded.amount) == ("held", 3_000)
    rest = await app.payments.refund(view.id, None, ADMIN)
    assert (rest.state, rest.refunded.amount) == ("refunded", 10_000)
    with pytest.raises(DomainError):
        await app.payments.refund(view.id, Money(1, "EUR"), ADMIN)


async def test_a_split_refunds_part_and_releases_the_rest_minus_commission(app):
    view = await held_escrow(app, 10_000)
    settled = await app.payments.split(view.id, Money(4_000, "EUR"), ADMIN)
    assert settled.state == "settled"
    assert await balances(app, user(view.payee_id, "paid_out")) == 6_000 - 300
    assert await balances(app, platform("commission")) == 300


async def test_a_voided_authorisation_charges_nothing(app):
    buyer, consultant = await people(app)
    view = await app.payments.open("session", "consulting", "booking:1", buyer, consultant,
                                   Money(6_000, "EUR"), BUYER)
    authorised = await app.payments.pay_with_test_card(view.id, "4242424242424242")
    assert authorised.state == "authorised"
    voided = await app.payments.void(view.id, BUYER)
    assert voided.state == "voided"
    assert await balances(app, user(buyer, "authorised", str(view.id))) == 0
    assert await balances(app, user(consultant, "paid_out")) == 0


async def test_a_capture_charges_up_to_the_authorisation_with_commission_deducted(app):
    buyer, consultant = await people(app)
    view = await app.payments.open("session", "consulting", "booking:2", buyer, consultant,
                                   Money(6_000, "EUR"), BUYER)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    with pytest.raises(DomainError):
        await app.payments.capture(view.id, Money(6_001, "EUR"), ADMIN)
    captured = await app.payments.capture(view.id, Money(4_000, "EUR"), ADMIN)
    assert captured.state == "captured" and captured.commission == Money(600, "EUR")
    assert await balances(app, user(consultant, "paid_out")) == 3_400
    assert await balances(app, platform("commission")) == 600


async def test_a_promotion_charge_goes_to_platform_revenue(app):
    buyer, _ = await people(app)
    view = await app.payments.open("charge", "platform", "promotion:1", buyer, None,
                                   Money(990, "EUR"), BUYER)
    paid = await app.payments.pay_with_test_card(view.id, "4242424242424242")
    assert paid.state == "paid"
    assert await balances(app, platform("revenue")) == 990


async def test_a_declined_test_card_changes_nothing_and_tells_the_payer(app):
    buyer, seller = await people(app)
    view = await app.payments.open("goods", "bioenergy", "deal:9", buyer, seller,
                                   Money(1_000, "EUR"), BUYER)
    with pytest.raises(DomainError, match="declined"):
        await app.payments.pay_with_test_card(view.id, "4000 0000 0000 0002")
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    async with app.uow() as uow:
        assert (await uow.session.execute(select(func.count(LedgerJournal.id)))).scalar() == 0


async def test_yen_amounts_have_no_minor_digits(app):
    view = await held_escrow(app, 10_000, currency="JPY")
    released = await app.payments.release(view.id, BUYER)
    assert released.commission == Money(500, "JPY")
    assert str(released.amount) == "¥10,000"


async def test_events_are_handed_on_after_commit(app):
    seen = spy_events(app)
    view = await held_escrow(app)
    await app.payments.release(view.id, BUYER)
    kinds = [type(e) for e in seen]
    assert EscrowFunded in kinds and EscrowReleased in kinds


async def test_opening_the_same_reference_twice_gives_the_same_escrow(app):
    buyer, seller = await people(app)
    first = await app.payments.open("goods", "bioenergy", "deal:5", buyer, seller,
                                    Money(1_000, "EUR"), BUYER)
    again = await app.payments.open("goods", "bioenergy", "deal:5", buyer, seller,
                                    Money(1_000, "EUR"), BUYER)
    assert first.id == again.id


async def test_an_authorisation_about_to_expire_is_voided_by_the_safety_job(app, clock):
    buyer, consultant = await people(app)
    view = await app.payments.open("session", "consulting", "booking:old", buyer, consultant,
                                   Money(6_000, "EUR"), BUYER)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    assert await app.payments.settle_expiring() == 0
    clock.advance(days=6)
    assert await app.payments.settle_expiring() == 1
    assert (await app.payments.get(view.id)).state == "voided"
