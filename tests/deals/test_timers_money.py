"""Deadlines that move money: an unpaid deal cancelled at its deadline returns its stock and closes
its escrow (a late payment is refunded in full), a paid deal not shipped in time refunds the buyer
and returns the stock, and the catch-up job takes any money step left undone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bots.scheduler import build_scheduler
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.events import DealMoved
from core.errors import Conflict
from core.money.model import Money
from core.payments_port import Actor
from core.process.deals import OPEN_ESCROW
from payments import ledger
from payments.tables import LedgerJournal
from tests.deals.timer_support import (
    CARD,
    agreed,
    escrow_of,
    listing_of,
    money_job,
    paid_in_escrow,
    run_timers,
    silent_uow,
    status_of,
    stock,
    terms_accepted,
    told,
)

WEBHOOK = Actor("system:stripe-webhook", "Stripe reported it")
# The jobs a worker's scheduler runs as it starts (bots.scheduler.at_start): what a crash left.
AT_START = ("payments-recover", "deal-money-catch-up", "deposit-money-catch-up",
            "freight-money-catch-up", "inspection-money-catch-up", "session-money-catch-up",
            "booking-money-catch-up")


async def test_an_unpaid_deal_is_cancelled_at_its_deadline_returns_its_stock_and_closes_escrow(
        app, clock):
    _, bob, deal_id = await terms_accepted(app)
    listing_id = await listing_of(app, deal_id)
    escrow_id, state, _ = await escrow_of(app, deal_id)
    assert (state, await stock(app, listing_id)) == ("awaiting_payment", (0, "sold_out"))
    clock.advance(days=3, seconds=1)
    assert await run_timers(app) == [("deal", deal_id, "cancel-unpaid")]
    assert await run_timers(app) == []
    assert await status_of(app, deal_id) == "cancelled"
    assert await stock(app, listing_id) == (100_000, "published")
    assert (await escrow_of(app, deal_id))[1] == "cancelled"
    with pytest.raises(Conflict, match="cancelled"):
        await app.payments.pay_with_test_card(escrow_id, CARD)
    with pytest.raises(Conflict):
        await app.payments.payable(escrow_id, bob.id)
    with pytest.raises(Conflict):
        await app.payments.choose_direct(escrow_id, bob.id)


async def test_a_payment_arriving_after_the_deal_was_cancelled_is_refunded_in_full_once(
        app, clock):
    _, bob, deal_id = await terms_accepted(app)
    escrow_id, *_ = await escrow_of(app, deal_id)
    clock.advance(days=3, seconds=1)
    await run_timers(app)
    for _ in range(2):  # the provider retries its webhook: one refund, one pair of journals
        view = await app.payments.confirm_payment(escrow_id, "ch_late", WEBHOOK, "pi_late")
    assert view.state == "cancelled" and await status_of(app, deal_id) == "cancelled"
    refunds = [call for call in app.payments.provider.calls if call[0] == "refund"]
    assert refunds == [("refund", f"late-refund:{escrow_id}")] * 2  # one key: refunded once
    async with app.uow() as uow:
        kinds = sorted((await uow.session.execute(select(LedgerJournal.kind).where(
            LedgerJournal.escrow_id == escrow_id))).scalars())
        held = await ledger.balance(uow, ledger.user(bob.id, "escrow", str(escrow_id)), "EUR")
    assert (kinds, held) == (["fund", "refund"], 0)
    assert await told(app, bob.id, "refunded in full") == [
        # written for Bob, in his format (Estonia: 22 000,00 €)
        f"↩ Your payment of 22\xa0000,00\xa0€ for deal #{deal_id} arrived after the deal was cancelled, "
        "so it was refunded in full."]


async def test_a_party_cancelling_an_unpaid_deal_closes_its_escrow_in_the_same_transaction(app):
    _, bob, deal_id = await terms_accepted(app)
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "cancel-deal", bob.id)
        await uow.commit()
    assert (await escrow_of(app, deal_id))[1] == "cancelled"


async def test_a_paid_deal_not_shipped_in_time_refunds_the_buyer_and_returns_the_stock(
        app, clock):
    _, bob, deal_id, escrow_id = await paid_in_escrow(app)
    listing_id = await listing_of(app, deal_id)
    assert (await status_of(app, deal_id), await stock(app, listing_id)) == ("to_ship",
                                                                             (0, "sold_out"))
    clock.advance(days=14, seconds=1)
    assert await run_timers(app) == [("deal", deal_id, "cancel-not-shipped")]
    assert await run_timers(app) == []
    view = await app.payments.get(escrow_id)
    assert (view.state, view.refunded) == ("refunded", Money(2_200_000, "EUR"))
    async with app.uow() as uow:
        held = await ledger.balance(uow, ledger.user(bob.id, "escrow", str(escrow_id)), "EUR")
        world = await ledger.balance(uow, ledger.world("sandbox"), "EUR")
    assert (held, world) == (0, 0)  # all of it went back out to the buyer's card
    assert (await app.payments.wallet(bob.id)).held == []
    assert await stock(app, listing_id) == (100_000, "published")
    assert await status_of(app, deal_id) == "refunded"


async def test_the_catch_up_job_refunds_a_not_shipped_deal_whose_refund_a_crash_left_undone(
        app, clock):
    _, _, deal_id, escrow_id = await paid_in_escrow(app)
    clock.advance(days=14, seconds=1)
    async with silent_uow(app) as uow:  # the timer fired, then the process died before the refund
        await deals.run_due(uow)
        await uow.commit()
    assert await status_of(app, deal_id) == "refunded"
    assert (await app.payments.get(escrow_id)).state == "held"
    assert await money_job(app).catch_up() == 1
    assert (await app.payments.get(escrow_id)).state == "refunded"
    assert await money_job(app).catch_up() == 0


async def test_an_escrow_opened_as_its_deal_was_cancelled_is_closed_by_the_catch_up_job(app):
    sam, bob, _, _, deal_id = await agreed(app)
    async with silent_uow(app) as uow:  # terms accepted; the escrow is not opened yet
        await deals.take(uow, deal_id, "accept-terms", None)
        await uow.commit()
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "cancel-deal", bob.id)
        await uow.commit()
    # The escrow opening that raced the cancellation finds the deal cancelled and opens nothing.
    await money_job(app).after(OPEN_ESCROW)([DealMoved(deal_id, "accept-terms", "agreed",
                                                       "awaiting_payment")])
    assert await escrow_of(app, deal_id) is None
    # One that read the deal a moment earlier did open it: the catch-up job closes it.
    await app.payments.open("goods", "bioenergy", deals.reference(deal_id), bob.id, sam.id,
                            Money(2_200_000, "EUR"), WEBHOOK)
    assert await money_job(app).catch_up() == 1
    assert (await escrow_of(app, deal_id))[1] == "cancelled"
    assert await money_job(app).catch_up() == 0


async def test_a_release_a_crash_interrupted_is_taken_as_a_worker_starts_and_told_once(app):
    """The buyer confirmed receipt; the process died after that commit, before the release
    that follows it (its after-commit step). A worker starting again takes it within seconds — not
    at the catch-up job's next five-minute run — and the seller hears of it once."""
    sam, bob, deal_id, escrow_id = await paid_in_escrow(app)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await uow.commit()
    async with silent_uow(app) as uow:  # committed, then the kill: no after-commit step ran
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    assert (await app.payments.get(escrow_id)).state == "held"
    before = len(await told(app, sam.id))
    scheduler = build_scheduler(app, worker_jobs=False)
    started = [job.id for job in scheduler.get_jobs() if job.id in AT_START]
    assert sorted(started) == sorted(AT_START)
    for job in scheduler.get_jobs():  # the others are not what this test is about
        if job.id not in AT_START:
            job.remove()
    scheduler.start()
    try:
        for _ in range(200):
            if (await app.payments.get(escrow_id)).state == "released":
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the other catch-ups of the start finish their pass
    finally:
        scheduler.shutdown(wait=False)
    assert (await app.payments.get(escrow_id)).state == "released"
    heard = (await told(app, sam.id))[before:]
    assert len([t for t in heard if "released to you" in t]) == 1, heard
    assert len(heard) == len(set(heard))  # the payout and its invoice, each once
