"""Settling the outbox rows a dispatcher holds: the sent or failed mark (made again on a fresh
connection, kept in memory while the database is down), retries with back-off, a chat paused
when the channel asks to wait, and the leases of workers that died mid-send released."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from core.notifications.cards import RetryLater
from core.notifications.claiming import Claimed
from core.notifications.tables import OutboxMessage, OutboxStatus
from core.storage import workers
from core.storage.database import retry_if_disconnected
from core.storage.uow import dialect_name

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a claim by a worker not connected to the database is still its own: time for a
# living worker to reconnect after the database restarted and settle what it sent meanwhile.
RECONNECT_GRACE = timedelta(seconds=10)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 3600))


class Settling:
    """A dispatcher's marks and leases (`OutboxDispatcher` holds the state)."""

    _sessions: async_sessionmaker[AsyncSession]
    _clock: Clock
    worker: str
    _lease: timedelta
    _owed: dict[int, dict[str, Any]]

    async def _pause_chat(self, row: Claimed, wait: RetryLater) -> None:
        """The channel refused this send for now: the chat's rows (this one first) wait until
        `retry_after` has passed; the attempt is not counted, so a 429 never uses a row up."""
        until = self._clock.now() + timedelta(seconds=wait.seconds)
        log.info("outbox: %s %s asked to wait %.1f s (row %s)", row.channel, row.address,
                 wait.seconds, row.id)
        o = OutboxMessage

        async def pause() -> None:  # both updates conditional: safe to run twice
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(o).where(o.channel == row.channel, o.address == row.address,
                                    o.status == OutboxStatus.PENDING, o.available_at < until)
                    .values(available_at=until))
                await session.execute(
                    update(o).where(o.id == row.id, o.status == OutboxStatus.SENDING,
                                    o.claimed_by == self.worker)
                    .values(status=OutboxStatus.PENDING, attempts=row.attempts - 1, available_at=until,
                            claimed_by=None, claimed_at=None, last_error=str(wait)[:500]))

        await retry_if_disconnected(pause)

    async def _failed(self, row: Claimed, exc: Exception) -> None:
        attempts = row.attempts  # already counts this try (set when claimed)
        log.warning("outbox row %s to %s failed (attempt %s): %s", row.id, row.channel, attempts, exc)
        if attempts >= MAX_ATTEMPTS:
            await self._finish(row.id, status=OutboxStatus.FAILED, last_error=str(exc)[:500])
        else:
            await self._finish(row.id, status=OutboxStatus.PENDING, last_error=str(exc)[:500],
                               available_at=self._clock.now() + backoff(attempts),
                               claimed_by=None, claimed_at=None)

    async def _finish(self, row_id: int, **values: Any) -> None:
        """Settle a row this dispatcher still holds (a row whose lease passed to another
        worker is that worker's now). Tried again on a fresh connection when the first one
        turns out dead: a "sent" mark lost that way would leave the row to be sent a second
        time after its lease, and hold its chat's next rows until then. The update is
        conditional, so a second try after a COMMIT that did land changes nothing."""

        async def mark() -> None:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.SENDING,
                           OutboxMessage.claimed_by == self.worker)
                    .values(**values)
                )

        try:
            await retry_if_disconnected(mark)
        except Exception as exc:  # the database is down: kept here, settled once it is back
            log.warning("outbox row %s: its mark waits for the database (%s)", row_id, exc)
            self._owed[row_id] = values

    async def _settle_owed(self) -> None:
        """The marks of rows sent (or failed) while the database was down, made before any new
        row is claimed: the rows are not sent again after their lease, and their chats' next
        rows go out as soon as the database answers (raises while it is still down)."""
        for row_id, values in list(self._owed.items()):
            del self._owed[row_id]
            await self._finish(row_id, **values)
            if row_id in self._owed:
                raise ConnectionError("the database is still down")

    async def _release_expired_leases(self) -> None:
        """Rows whose worker died mid-send (lease expired, or on PostgreSQL its process gone)
        become claimable again."""
        now = self._clock.now()
        o, cutoff = OutboxMessage, now - self._lease
        async with self._sessions() as session, session.begin():
            gone = o.claimed_at < cutoff
            if dialect_name(session) == "postgresql":
                # A worker not connected now is dead — unless the database itself just came
                # back, and a living worker has not reconnected yet (it keeps the marks of what
                # it sent meanwhile, `_owed`): its claims count as dead only after a while.
                gone = or_(gone, and_(workers.held_by_a_dead_worker(o.claimed_by),
                                      o.claimed_at < now - RECONNECT_GRACE))
            await session.execute(
                update(o).where(o.status == OutboxStatus.SENDING, gone)
                .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False))
