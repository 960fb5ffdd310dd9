"""Promotions and the money layer: a requested package opens a plain charge after commit and the
consultant is asked to pay it; once paid, the promotion starts in the payment's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from core.actions import Action
from core.consulting.events import PromotionRequested
from core.consulting.profiles import promotions
from core.consulting.profiles.taxonomy import label
from core.i18n import N_, _, present
from core.money.events import PromotionCharged
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.payments_port import Actor
from core.storage.uow import UnitOfWork
from payments.service import PaymentsService

SYSTEM = Actor("system:promotions", "a consultant bought a promotion")


class PromotionPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def after_requested(self, events: Sequence[PromotionRequested]) -> None:
        """After commit: open the package's charge and ask the consultant to pay it."""
        for event in events:
            view = await self.payments.open("charge", "platform", event.reference,
                                            event.consultant_id, None, event.price, SYSTEM)
            async with self.payments.uow() as uow:
                async with addressed_to(uow, event.consultant_id):
                    await notify(uow, event.consultant_id, _(
                        "⭐ Featured in “{category}” for {days} days: {price}. Pay to start it now.",
                        category=_(label(event.category)), days=event.days, price=event.price),
                        buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay"), str(view.id))]])
                await uow.commit()

    async def on_charged(self, uow: UnitOfWork, event: PromotionCharged) -> None:
        """In the payment's transaction: a paid package starts, and the consultant is told."""
        promotion = await promotions.start_paid(uow, event.reference)
        if promotion is not None:
            async with addressed_to(uow, promotion.consultant_id):
                await notify(uow, promotion.consultant_id, _(
                    "⭐ You are featured in “{category}” until {ends}. Impressions and profile views "
                    "show in your profile.", category=_(label(promotion.category)),
                    ends=present.day(promotion.ends_at)))
