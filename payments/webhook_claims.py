"""Each provider webhook processed once: a delivery claims its event by one INSERT of
(source, event id); the claim is marked done after the handler ran, or released when it failed
(the provider's retry runs it again). A claim older than the lease (its worker died) is taken
over by a conditional UPDATE."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, update

from core.storage.upsert import dialect_insert
from payments.service import PaymentsService
from payments.tables import ProviderEvent

CLAIM_LEASE = timedelta(minutes=5)  # a delivery still “processing” after this died mid-way


class EventClaims:
    """Claims of one provider's events (`source`: "stripe", "btcpay")."""

    source = ""
    payments: PaymentsService

    async def _claim(self, event_id: str, type_: str, payload: dict[str, Any]) -> str:
        """“claimed” for the one delivery that runs the event, “done” when it ran before,
        “busy” while another delivery runs it. Seeing and claiming are one INSERT."""
        async with self.payments.uow() as uow:
            now = uow.clock.now()
            taken = await uow.session.execute(dialect_insert(uow, ProviderEvent).values(
                source=self.source, external_id=event_id, type=type_[:60], payload=payload,
                created_at=now, done_at=None).on_conflict_do_nothing())
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                await uow.commit()
                return "claimed"
            stale = await uow.session.execute(update(ProviderEvent).where(
                ProviderEvent.source == self.source, ProviderEvent.external_id == event_id,
                ProviderEvent.done_at.is_(None), ProviderEvent.created_at < now - CLAIM_LEASE)
                .values(created_at=now))
            if stale.rowcount == 1:  # type: ignore[attr-defined]
                await uow.commit()
                return "claimed"
            row = await uow.get(ProviderEvent, (self.source, event_id))
            return "done" if row is not None and row.done_at is not None else "busy"

    async def _done(self, event_id: str) -> None:
        async with self.payments.uow() as uow:
            await uow.session.execute(update(ProviderEvent).where(
                ProviderEvent.source == self.source, ProviderEvent.external_id == event_id)
                .values(done_at=uow.clock.now()))
            await uow.commit()

    async def _release(self, event_id: str) -> None:
        async with self.payments.uow() as uow:
            await uow.session.execute(delete(ProviderEvent).where(
                ProviderEvent.source == self.source, ProviderEvent.external_id == event_id,
                ProviderEvent.done_at.is_(None)))
            await uow.commit()
