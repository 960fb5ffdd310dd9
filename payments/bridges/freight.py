"""A deal's transport and the money layer, modelled on the bid deposits' bridge: a quote
accepted opens the freight's escrow after commit (kind `goods`, reference `freight:<id>`, the
party who asked pays, the haulier is the payee, commission as on a sale) and the payer gets
its payment page; paid, core marks the transport paid in the payment's transaction; settled by
core, it is released to the haulier (paid out as sellers are) or refunded to the payer after
commit. Every step is idempotent: the escrow is opened once per reference, release and refund
are guarded transitions, and `catch_up` moves what a crash left."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from core.actions import Action
from core.deals.freight import journey
from core.deals.freight.events import FreightBooked, FreightSettled
from core.deals.freight.rules import FreightState
from core.deals.freight.service import reference
from core.deals.freight.tables import FreightRequest
from core.errors import DomainError
from core.i18n import N_, _
from core.money.events import EscrowFunded
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments.direct import WAITING
from payments.escrow_rows import by_reference
from payments.service import PaymentsService

SYSTEM = Actor("system:freight", "a deal's transport")
log = logging.getLogger(__name__)


class FreightPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def after_booked(self, events: Sequence[FreightBooked]) -> None:
        """After commit: open the freight's escrow (once per reference) and send its page."""
        for event in events:
            view = await self.payments.open("goods", "bioenergy", event.reference,
                                            event.payer_id, event.haulier_id, event.amount,
                                            SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.payer_id):
                    await notify(uow, event.payer_id, _(
                        "💳 Pay the freight of {amount} for transport #{id}: it is held in "
                        "escrow and paid to the haulier once the delivery is confirmed.",
                        amount=event.amount, id=event.request_id),
                        buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay"), str(view.id))]],
                        about=(f"freight:{event.request_id}",))
                await uow.commit()

    async def on_funded(self, uow: UnitOfWork, event: EscrowFunded) -> None:
        """In the payment's transaction: a booked transport's freight is held."""
        await journey.on_paid(uow, event.reference)

    async def after_settled(self, events: Sequence[FreightSettled]) -> None:
        """After commit: release a confirmed transport's freight, refund a cancelled one."""
        for event in events:
            await self._move(event.reference, event.outcome)

    async def catch_up(self) -> int:
        """Move the freight of every completed or cancelled transport whose escrow a crash
        left held (or open for payment); returns how many."""
        async with self.payments.uow() as uow:
            rows = (await uow.session.execute(select(FreightRequest.id, FreightRequest.status)
                    .where(FreightRequest.status.in_(
                        (FreightState.COMPLETED, FreightState.CANCELLED))))).all()
            stuck = []
            for request_id, status in rows:
                escrow = await by_reference(uow, reference(request_id))
                if escrow is not None and escrow.state in (EscrowState.HELD, WAITING):
                    stuck.append((reference(request_id),
                                  "release" if status == FreightState.COMPLETED else "refund"))
        for ref, outcome in stuck:
            await self._move(ref, outcome)
        return len(stuck)

    async def _move(self, ref: str, outcome: str) -> None:
        view = await self.payments.by_reference(ref)
        if view is None:
            return
        try:
            if view.state == WAITING and outcome == "refund":  # cancelled before it was paid
                await self.payments.cancel_unpaid(view.id, SYSTEM)
            elif view.state != EscrowState.HELD:
                return
            elif outcome == "release":
                await self.payments.release(view.id, SYSTEM)
            else:
                await self.payments.refund(view.id, None, SYSTEM)
        except DomainError:
            log.info("freight %s moved meanwhile", ref)  # a retry or the catch-up did it
