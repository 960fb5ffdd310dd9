"""Shared set-up for the timer tests: deals brought to each waiting state with the helpers of the
other deal tests, the periodic jobs run as the scheduler runs them, and what each person heard."""

from __future__ import annotations

from sqlalchemy import update

from config.container import Container
from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals import deals, due
from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal
from core.events import EventBus
from core.storage.uow import UnitOfWork
from payments.bridges.deals import DealPayments
from tests.deals.test_after_sale import paid
from tests.deals.test_deal_payments import escrow_of, status_of, terms_accepted
from tests.deals.test_offers import agreed, terms, world
from tests.support.outbox import told_buttons as buttons
from tests.support.outbox import told_texts as told  # here `told` gives the texts

__all__ = ["agreed", "buttons", "escrow_of", "paid", "status_of", "terms", "terms_accepted",
           "told", "world"]
CARD = "4242 4242 4242 4242"


async def run_timers(app: Container) -> list[tuple[str, int, str]]:
    """The `deal-timers` job."""
    return await due.run_all(app.uow)


async def run_reminders(app: Container) -> int:
    """The `deal-reminders` job."""
    return await due.remind_all(app.uow)


def money_job(app: Container) -> DealPayments:
    """What the `deal-money-catch-up` job calls."""
    assert app.payments is not None
    return DealPayments(app.payments)


def silent_uow(app: Container) -> UnitOfWork:
    """A transaction whose events reach no handler: a crash right after its commit."""
    return UnitOfWork(app.sessions, app.clock, EventBus(), app.policy)


async def live_in(app: Container, account_id: int, zone: str) -> None:
    async with app.uow() as uow:
        await uow.session.execute(update(Account).where(Account.id == account_id)
                                  .values(timezone=zone))
        await uow.commit()


async def stock(app: Container, listing_id: int) -> tuple[int, str]:
    """The listing's quantity (thousandths) and status."""
    async with app.uow() as uow:
        listing = await uow.session.get(Listing, listing_id)
        assert listing is not None
        return listing.quantity_milli, listing.status


async def listing_of(app: Container, deal_id: int) -> int:
    async with app.uow() as uow:
        deal = await uow.session.get(Deal, deal_id)
        assert deal is not None
        return deal.listing_id


async def paid_in_escrow(app: Container):
    """A deal whose terms both accepted and whose buyer paid into its escrow by test card."""
    sam, bob, deal_id = await terms_accepted(app)
    escrow_id, *_ = await escrow_of(app, deal_id)
    assert app.payments is not None
    await app.payments.pay_with_test_card(escrow_id, CARD)
    return sam, bob, deal_id, escrow_id


async def delivered(app: Container):
    """A paid deal the seller shipped and marked delivered."""
    sam, bob, eve, deal_id = await paid(app)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await uow.commit()
    return sam, bob, eve, deal_id


async def completed(app: Container):
    """A delivered deal the buyer confirmed."""
    sam, bob, eve, deal_id = await delivered(app)
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    return sam, bob, eve, deal_id
