"""Framework contracts through the core services: one negotiation and one acceptance, then
each call-off created on its date by the timer (once, however often the job runs), paid,
shipped, confirmed and released on its own — a failed call-off leaves the others alone."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.contracts import service as contracts
from core.deals.terms.tables import DealTerms
from core.errors import DomainError, NotFound
from core.money.model import Money
from payments import ledger
from tests.catalog.helpers import make_account
from tests.contracts.support import (
    CARD,
    START,
    accept_terms,
    call_offs_of,
    contract_agreed,
    contract_of,
    contract_running,
    contract_terms,
    run_contract_timers,
)
from tests.deals.offer_fakes import BOB, SAM, MemoryNegotiation
from tests.deals.timer_support import escrow_of, run_timers, stock, told


async def _pay_ship_confirm(app, sam, bob, deal_id: int) -> None:
    escrow_id, state, amount = await escrow_of(app, deal_id)
    assert (state, amount) == ("awaiting_payment", 2_200_000)  # one call-off: 100 t x 220
    await app.payments.pay_with_test_card(escrow_id, CARD)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", f"CMR-{deal_id}", None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    view = await app.payments.get(escrow_id)
    each = Money.parse("22000", "EUR")
    assert (view.state, view.commission) == (
        "released", app.payments.commission_for("bioenergy", each))  # commission on each


async def _balanced(app) -> None:
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text + "T00:00:00+00:00")


async def test_three_call_offs_each_created_on_schedule_once_paid_shipped_and_released_alone(
        app, clock):
    sam, bob, _, listing_id, first = await contract_agreed(app)
    assert await stock(app, listing_id) == (200_000, "published")  # 3 x 100 t reserved of 500
    contract = await contract_of(app, first)
    assert (contract.status, contract.called) == ("proposed", 1)
    await accept_terms(app, first, bob, sam)  # accepted once, for the whole contract
    assert (await contract_of(app, first)).status == "active"
    await _pay_ship_confirm(app, sam, bob, first)

    clock.advance(days=29)  # 19 Dec: call-off 2 is due on 20 Dec
    assert await run_contract_timers(app) == []
    clock.now()
    clock.advance(days=1)
    [second] = await run_contract_timers(app)
    assert await run_contract_timers(app) == []  # the job ran twice: one call-off
    await _pay_ship_confirm(app, sam, bob, second)

    clock.advance(days=31)  # 20 Jan: the last call-off
    [third] = await run_contract_timers(app)
    assert await run_contract_timers(app) == []
    await _pay_ship_confirm(app, sam, bob, third)
    clock.advance(days=60)
    assert await run_contract_timers(app) == []  # nothing after the last call-off

    assert await call_offs_of(app, contract.id) == [
        (1, first, "completed"), (2, second, "completed"), (3, third, "completed")]
    assert (await contract_of(app, first)).status == "ended"
    wallet = await app.payments.wallet(sam.id)
    each = Money.parse("22000", "EUR")
    commission = app.payments.commission_for("bioenergy", each)
    assert sum(m.amount for m in wallet.pending + wallet.paid_out) == (
        (each - commission).amount * 3)  # three escrows released, commission taken on each
    await _balanced(app)
    async with app.uow() as uow:  # every call-off under the same frozen terms
        prints = set((await uow.session.execute(select(DealTerms.sha256).where(
            DealTerms.deal_id.in_((first, second, third))))).scalars())
    assert len(prints) == 1
    assert await stock(app, listing_id) == (200_000, "published")


async def test_an_unpaid_call_off_is_cancelled_and_its_load_returned_while_the_next_proceeds(
        app, clock):
    sam, bob, _, listing_id, first = await contract_running(app)
    contract = await contract_of(app, first)
    await _pay_ship_confirm(app, sam, bob, first)
    clock.advance(days=30)
    [second] = await run_contract_timers(app)
    assert (await escrow_of(app, second))[1] == "awaiting_payment"
    clock.advance(days=3, seconds=1)  # call-off 2 is not paid in time
    assert ("deal", second, "cancel-unpaid") in await run_timers(app)
    assert (await escrow_of(app, second))[1] == "cancelled"
    assert await stock(app, listing_id) == (300_000, "published")  # its 100 t came back
    clock.advance(days=28)
    [third] = await run_contract_timers(app)
    await _pay_ship_confirm(app, sam, bob, third)
    assert await call_offs_of(app, contract.id) == [
        (1, first, "closed"), (2, second, "cancelled"), (3, third, "completed")]
    wallet = await app.payments.wallet(sam.id)
    assert sum(m.amount for m in wallet.pending + wallet.paid_out) == 2_090_000 * 2
    await _balanced(app)


async def test_a_refunded_call_off_leaves_the_contract_and_the_next_call_off_alone(app, clock):
    sam, bob, _, _, first = await contract_running(app)
    contract = await contract_of(app, first)
    escrow_id, *_ = await escrow_of(app, first)
    await app.payments.pay_with_test_card(escrow_id, CARD)
    clock.advance(days=14, seconds=1)  # call-off 1 paid but never shipped: refunded
    assert ("deal", first, "cancel-not-shipped") in await run_timers(app)
    assert (await app.payments.get(escrow_id)).state == "refunded"
    clock.advance(days=16)
    [second] = await run_contract_timers(app)
    await _pay_ship_confirm(app, sam, bob, second)
    assert [s for _, _, s in await call_offs_of(app, contract.id)] == ["refunded", "completed"]
    assert (await contract_of(app, first)).status == "active"
    await _balanced(app)


async def test_a_contract_whose_first_terms_are_never_accepted_lapses_and_returns_its_stock(
        app, clock):
    _, bob, _, listing_id, first = await contract_agreed(app)
    await accept_terms(app, first, bob)  # the seller never accepts
    clock.advance(days=3, seconds=1)
    await run_timers(app)
    assert (await contract_of(app, first)).status == "cancelled"
    assert await stock(app, listing_id) == (500_000, "published")
    clock.advance(days=40)
    assert await run_contract_timers(app) == []
    assert "lapsed" in (await told(app, bob.id, "lapsed"))[0]


async def test_the_frozen_terms_state_the_schedule_and_the_offer_card_shows_it(app):
    _, bob, _, _, first = await contract_agreed(app)
    async with app.uow() as uow:
        body = (await uow.session.execute(select(DealTerms.body).where(
            DealTerms.deal_id == first))).scalar_one()
    assert body["schedule"] == {
        "call_offs": 3, "every": "monthly", "each": "100 t", "in_all": "300 t",
        "dates": ["2026-11-20", "2026-12-20", "2027-01-20"]}
    [agreed] = await told(app, bob.id, "call-off 1 of contract")
    assert "3 call-offs, monthly" in agreed and "accepts the whole contract" in agreed


async def test_a_schedule_outside_the_rules_or_the_stock_is_refused_with_the_reason():
    """The offer service checks a contract's schedule against the listing's stock as stored
    (on the in-memory negotiation, `tests/deals/offer_fakes.py`); the schedule's own limits (2
    to 24 call-offs, a known interval) are tested on their own (tests/deals/test_deals_rules.py)."""
    from core.deals.offers import service as offers

    book = MemoryNegotiation()
    listing_id = book.listed(SAM, quantity="500", min_order="20")
    with pytest.raises(DomainError, match="6 call-offs of 100 need 600"):
        await offers.make_offer(book, listing_id, BOB, contract_terms(call_offs=6))
    with pytest.raises(DomainError, match="2 to 24 call-offs"):
        await offers.make_offer(book, listing_id, BOB, contract_terms(call_offs=30))


async def test_only_the_parties_and_admins_see_a_contract(app):
    sam, bob, eve, _, first = await contract_agreed(app)
    root = await make_account(app, "root")
    contract = await contract_of(app, first)
    async with app.uow() as uow:
        assert (await contracts.get(uow, contract.id, bob.id))[1] == "buyer"
        assert (await contracts.get(uow, contract.id, sam.id))[1] == "seller"
        assert (await contracts.get(uow, contract.id, root.id))[1] == "admin"
        with pytest.raises(NotFound):
            await contracts.get(uow, contract.id, eve.id)
        with pytest.raises(NotFound):
            await contracts.get(uow, contract.id + 99, bob.id)


def test_monthly_dates_keep_the_day_or_the_months_last():
    from datetime import date

    from core.deals.call_offs import date_of
    assert date_of(date(2027, 1, 31), "month", 2) == date(2027, 2, 28)
    assert date_of(date(2027, 1, 31), "quarter", 5) == date(2028, 1, 31)
    assert date_of(START, "2weeks", 3) == START + timedelta(weeks=4)
