"""SQLite's one transaction at a time, handed out in turn within a process.

Every transaction on SQLite begins IMMEDIATE (core.storage.database), so one runs at a time on
a database file. SQLite makes the others wait by polling: a connection that finds the lock
taken sleeps 1, 2, 5, … then 100 ms between tries, and under load it keeps finding the lock
retaken by a luckier connection in the gaps. Behind fifty busy readers a tender's close, due at
a moment, waited 1.5 s for its turn while the lock stood free between the polls.

Within a process the turns are handed out here instead: first come, first served, and the
connections kept for work due at a moment (Container.on_time_uow) ahead of the rest. A turn is
taken when a transaction begins and given back when it commits or rolls back (or its
connection goes back to the pool or dies without either). SQLite's own waiting still settles
turns between processes on one file.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import weakref
from collections import deque
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_, in_greenlet

# As long as SQLite's own busy timeout (core.storage.database): past it a transaction gives up,
# as it would on SQLite's lock ("database is locked").
WAIT_SECONDS = 30.0


class Turns:
    """The turns of one database file on one event loop. A holder is a DBAPI connection."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.holder: object | None = None
        self._first: deque[tuple[object, asyncio.Future[None]]] = deque()  # due at a moment
        self._rest: deque[tuple[object, asyncio.Future[None]]] = deque()

    async def take(self, holder: object, *, first: bool = False) -> None:
        """Wait for this holder's turn (at once when nobody holds it or waits)."""
        assert holder is not None  # None is nobody: a turn given to it could not be given back
        if self.holder is holder:
            return
        if self.holder is None and not self._first and not self._rest:
            self.holder = holder
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._first if first else self._rest
        queue.append((holder, turn))
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self.give_back(holder)  # handed over just as the wait was given up
            elif (holder, turn) in queue:  # (a cancelled wait may have been passed over already)
                queue.remove((holder, turn))
            raise

    def give_back(self, holder: object) -> None:
        """End this holder's turn, if it has one, and hand it to the next waiting."""
        if self.holder is not holder:
            return
        self.holder = None
        for queue in (self._first, self._rest):
            while queue:
                waiter, turn = queue.popleft()
                if not turn.done():
                    self.holder = waiter
                    turn.set_result(None)
                    return


_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Turns]] = (
    weakref.WeakKeyDictionary())


def turns_of(database: str) -> Turns:
    """The turns of a database file on the running loop (an engine serves one loop at a time,
    but the test suite runs many loops in one process)."""
    files = _TURNS.setdefault(asyncio.get_running_loop(), {})
    turns = files.get(database)
    if turns is None:
        turns = files[database] = Turns()
    return turns


def on_file(url: URL) -> str | None:
    """The database file a SQLite URL names, as one path however it is spelt; None for a
    database in memory (its own connection's: nobody to take turns with)."""
    database = url.database or ""
    if database in ("", ":memory:") or "mode=memory" in str(url) or database.startswith("file::memory:"):
        return None
    return os.path.realpath(database.removeprefix("file:").split("?", 1)[0])


class EngineTurns:
    """An engine's connections taking their turn on its database file: `first`, ahead of the
    other engines' connections waiting (those kept for work due at a moment). A turn is taken
    as a transaction begins and given back when it commits or rolls back, or when its
    connection goes back to the pool, is dropped, detached or collected without either."""

    def __init__(self, engine: AsyncEngine, database: str, *, first: bool = False) -> None:
        self.database, self.first = database, first
        # The turns held by this engine's connections, by connection: a connection collected
        # by the garbage collector is given back from whatever thread that runs in.
        self._held: dict[int, tuple[object, Turns]] = {}
        event.listen(engine.sync_engine, "commit", self.give_back)
        event.listen(engine.sync_engine, "rollback", self.give_back)
        for gone in ("checkin", "reset", "invalidate", "close", "detach", "close_detached"):
            event.listen(engine.sync_engine.pool, gone, self._gone)

    def take(self, connection: Connection) -> None:
        """Wait for this transaction's turn (from the engine's `begin` event, in the greenlet
        the async engine runs it in; a bare synchronous use waits in SQLite instead). Past
        WAIT_SECONDS it fails as SQLite's own lock would."""
        if not in_greenlet():
            return
        holder = connection.connection.dbapi_connection  # reconnected first if it was dropped
        turns = turns_of(self.database)
        try:
            await_(turns.take(holder, first=self.first))
        except TimeoutError:
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(
                f"database is locked (no turn in this process for {WAIT_SECONDS:g} s)")) from None
        self._held[id(holder)] = (holder, turns)

    def give_back(self, connection: Connection) -> None:
        """The transaction ended (committed, rolled back, or its BEGIN failed)."""
        self._give_back(_holder(connection))

    def _gone(self, dbapi_connection: Any, *_: Any) -> None:
        self._give_back(dbapi_connection)

    def _give_back(self, holder: object | None) -> None:
        held = self._held.pop(id(holder), None) if holder is not None else None
        if held is None or held[0] is not holder:
            return
        turns = held[1]
        if _running_loop() is turns.loop:
            turns.give_back(holder)
        elif not turns.loop.is_closed():  # the garbage collector, in another thread
            turns.loop.call_soon_threadsafe(turns.give_back, holder)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _holder(connection: Connection) -> object | None:
    """The DBAPI connection under `connection`; None once it was invalidated (its pool's
    `invalidate` event gave the turn back). Never raises: it runs inside commit and rollback,
    where an error would replace theirs (a cancellation turned into an error a loop goes on
    after)."""
    proxied = connection._dbapi_connection
    return None if proxied is None else proxied.dbapi_connection
