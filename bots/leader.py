"""One scheduler leader among workers: on PostgreSQL the worker holding a session advisory lock
on a connection of its own runs the timed jobs; the others try again every few seconds. A
leader that dies closes its connection, PostgreSQL releases the lock, another takes it. On
SQLite (one process) this worker always leads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import URL

from bots.scheduler import build_scheduler
from config.container import Container
from core.storage.workers import application_name

log = logging.getLogger(__name__)

LOCK_KEY = 0x61676F7261  # "agora": the one lock whose holder runs the timed jobs


def asyncpg_dsn(url: URL) -> str:
    """The DSN asyncpg takes for an SQLAlchemy `postgresql+asyncpg` URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Leadership:
    """Calls `lead()` when this worker becomes leader (what it returns is `running`) and
    `step_down(running)` when it stops being one."""

    def __init__(self, dsn: str | None, lead: Callable[[], Any],
                 step_down: Callable[[Any], None], retry_seconds: float = 3.0) -> None:
        self.dsn, self.retry = dsn, retry_seconds
        self._lead, self._step_down = lead, step_down
        self.is_leader = False
        self.running: Any = None
        self.conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    def start(self) -> None:
        """Lead at once on SQLite; on PostgreSQL keep trying for the lock in the background."""
        if self.dsn is None:
            self._gain()
        elif self._task is None:
            self._task = asyncio.create_task(self._run(), name="scheduler-leader")

    async def stop(self) -> None:
        """Stop leading (or trying to) and close the lock's connection: another takes over."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._lose()

    async def _run(self) -> None:
        assert self.dsn is not None
        while True:
            try:
                await self._hold()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: step down, try again
                log.warning("scheduler leadership: %s", exc)
            finally:
                self._lose()
                await self._close()
            await asyncio.sleep(self.retry)

    async def _hold(self) -> None:
        """On one connection: try for the lock until it is ours, then check it stays alive."""
        assert self.dsn is not None
        self.conn = await asyncpg.connect(
            self.dsn, timeout=10, server_settings={"application_name": application_name()})
        self._lost.clear()
        self.conn.add_termination_listener(lambda _conn: self._lost.set())
        while not self.conn.is_closed():
            if self.is_leader:
                await self.conn.fetchval("SELECT 1")  # the connection, hence the lock, is alive
            elif await self.conn.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY):
                self._gain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), self.retry)
            if self._lost.is_set():
                raise ConnectionError("the leader lock's connection closed")

    def _gain(self) -> None:
        if not self.is_leader:
            self.is_leader = True
            log.info("this worker now runs the timed jobs")
            self.running = self._lead()

    def _lose(self) -> None:
        if self.is_leader:
            self.is_leader = False
            log.info("this worker no longer runs the timed jobs")
            running, self.running = self.running, None
            self._step_down(running)

    async def _close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)


def scheduler_leadership(container: Container) -> Leadership:
    """The leadership of this worker: the leader-only jobs' scheduler starts and stops with it."""

    def lead() -> AsyncIOScheduler:
        scheduler = build_scheduler(container, worker_jobs=False)
        scheduler.start()
        return scheduler

    def step_down(scheduler: AsyncIOScheduler) -> None:
        scheduler.shutdown(wait=False)

    dsn = None if container.settings.is_sqlite else asyncpg_dsn(container.db.url)
    return Leadership(dsn, lead, step_down, container.settings.leader_retry_seconds)
