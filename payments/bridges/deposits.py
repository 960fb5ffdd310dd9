"""Bid deposits and the money layer: a deposit asked opens its escrow after commit (kind
`deposit`, the seller pays, the buyer is the payee) and the seller gets the payment page; paid,
core marks it held in the payment's transaction; settled by core, it is refunded to the seller
or released to the buyer after commit. A catch-up finds any settled deposit whose money did not
move (a crash between the two) and moves it, once: refunds and releases are guarded updates."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from core.actions import Action
from core.deals.events import DepositAsked, DepositSettled
from core.deals.requests import bid_deposits, pending_bids
from core.deals.requests.auction_rules import SELLER
from core.deals.requests.tables import BidDeposit
from core.deals.tables import SupplyRequest
from core.errors import DomainError
from core.i18n import N_, _
from core.money.events import EscrowFunded
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments.escrow_rows import by_reference
from payments.service import PaymentsService

SYSTEM = Actor("system:deposits", "a tender's or auction's bid deposit")
log = logging.getLogger(__name__)


class DepositPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def after_asked(self, events: Sequence[DepositAsked]) -> None:
        """After commit: open the deposit's escrow (once per reference) and send its page."""
        for event in events:
            # A lot's deposit asked again that was first asked under the old reference: that one.
            old = bid_deposits.legacy(event.reference)
            view = await self.payments.by_reference(old) if old is not None else None
            if view is None or view.state != EscrowState.AWAITING_PAYMENT:
                view = await self.payments.open("deposit", "platform", event.reference,
                                                event.seller_id, event.buyer_id, event.amount,
                                                SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.seller_id):
                    await notify(uow, event.seller_id, _(
                        "💳 Pay the bid deposit of {amount}; once it is paid you may bid.",
                        amount=event.amount),
                        buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay"), str(view.id))]])
                await uow.commit()

    async def on_funded(self, uow: UnitOfWork, event: EscrowFunded) -> None:
        """In the payment's transaction: a deposit paid is held for its bidder."""
        if bid_deposits.parsed(event.reference) is not None:  # and a bid typed before it
            await pending_bids.deposit_paid(uow, event.reference)

    async def after_settled(self, events: Sequence[DepositSettled]) -> None:
        """After commit: refund a returned deposit, release a forfeited one to the buyer."""
        for event in events:
            await self._move(event.reference, event.outcome)

    async def catch_up(self) -> int:
        """Return deposits a race left held after their bidding ended, then move the money
        of every settled deposit whose escrow is still held."""
        async with self.payments.uow() as uow:
            await bid_deposits.strays(uow)
            await uow.commit()
        async with self.payments.uow() as uow:
            rows = (await uow.session.execute(select(
                BidDeposit.request_id, BidDeposit.seller_id, BidDeposit.state,
                SupplyRequest.side).join(SupplyRequest, SupplyRequest.id == BidDeposit.request_id)
                .where(BidDeposit.state.in_((bid_deposits.RETURNED, bid_deposits.FORFEITED))))
                ).all()
            stuck = []
            for request_id, seller_id, state, side in rows:
                ref = bid_deposits.reference(request_id, seller_id, side == SELLER)
                escrow = await by_reference(uow, ref)
                if escrow is None and (old := bid_deposits.legacy(ref)) is not None:
                    escrow, ref = await by_reference(uow, old), old
                if escrow is not None and escrow.state == EscrowState.HELD:
                    stuck.append((ref, state))
        for ref, state in stuck:
            await self._move(ref, state)
        return len(stuck)

    async def _move(self, ref: str, outcome: str) -> None:
        view = await self.payments.by_reference(ref)
        if view is None and (old := bid_deposits.legacy(ref)) is not None:
            view = await self.payments.by_reference(old)  # a lot's, asked before lots named theirs
        if view is None or view.state != EscrowState.HELD:
            return
        try:
            if outcome == bid_deposits.FORFEITED:
                await self.payments.release(view.id, SYSTEM)
            else:
                await self.payments.refund(view.id, None, SYSTEM)
        except DomainError:
            log.info("deposit %s moved meanwhile", ref)  # a retry or the catch-up did it
