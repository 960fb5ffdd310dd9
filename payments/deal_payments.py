"""Deals and the money layer, joined by events: terms accepted open the deal's escrow; the
escrow funded (or payment arranged directly) moves the deal on; a completed deal releases the
escrow, a refunded one refunds it, a split splits it.

Opening and moving money call the provider, so they run after the deal's change is committed,
each idempotent (the escrow is opened once per deal reference; release, refund and split are
guarded transitions); `catch_up` finds any step a crash left undone and takes it again."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from core.deals import deals, quality_report
from core.deals.events import DealMoved
from core.deals.tables import Deal, Dispute
from core.errors import Conflict, DomainError
from core.money.events import EscrowFunded, PaymentArrangedDirectly
from core.money.model import Money
from core.money.ports import Actor
from core.storage.uow import UnitOfWork
from payments.escrow_rows import by_reference
from payments.service import PaymentsService

log = logging.getLogger(__name__)
SYSTEM = Actor("system:deals", "the deal's process")
RELEASING = ("completed", "closed")
MONEY_MOVES = ("awaiting_payment", *RELEASING, "refunded")  # deal states that move money


class DealPayments:
    """The handlers, bound to the payments service (registered in config.event_wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def on_funded(self, uow: UnitOfWork, event: EscrowFunded | PaymentArrangedDirectly
                        ) -> None:
        """In the funding transaction: the deal's payment arrived (or was arranged)."""
        deal_id = deals.deal_of(event.reference)
        deal = await uow.session.get(Deal, deal_id) if deal_id else None
        if deal is not None and deal.status == "awaiting_payment":
            await deals.take(uow, deal.id, "payment-received", None)

    async def after_moves(self, events: Sequence[DealMoved]) -> None:
        """After commit: open, release, refund or split as the deal's new state asks."""
        for event in events:
            if event.target not in MONEY_MOVES:
                continue  # paid, shipped, delivered…: nothing for the money layer to do
            try:
                await self._follow(event.deal_id, event.target)
            except (Conflict, DomainError) as exc:  # moved already, or a rule: catch_up sees it
                log.warning("deal %s: money step after %s not taken: %s", event.deal_id,
                            event.transition, exc)

    async def _follow(self, deal_id: int, target: str, transition: str = "") -> None:
        async with self.payments.uow() as uow:
            deal = await uow.session.get(Deal, deal_id)
            if deal is None:
                return
            buyer, seller, total = deal.buyer_id, deal.seller_id, deals.total(deal)
            escrow = await by_reference(uow, deals.reference(deal_id))
            escrow_id, held = (escrow.id, escrow.state == "held") if escrow else (None, False)
            refund = await self._split_refund(uow, deal_id, deal.currency)
        if target == "awaiting_payment" and escrow_id is None:
            await self.payments.open("goods", "bioenergy", deals.reference(deal_id), buyer,
                                     seller, total, SYSTEM)
        elif escrow_id is None or not held:
            return  # nothing held: not paid, arranged directly, or moved already
        elif target in RELEASING and refund is not None:
            await self.payments.split(escrow_id, refund, SYSTEM)
        elif target in RELEASING:
            await self.payments.release(escrow_id, SYSTEM)
        elif target == "refunded":
            await self.payments.refund(escrow_id, None, SYSTEM)

    async def _split_refund(self, uow: UnitOfWork, deal_id: int, currency: str) -> Money | None:
        """The buyer's share when an admin split the deal's dispute, or when the seller accepted
        the buyer's quality adjustment."""
        refund = (await uow.session.execute(select(Dispute.refund_minor).where(
            Dispute.deal_id == deal_id, Dispute.outcome == "split"))).scalar_one_or_none()
        refund = refund or await quality_report.accepted_refund(uow, deal_id)
        return Money(refund, currency) if refund else None

    async def catch_up(self) -> int:
        """Take again the money steps a crash left undone; returns how many were taken."""
        async with self.payments.uow() as uow:
            waiting = (await uow.session.execute(select(Deal.id, Deal.status).where(
                Deal.status.in_(("awaiting_payment", *RELEASING, "refunded"))))).all()
        done = 0
        for deal_id, status in waiting:
            async with self.payments.uow() as uow:
                escrow = await by_reference(uow, deals.reference(deal_id))
                state = escrow.state if escrow is not None else None
            if (status == "awaiting_payment" and state is None) or (
                    status != "awaiting_payment" and state == "held"):
                await self._follow(deal_id, status)
                done += 1
        return done
