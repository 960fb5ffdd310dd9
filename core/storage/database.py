"""Engine creation: one code path for SQLite (aiosqlite, WAL) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.util.concurrency import in_greenlet

from core.errors import OutsideFirst
from core.storage.sqlite_turns import EngineTurns, on_file
from core.storage.workers import application_name

log = logging.getLogger(__name__)
T = TypeVar("T")


def create_engine(url: str, *, echo: bool = False, pool_size: int = 40, on_time: bool = False
                  ) -> AsyncEngine:
    """Create the engine; on SQLite every transaction takes the write lock at BEGIN.
    `pool_size`: PostgreSQL connections kept (AGORA_DATABASE_POOL_SIZE), a quarter more at
    peaks; size it so that every worker's pool fits the server's max_connections.
    `on_time`: the engine of work due at a moment, whose transactions on SQLite go ahead of
    the others waiting in this process (core.storage.sqlite_turns)."""
    if not url.startswith("sqlite"):
        # Kept: as many connections as Telegram opens to a webhook at most (40 by default),
        # so a busy worker reuses them instead of connecting anew for every request beyond
        # the pool (a PostgreSQL connection costs a server process). Not pinged before each
        # use (asyncpg's ping is three round trips): a connection found dead raises once,
        # the pool then replaces every connection older than the failure, and
        # `retry_if_disconnected` runs the work again. Named after the worker, so other
        # workers can tell whether it is alive (core.storage.workers).
        return create_async_engine(
            url, echo=echo, pool_size=pool_size, max_overflow=max(1, pool_size // 4), pool_recycle=3600,
            connect_args={"server_settings": {"application_name": application_name()}})
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})
    _make_sqlite_serial(engine, on_time=on_time)
    return engine


def _make_sqlite_serial(engine: AsyncEngine, *, on_time: bool) -> None:
    # pysqlite's own BEGIN is deferred: a read followed by a write can then fail or, worse,
    # act on a stale read. Taking over BEGIN and issuing BEGIN IMMEDIATE makes
    # check-then-update safe, as the SQLAlchemy docs recommend for SQLite.
    database = on_file(engine.url)  # None: a database in memory, however its URL is written

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if database is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # One transaction runs at a time: within the process they take turns in order, rather
    # than in SQLite's polling (a waiter sleeps up to 100 ms between tries, and loses the lock
    # to luckier ones in between).
    turns = None if database is None else EngineTurns(engine, database, first=on_time)

    @event.listens_for(engine.sync_engine.pool, "invalidate")
    def _end_its_transaction(dbapi_connection: Any, _record: Any, _exc: Any) -> None:
        # A statement cancelled while it runs (a worker stopping, a probe's timeout) drops its
        # connection, whose close then waits on a cursor nobody finalises: SQLite kept the
        # file's lock, and every other connection waited 30 s and failed "database is locked".
        # Rolling the transaction back first ends it, pending statement and lock with it.
        if dbapi_connection is None or not in_greenlet():
            return
        try:
            dbapi_connection.rollback()
        except Exception:
            log.debug("rollback of a dropped SQLite connection failed", exc_info=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if turns is None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        turns.take(connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.give_back(connection)
            raise


class HoldingSession(Session):
    """A session that keeps every object it loads or adds until it is closed.

    SQLAlchemy's identity map holds objects weakly, so a row a service loaded and let go of is
    read again when an event handler asks for it in the same transaction (`session.get`). A unit
    of work is short: holding its rows costs little and saves those round trips."""


@event.listens_for(HoldingSession, "loaded_as_persistent")
@event.listens_for(HoldingSession, "pending_to_persistent")
def _hold(session: Session, instance: object) -> None:
    session.info.setdefault("held", []).append(instance)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True,
                              sync_session_class=HoldingSession)


async def retry_if_disconnected(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` (one whole transaction); once more if its connection turned out dead — the
    database restarted, say. A connection lost before COMMIT rolled its transaction back; one
    lost during COMMIT may have committed, and the second attempt then finds its dedupe key
    (an update's id) and does nothing. A use case that asks for work outside any transaction
    first (`OutsideFirst`: a calendar to read) gets it done, and runs once more."""
    try:
        return await _again_if_disconnected(work)
    except OutsideFirst as first:
        await first.work()
        return await _again_if_disconnected(work)


async def _again_if_disconnected(work: Callable[[], Awaitable[T]]) -> T:
    try:
        return await work()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost (%s); trying again on a new one", exc.orig)
        return await work()
