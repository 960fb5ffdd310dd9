"""After payment, on the database: shipment, delivery, auto-confirmation, disputes decided by
an admin, and double-blind ratings — each a declared transition, the wrong person refused once.
Who may take each step and what it records and refuses are tested on the in-memory logbook
(`test_after_sale_steps.py`, `test_quality_report.py`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.ratings import service as ratings
from core.deals.ratings.reputation import reputation
from core.errors import Conflict, NotAllowed
from core.money.model import Money
from tests.catalog.helpers import make_account
from tests.deals.test_offers import agreed


async def paid(app):
    """A deal whose terms both accepted and whose payment arrived (the money layer's step)."""
    sam, bob, eve, _, deal_id = await agreed(app)
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "accept-terms", None)
        await deals.take(uow, deal_id, "payment-received", None)
        await uow.commit()
    return sam, bob, eve, deal_id


async def test_shipped_delivered_confirmed_and_rated_both_ways_blind_until_both_rated(app):
    sam, bob, _, deal_id = await paid(app)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await after_sale.mark_shipped(uow, deal_id, bob.id, "DSV", "X1", None)
        eta = app.clock.now() + timedelta(days=3)
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-77", eta)
        late = await after_sale.update_shipment(uow, deal_id, sam.id, "delayed", eta + timedelta(1))
        assert late.expected_day == (eta + timedelta(1)).date()
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await after_sale.rate(uow, deal_id, bob.id, 5, {"quality": 5, "delivery": 4})
        assert await ratings.published_stars(uow, sam.id) == []  # blind until both rated
        await after_sale.rate(uow, deal_id, sam.id, 4, {"payment": 5})
        stars = await ratings.published_stars(uow, sam.id)
        assert stars == [5] and reputation(stars, Decimal("4.2"), 1, 0).score == Decimal("4.27")


async def test_silence_after_delivery_confirms_it_and_a_lone_rating_shows_when_the_window_closes(
        app, clock):
    sam, bob, _, deal_id = await paid(app)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await uow.commit()
    clock.advance(days=14, seconds=1)
    async with app.uow() as uow:
        assert await deals.run_due(uow) == [(deal_id, "auto-confirm")]
        await after_sale.rate(uow, deal_id, bob.id, 3)
        await uow.commit()
    clock.advance(days=14, seconds=1)
    async with app.uow() as uow:
        assert await deals.run_due(uow) == [(deal_id, "close-reviews")]
        assert await ratings.published_stars(uow, sam.id) == [3]


async def test_a_dispute_is_decided_by_an_admin_with_reasons_and_only_once(app):
    sam, bob, _, deal_id = await paid(app)
    root = await make_account(app, "root")  # an admin in the test settings
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal_id, bob.id, "Never arrived at all")
        with pytest.raises(NotAllowed):
            await after_sale.decide(uow, dispute.id, sam.id, "release", "mine")
        decided = await after_sale.decide(uow, dispute.id, root.id, "split", "Half arrived",
                                          Money.parse("11000", "EUR"))
        assert (decided.outcome, decided.refund_minor) == ("split", 1_100_000)
        with pytest.raises(Conflict):
            await after_sale.decide(uow, dispute.id, root.id, "refund", "again")
