"""Delivers outbox rows after commit: batches claimed under a lease, sent concurrently one row per
chat at a time, retries with back-off, quiet hours, pauses a chat the channel asks to wait.

Every worker runs a dispatcher. A claim takes up to `batch` due rows in one short transaction
(PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claims pass each other; SQLite:
the same statements, one writer at a time) and marks them `sending` with a lease (`claimed_by`,
`claimed_at`). A row is claimable only when no earlier row of its chat is being sent or due, so
one chat has at most one row in flight, in id order, across all workers. A lease older than
`lease` is a worker that died mid-send: its rows are claimed again (on PostgreSQL at once when
the claiming process has no connection left: `core.storage.workers`). That is the one
at-least-once window — a crash after the channel accepted a message and before the row was
marked sent — since neither Telegram's nor Slack's send methods take an idempotency key. A
mark whose connection turns out dead is made again on a fresh one, so a dropped connection alone
does not open that window.

The dispatcher runs the batches; claiming rows is `core.notifications.claiming`'s, sending one
`core.notifications.delivery`'s, and the marks and leases `core.notifications.settling`'s.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from core.notifications import cards
from core.notifications.claiming import Claiming
from core.notifications.delivery import Delivery, Resolver, Sender
from core.notifications.ratelimit import Limiter, SendLimiter
from core.storage import workers

log = logging.getLogger(__name__)

# A batch is sent well within its lease (100 rows at Telegram's 30/s take about 3.5 s).
LEASE = timedelta(minutes=2)
BATCH = 100


class OutboxDispatcher(Claiming, Delivery):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        senders: dict[str, Sender],
        limiter: Limiter | None = None,
        accept: Callable[[str, str, int | None], bool] | None = None,
        poll_seconds: float = 1.0,
        attachments: dict[str, Resolver] | None = None,
        card_builders: dict[str, cards.CardBuilder] | None = None,
        batch: int = BATCH,
        lease: timedelta = LEASE,
        worker: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.senders = senders
        # Files are referenced in the payload ({"kind", "key"}), not stored in the row: the
        # resolver of their kind renders them at delivery time.
        self.attachments = attachments if attachments is not None else {}
        # An object's card as it is now, by the object's kind ("deal"), for rewriting its
        # latest card in a chat (core.notifications.cards.rewrite_latest).
        self.card_builders = card_builders if card_builders is not None else {}
        self._limiter = limiter or SendLimiter()
        # accept(channel, address, account_id): which rows this dispatcher delivers.
        self._accept = accept or (lambda channel, address, account_id: True)
        self._poll = poll_seconds
        self._wake = asyncio.Event()
        self._batch = batch
        self._lease = lease
        # Who holds a lease: unique per dispatcher, naming its process (host-pid-random#tail).
        self.worker = worker or workers.claim_name(uuid.uuid4().hex[:8])
        self._owed: dict[int, dict[str, Any]] = {}  # row → the mark the database did not take

    @property
    def limiter(self) -> Limiter:
        return self._limiter

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
        """Deliver every row that is due now; returns how many were sent. Rows are claimed a
        batch at a time and sent concurrently; when half a batch is done it is topped up, so the
        channel's pace is kept between batches — and at once when new rows are committed
        (`wake`), so a verification code never waits for a batch of others to be sent."""
        await self._settle_owed()
        await self._release_expired_leases()
        sent = 0
        flying: set[asyncio.Task[bool]] = set()
        woken: asyncio.Task[Any] | None = None
        try:
            while True:
                rows, progressed = await self._claim_batch(self._batch - len(flying))
                flying |= {asyncio.create_task(self._deliver(row)) for row in rows}
                if not flying:
                    if progressed:
                        continue
                    return sent
                # Nothing more claimable now (a chat's next row waits for the one in flight):
                # let every send finish before looking again, unless new rows come.
                keep = len(flying) // 2 if rows else 0
                while len(flying) > keep:
                    woken = woken or asyncio.create_task(self._wake.wait())
                    done, _ = await asyncio.wait({*flying, woken},
                                                 return_when=asyncio.FIRST_COMPLETED)
                    flying -= done
                    sent += sum(_delivered(task) for task in done if task is not woken)
                    if woken in done:
                        self._wake.clear()
                        woken = None
                        break
        finally:
            for task in (*flying, woken):  # cancelled (shutdown): the leases bring rows back
                if task is not None:
                    task.cancel()

def _delivered(task: asyncio.Task[bool]) -> bool:
    if task.exception() is not None:
        log.error("outbox delivery broke", exc_info=task.exception())
        return False
    return task.result()
