"""An inspection's fee and the money layer, paid as a consultant's session is: booked, a
pre-authorisation opens (kind `session`, reference `inspection:<id>`, the party who booked
pays, the inspector is the payee) and the payer gets its page; authorised, core asks the
inspector in the payment's transaction; the results in, the fee is captured after commit (the
consulting commission deducted and the inspector paid out, as a session's capture); declined
or lapsed, the authorisation is voided (and one voided otherwise lapses its open inspection).
Every step is idempotent: the escrow is opened once per reference, capture and void are
guarded transitions, and `catch_up` moves what a crash left."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from core.actions import Action
from core.consulting.inspections import rules
from core.consulting.inspections import service as inspections
from core.consulting.inspections.events import InspectionBooked, InspectionSettled
from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.tables import Inspection
from core.errors import DomainError
from core.i18n import N_, _
from core.money.events import AuthorisationVoided, PaymentAuthorised
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments.escrow_rows import by_reference
from payments.service import PaymentsService

SYSTEM = Actor("system:inspections", "a deal's inspection")
log = logging.getLogger(__name__)


class InspectionPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def after_booked(self, events: Sequence[InspectionBooked]) -> None:
        """After commit: open the fee's authorisation (once per reference) and send its page."""
        for event in events:
            view = await self.payments.open("session", "consulting", event.reference,
                                            event.payer_id, event.inspector_id, event.fee,
                                            SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.payer_id):
                    await notify(uow, event.payer_id, _(
                        "💳 Authorise the inspection fee of {amount} for inspection #{id}: "
                        "it is charged once the inspector's results are in, and given back if "
                        "they decline or miss the deadline.", amount=event.fee,
                        id=event.inspection_id),
                        buttons=[[Action(MoneyIntent.PAY, N_("💳 Authorise"), str(view.id))]],
                        about=(f"inspection:{event.inspection_id}",))
                await uow.commit()

    async def on_authorised(self, uow: UnitOfWork, event: PaymentAuthorised) -> None:
        """In the payment's transaction: the inspector is asked."""
        await inspections.authorised(uow, event.reference)

    async def on_voided(self, uow: UnitOfWork, event: AuthorisationVoided) -> None:
        """In the void's transaction: an open inspection without its fee lapses."""
        await inspections.authorisation_lost(uow, event.reference)

    async def after_settled(self, events: Sequence[InspectionSettled]) -> None:
        """After commit: capture a delivered inspection's fee, void a declined or lapsed one."""
        for event in events:
            await self._move(event.reference, event.outcome)

    async def catch_up(self) -> int:
        """Settle every ended inspection whose fee a crash (or a late authorisation) left
        authorised; returns how many."""
        async with self.payments.uow() as uow:
            rows = (await uow.session.execute(select(Inspection.id, Inspection.status).where(
                Inspection.status.in_((InspectionState.DELIVERED, *rules.VOIDED))))).all()
            stuck = []
            for inspection_id, status in rows:
                escrow = await by_reference(uow, rules.reference(inspection_id))
                if escrow is not None and escrow.state == EscrowState.AUTHORISED:
                    stuck.append((rules.reference(inspection_id),
                                  "capture" if status == InspectionState.DELIVERED else "void"))
        for ref, outcome in stuck:
            await self._move(ref, outcome)
        return len(stuck)

    async def _move(self, ref: str, outcome: str) -> None:
        view = await self.payments.by_reference(ref)
        if view is None or view.state != EscrowState.AUTHORISED:
            return  # not authorised (yet): nothing held to move
        try:
            if outcome == "capture":
                await self.payments.capture(view.id, view.amount, SYSTEM)
            else:
                await self.payments.void(view.id, SYSTEM)
        except DomainError:
            log.info("inspection fee %s moved meanwhile", ref)  # a retry or the catch-up did it
