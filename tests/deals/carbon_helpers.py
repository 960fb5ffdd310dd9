"""A deal completed on the database through the services (100 t of pellets, 4.8 MWh/t: its
carbon receipt says 126,144.0 kg CO₂e avoided), for the carbon records' tests."""

from __future__ import annotations

from typing import Any

from core.deals import deals
from core.deals.after_sale import service as after_sale
from payments.escrow_rows import by_reference
from tests.deals.test_deal_payments import terms_accepted


async def completed_deal(app: Any) -> tuple[Any, Any, int]:
    """Sam sold Bob 100 t of pellets; paid, shipped and confirmed: (sam, bob, deal id)."""
    sam, bob, deal_id = await terms_accepted(app)
    async with app.uow() as uow:
        escrow_id = (await by_reference(uow, deals.reference(deal_id))).id
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    return sam, bob, deal_id
