"""Deals and money: accepted terms open the escrow, the buyer's payment moves the deal on, and
completion releases, a refund refunds, a split splits — each once."""

from __future__ import annotations

from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal
from core.deals.terms import service as deal_terms
from core.money.model import Money
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account
from tests.deals.test_offers import agreed


async def terms_accepted(app):
    sam, bob, _, _, deal_id = await agreed(app)  # 100 t at 220.00 EUR
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        await deal_terms.accept(uow, deal_id, bob.id, version.sha256)
        await deal_terms.accept(uow, deal_id, sam.id, version.sha256)
        await uow.commit()
    return sam, bob, deal_id


async def escrow_of(app, deal_id):
    async with app.uow() as uow:
        escrow = await by_reference(uow, deals.reference(deal_id))
        return (escrow.id, escrow.state, escrow.amount) if escrow else None


async def status_of(app, deal_id) -> str:
    async with app.uow() as uow:
        return (await uow.session.get(Deal, deal_id)).status


async def test_accepted_terms_open_the_escrow_payment_moves_the_deal_and_completion_releases(app):
    sam, bob, deal_id = await terms_accepted(app)
    escrow_id, state, amount = await escrow_of(app, deal_id)
    assert (state, amount) == ("awaiting_payment", 2_200_000)  # 100 t x 220.00 EUR
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    assert await status_of(app, deal_id) == "to_ship"
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    assert (await escrow_of(app, deal_id))[1] == "released"
    wallet = await app.payments.wallet(sam.id)
    earned = sum(m.amount for m in wallet.pending + wallet.paid_out)
    assert earned == 2_090_000  # 22,000 EUR minus the 5% commission
    assert await _deal_payments(app).catch_up() == 0  # nothing left undone


async def paid_and_split(app) -> int:
    """A deal of 100 t at 220.00 EUR paid into escrow, disputed by the buyer and split by an
    admin (11,000 EUR back to the buyer); its escrow's id."""
    _, bob, deal_id = await terms_accepted(app)
    root = await make_account(app, "root")
    escrow_id, *_ = await escrow_of(app, deal_id)
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal_id, bob.id, "Half of it was wet")
        await after_sale.decide(uow, dispute.id, root.id, "split", "Half was wet",
                                Money.parse("11000", "EUR"))
        await uow.commit()
    return escrow_id


async def test_a_dispute_split_by_an_admin_splits_the_escrow(app):
    escrow_id = await paid_and_split(app)
    view = await app.payments.get(escrow_id)
    assert (view.state, view.refunded) == ("settled", Money(1_100_000, "EUR"))


async def test_a_refund_decided_by_an_admin_refunds_in_full(app):
    sam, _, deal_id = await terms_accepted(app)
    root = await make_account(app, "root")
    escrow_id, *_ = await escrow_of(app, deal_id)
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal_id, sam.id, "Buyer never collected")
        await after_sale.decide(uow, dispute.id, root.id, "refund", "Never collected")
        await uow.commit()
    assert (await escrow_of(app, deal_id))[1] == "refunded"


def _deal_payments(app):
    from payments.bridges.deals import DealPayments

    return DealPayments(app.payments)
