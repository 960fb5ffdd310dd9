"""Delivers outbox rows after commit: one claim per row, retries with back-off, quiet hours."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from core.notifications.quiet_hours import quiet_until
from core.notifications.ratelimit import SendLimiter
from core.storage.tables import Account, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=5)


class Attachment(NamedTuple):
    """A file that goes with a notification, rendered when it is delivered."""

    file_name: str
    content: bytes
    mime_type: str


# An attachment kind's resolver: the reference's key in, the file out (it may raise; the row
# is then retried like any failed send).
Resolver = Callable[[str], Awaitable[Attachment]]


class Sender(Protocol):
    """A channel's way to deliver one notification payload, and its files, to an address."""

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None: ...


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 3600))


class OutboxDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        senders: dict[str, Sender],
        limiter: SendLimiter | None = None,
        accept: Callable[[str, str, int | None], bool] | None = None,
        poll_seconds: float = 1.0,
        attachments: dict[str, Resolver] | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.senders = senders
        # Files are referenced in the payload ({"kind", "key"}), not stored in the row: the
        # resolver of their kind renders them at delivery time.
        self.attachments = attachments if attachments is not None else {}
        self._limiter = limiter or SendLimiter()
        # accept(channel, address, account_id): which rows this dispatcher delivers.
        self._accept = accept or (lambda channel, address, account_id: True)
        self._poll = poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a broken row or a database hiccup must not stop delivery
                log.exception("outbox dispatch failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll)
            except TimeoutError:
                pass
            self._wake.clear()

    async def run_once(self) -> int:
        """Deliver every row that is due now; returns how many were sent."""
        await self._release_stale_claims()
        sent = 0
        for row_id in await self._due_ids():
            row = await self._claim(row_id)
            if row is not None and await self._deliver(row):
                sent += 1
        return sent

    async def _due_ids(self) -> list[int]:
        now = self._clock.now()
        stmt = (
            select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.address,
                   OutboxMessage.account_id)
            .where(OutboxMessage.status == "pending", OutboxMessage.available_at <= now,
                   OutboxMessage.channel.in_(list(self.senders)))
            .order_by(OutboxMessage.id)
            .limit(200)
        )
        async with self._sessions() as session:
            rows = (await session.execute(stmt)).all()
        return [r.id for r in rows if self._accept(r.channel, r.address, r.account_id)]

    async def _claim(self, row_id: int) -> OutboxMessage | None:
        """Take the row for this worker; a row another worker took is left alone."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.status != "pending":
                return None
            wait = await self._quiet_wait(session, row)
            if wait is not None:
                row.available_at = wait
                return None
            attempts = row.attempts + 1
            claimed = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending")
                .values(status="sending", available_at=now, attempts=attempts)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None
        row.attempts = attempts
        return row

    async def _quiet_wait(self, session: AsyncSession, row: OutboxMessage) -> Any:
        if row.urgent or row.account_id is None:
            return None
        account = await session.get(Account, row.account_id)
        if account is None:
            return None
        return quiet_until(self._clock.now(), account.quiet_start, account.quiet_end,
                           account.timezone or "UTC")

    async def _deliver(self, row: OutboxMessage) -> bool:
        await self._limiter.acquire(row.channel, row.address)
        try:
            files = await self._files(row.payload)  # before sending anything: a failure sends nothing
            await self.senders[row.channel].send(row.address, row.payload, files)
        except Exception as exc:
            await self._failed(row, exc)
            return False
        await self._finish(row.id, status="sent", sent_at=self._clock.now())
        return True

    async def _files(self, payload: dict[str, Any]) -> list[Attachment]:
        files = []
        for ref in payload.get("attachments") or []:
            resolver = self.attachments.get(ref["kind"])
            if resolver is None:
                raise LookupError(f"no resolver for {ref['kind']!r} attachments")
            files.append(Attachment(*await resolver(ref["key"])))
        return files

    async def _failed(self, row: OutboxMessage, exc: Exception) -> None:
        attempts = row.attempts  # already counts this try (set when claimed)
        log.warning("outbox row %s to %s failed (attempt %s): %s", row.id, row.channel, attempts, exc)
        if attempts >= MAX_ATTEMPTS:
            await self._finish(row.id, status="failed", last_error=str(exc)[:500])
        else:
            await self._finish(row.id, status="pending", last_error=str(exc)[:500],
                               available_at=self._clock.now() + backoff(attempts))

    async def _finish(self, row_id: int, **values: Any) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "sending")
                .values(**values)
            )

    async def _release_stale_claims(self) -> None:
        # A worker that died mid-send leaves a row in "sending"; after a while it is retried.
        # That is the one case where a message can arrive twice, and it needs a crash.
        cutoff = self._clock.now() - STALE_CLAIM
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "sending", OutboxMessage.available_at < cutoff)
                .values(status="pending")
            )
