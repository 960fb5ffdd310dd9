"""Forgetting old webhook events: an event whose every delivery is settled (delivered, or
failed for good) is kept `KEPT` for its admins to read and re-send, then deleted with its
deliveries and their tries by the leader's daily job. Waiting and sending ones stay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, exists, select

from core.storage.uow import UnitOfWork
from core.webhooks.rules import DeliveryStatus
from core.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEvent

KEPT = timedelta(days=30)


async def forget_old(uow_factory: Callable[[], UnitOfWork]) -> int:
    """Delete the events settled more than KEPT ago; how many were deleted."""
    async with uow_factory() as uow:
        d = WebhookDelivery
        unsettled = exists().where(d.event_id == WebhookEvent.id, d.status.in_(
            (DeliveryStatus.PENDING, DeliveryStatus.SENDING)))
        old = list((await uow.session.execute(select(WebhookEvent.id).where(
            WebhookEvent.created_at < uow.clock.now() - KEPT, ~unsettled))).scalars())
        if old:  # children first: correct whether or not the database enforces the cascade
            deliveries = select(d.id).where(d.event_id.in_(old)).scalar_subquery()
            await uow.session.execute(delete(WebhookAttempt).where(
                WebhookAttempt.delivery_id.in_(deliveries)))
            await uow.session.execute(delete(d).where(d.event_id.in_(old)))
            await uow.session.execute(delete(WebhookEvent).where(WebhookEvent.id.in_(old)))
        await uow.commit()
    return len(old)
