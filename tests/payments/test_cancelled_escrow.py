"""A goods escrow closed because its deal was cancelled before payment: it can't be paid, and a
payment Stripe still takes (a checkout page left open) is refunded in full through Stripe, once."""

from __future__ import annotations

from sqlalchemy import select

from core.money.model import Money
from payments.tables import LedgerJournal
from tests.payments.helpers import BUYER, people
from tests.payments.test_stripe import _token, charge_id


async def test_a_stripe_payment_after_the_deal_was_cancelled_is_refunded_through_stripe_once(
        stripe_world):
    app = stripe_world.app
    buyer, seller = await people(app)
    view = await app.payments.open("goods", "bioenergy", "deal:x1", buyer, seller,
                                   Money(9_000, "EUR"), BUYER)
    assert await app.payments.cancel_unpaid(view.id, BUYER) is True
    assert await app.payments.cancel_unpaid(view.id, BUYER) is False  # closed once
    intent = await stripe_world.buyer_pays(await _token(stripe_world, view.id), 9_000)
    for event_id in ("evt_late_1", "evt_late_2"):  # a replay, and a second delivery
        reply = await stripe_world.deliver("payment_intent.succeeded", intent, event_id=event_id)
        assert reply.status_code == 200
    refunds = await stripe_world.client.v1.refunds.list_async({"charge": charge_id(intent)})
    assert [r.amount for r in refunds.data] == [9_000]
    assert (await app.payments.get(view.id)).state == "cancelled"
    async with app.uow() as uow:
        kinds = sorted((await uow.session.execute(select(LedgerJournal.kind).where(
            LedgerJournal.escrow_id == view.id))).scalars())
    assert kinds == ["fund", "refund"]
