"""This worker's ear on the other workers' catalogue changes (PostgreSQL `LISTEN`): a NOTIFY
wakes it, it applies the change sequence after the last change it saw; after a reconnect it
catches up from the table, so a notification missed while away loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

from core.storage.change_feed import CHANNEL, ChangeFeed
from core.storage.uow import UowFactory
from core.storage.workers import application_name

log = logging.getLogger(__name__)

STOP_SECONDS = 5.0


class CatalogListener:
    """LISTEN on a connection of its own; apply the sequence when woken, or every `poll` s."""

    def __init__(self, dsn: str, feed: ChangeFeed, uow: UowFactory, poll: float = 5.0,
                 retry: float = 1.0) -> None:
        self.dsn, self.feed, self.uow = dsn, feed, uow
        self.poll, self.retry = poll, retry
        self.conn: asyncpg.Connection | None = None
        self.listening = asyncio.Event()  # set while notifications reach this worker
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="catalog-listener")

    async def stop(self) -> None:
        """Cancel the listener; waits at most a few seconds (a connection stuck in a query
        must not hold a worker's shutdown)."""
        if self._task is not None:
            self._task.cancel()
            done, _ = await asyncio.wait({self._task}, timeout=STOP_SECONDS)
            if not done:
                log.warning("catalogue listener: not stopped within %s s; left behind", STOP_SECONDS)
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: listen again, then catch up
                log.warning("catalogue listener: %s", exc)
            finally:
                self.listening.clear()
                await self._close()
            await asyncio.sleep(self.retry)

    async def _listen(self) -> None:
        self.conn = await asyncpg.connect(
            self.dsn, timeout=10, server_settings={"application_name": application_name()})
        await self.conn.add_listener(CHANNEL, lambda *_: self._wake.set())
        self.conn.add_termination_listener(lambda _conn: self._wake.set())
        self.listening.set()
        await self._catch_up(after_outage=True)  # what was missed while not listening
        while not self.conn.is_closed():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0 if self.feed.waiting else self.poll)
            self._wake.clear()
            await self.conn.fetchval("SELECT 1")  # a dead connection shows here, not silently
            await self._catch_up()

    async def _catch_up(self, after_outage: bool = False) -> None:
        async with self.uow() as uow:
            await self.feed.catch_up(uow, after_outage)

    async def _close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)
