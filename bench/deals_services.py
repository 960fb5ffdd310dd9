"""One bioenergy deal through the real services, step by step, each step one use case in its
own transaction: offer, counter, accept (the stock reserved), both accept the frozen terms (the
escrow opens after commit), pay with the sandbox test card, shipped, delivered, confirmed (the
escrow released and paid out after commit), both rate."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from config.container import Container
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.terms import service as deal_terms
from core.errors import Conflict
from core.money.model import Money
from payments.escrow_rows import by_reference

QUANTITY = Decimal(20)  # tonnes per deal
OFFER, COUNTER = Money(20_000, "EUR"), Money(21_000, "EUR")  # per tonne
CARD = "4242424242424242"


class ServiceDeals:
    """The steps of a deal as the chat would call them."""

    def __init__(self, app: Container) -> None:
        self.app = app

    async def negotiate(self, listing_id: int, buyer: int, seller: int) -> int:
        """The buyer offers, the seller counters; returns the counter-offer's id."""
        async with self.app.uow() as uow:
            offer = await offers.make_offer(uow, listing_id, buyer, Terms(QUANTITY, OFFER, "EXW"))
            await uow.commit()
        async with self.app.uow() as uow:
            answer = await offers.counter(uow, offer.id, seller, Terms(QUANTITY, COUNTER, "EXW"))
            await uow.commit()
        return answer.id

    async def agree(self, offer_id: int, buyer: int) -> int | None:
        """The buyer accepts the counter (the stock reserved); None when the stock was gone."""
        try:
            async with self.app.uow() as uow:
                deal = await offers.accept(uow, offer_id, buyer)
                await uow.commit()
        except Conflict:
            return None
        return deal.id

    async def finish(self, deal_id: int, buyer: int, seller: int, double_tap: bool) -> int:
        """Terms, payment, shipment, confirmation and ratings; returns the confirmations won."""
        await self._accept_terms(deal_id, buyer, seller)
        await self._pay(deal_id)
        async with self.app.uow() as uow:
            await after_sale.mark_shipped(uow, deal_id, seller, "DSV", "CMR-1", None)
            await uow.commit()
        async with self.app.uow() as uow:
            await after_sale.update_shipment(uow, deal_id, seller, "delivered")
            await uow.commit()
        taps = await asyncio.gather(*(self._confirm(deal_id, buyer)
                                      for _ in range(2 if double_tap else 1)))
        for rater, stars in ((buyer, 5), (seller, 4)):
            async with self.app.uow() as uow:
                await after_sale.rate(uow, deal_id, rater, stars)
                await uow.commit()
        return sum(taps)

    async def _accept_terms(self, deal_id: int, buyer: int, seller: int) -> None:
        for party in (buyer, seller):
            async with self.app.uow() as uow:
                version = await deal_terms.current(uow, deal_id)
                assert version is not None
                await deal_terms.accept(uow, deal_id, party, version.sha256)
                await uow.commit()

    async def _pay(self, deal_id: int) -> None:
        """The buyer opens the deal's payment page and pays with the sandbox test card."""
        async with self.app.uow() as uow:
            escrow = await by_reference(uow, deals.reference(deal_id))
            assert escrow is not None, "the escrow opens when both accepted the terms"
            escrow_id = escrow.id
        assert self.app.payments is not None
        await self.app.payments.pay_with_test_card(escrow_id, CARD)

    async def _confirm(self, deal_id: int, buyer: int) -> int:
        try:
            async with self.app.uow() as uow:
                await deals.take(uow, deal_id, "confirm-receipt", buyer)
                await uow.commit()
            return 1
        except Conflict:
            return 0
