"""Races and restarts: the buyer confirms while auto-confirm fires (the money moves once), and
an offer half-written survives a restart of the whole application."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from config.container import build
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal
from core.money.model import Money
from tests.deals.chat_helpers import paid_deal, status_of, trading_pair
from tests.support.chat import ChatUser


async def test_the_buyer_confirming_while_auto_confirm_fires_releases_the_money_once(app, clock):
    _, _, listing_id = await trading_pair(app)
    deal_id = await paid_deal(app, listing_id)
    async with app.uow() as uow:
        buyer, seller = (await uow.session.execute(select(Deal.buyer_id, Deal.seller_id))).one()
        await after_sale.mark_shipped(uow, deal_id, seller, "DSV", None, None)
        await after_sale.update_shipment(uow, deal_id, seller, "delivered")
        await uow.commit()
    clock.advance(days=14, seconds=1)

    async def confirm() -> str:
        async with app.uow() as uow:
            try:
                await deals.take(uow, deal_id, "confirm-receipt", buyer)
            except Exception as exc:  # the other one won
                return type(exc).__name__
            await uow.commit()
            return "confirmed"

    async def auto() -> str:
        async with app.uow() as uow:
            taken = await deals.run_due(uow)
            await uow.commit()
            return "auto" if taken else "nothing"

    outcomes = await asyncio.gather(confirm(), auto())
    assert await status_of(app, deal_id) == "completed"
    assert outcomes.count("confirmed") + outcomes.count("auto") == 1, outcomes
    total = Money.parse("22000", "EUR")
    assert (await app.payments.wallet(seller)).paid_out == [
        total - app.payments.commission_for("bioenergy", total)]


async def test_an_offer_half_written_survives_a_restart(app, clock, mailbox):
    _, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("60")  # the quantity; the price is next
    restarted = build(app.settings, clock=clock, senders={"email": mailbox})
    try:
        again = ChatUser(restarted, "bob")
        await again.say("/start")
        await again.tap("Continue")
        assert "Price per t" in again.texts()
        await again.tap("Keep")
        assert "60 t × 230,00\xa0€" in again.texts()
        await again.tap("Send")
        assert "Sent (offer #1)" in again.texts()
    finally:
        await restarted.close()
