"""Unit of work: one transaction per use case; its events go to their handlers, in the
transaction just before COMMIT and again after it (core.events.EventBus). Its rows — staged,
inserted, loaded by id — are core.storage.uow_rows'."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    AsyncSessionTransaction,
    async_sessionmaker,
)

from core.clock import Clock
from core.events import Event, EventBus
from core.money.reading import reading
from core.policy import Policy
from core.storage.uow_rows import Rows

Kept = TypeVar("Kept")


def dialect_name(session: AsyncSession) -> str:
    """The session's database dialect: "postgresql" or "sqlite"."""
    assert session.bind is not None  # every session factory is bound to its engine
    return session.bind.dialect.name


class Savepoint:
    """A SAVEPOINT of a unit of work: `rollback()` undoes the writes made since, the rows
    staged for commit (`UnitOfWork.stage`) since among them (those staged before it were
    written when it began); `commit()` keeps them."""

    def __init__(self, uow: UnitOfWork, tx: AsyncSessionTransaction) -> None:
        self._uow, self._tx = uow, tx

    async def rollback(self) -> None:
        await self._tx.rollback()
        self._uow._staged.clear()
        self._uow.session.info.clear()  # what `kept` remembered may have been undone with it

    async def commit(self) -> None:
        await self._tx.commit()


class UnitOfWork(Rows):
    """`async with uow:` … `await uow.commit()`; leaving without commit rolls back."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        bus: EventBus | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.policy = policy or Policy()
        self._sessions = sessions
        self.bus = bus or EventBus()
        self.clock = clock
        self.events: list[Event] = []
        self._then: dict[str, Callable[[], Awaitable[None]]] = {}
        self._session: AsyncSession | None = None
        self._connection: AsyncConnection | None = None
        self._staged: list[Any] = []

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._connection = None
        self.events = []
        self._then = {}
        self._staged = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.session.close()  # rolls back what was not committed
        finally:
            self._session = None
            self._connection = None
            self._staged = []

    async def rollback(self) -> None:
        """Roll back now and go on in a new transaction (e.g. after an IntegrityError)."""
        self._connection = None
        self._staged = []
        await self.session.rollback()
        self.session.info.clear()  # what `kept` remembered was rolled back with it

    async def savepoint(self) -> Savepoint:
        """A SAVEPOINT: roll back one step (`.rollback()`) and keep the rest of the transaction.
        The rows staged before it are written first, so that only those of the step are
        undone with it."""
        await self._write_staged()
        point = Savepoint(self, await self.session.begin_nested())
        # The session emits SAVEPOINT only when it next hands out its connection: asked for
        # it now, so that Core statements on `core()` are inside the savepoint too.
        await self.session.connection()
        return point

    @asynccontextmanager
    async def nested(self) -> AsyncIterator[None]:
        """`async with uow.nested():` a block in a SAVEPOINT: an exception undoes the block's
        writes, the rows it staged among them, and goes on out of the block (the rest of the
        transaction stays). Use it, not the session's `begin_nested`, which knows nothing of
        the staged rows."""
        point = await self.savepoint()
        try:
            yield
        except BaseException:
            await point.rollback()
            raise
        await point.commit()

    async def flush(self) -> None:
        """Write everything now: the session's changes and the staged rows (inside `nested`,
        to meet a unique key's conflict there rather than at commit)."""
        await self.session.flush()
        await self._write_staged()

    def kept(self, name: str, empty: Callable[[], Kept]) -> Kept:
        """What this transaction remembers under `name` (the journals it posted, the documents
        it made, who its notices reach…), `empty()` at first: it saves asking the database
        again, and is forgotten when the transaction commits or rolls back."""
        found: Kept = self.session.info.setdefault(name, empty())
        return found

    def emit(self, event: Event) -> None:
        self.events.append(event)

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._sessions

    def sibling(self) -> UnitOfWork:
        """A new unit of work on the same database, for a separate transaction."""
        return UnitOfWork(self._sessions, self.clock, self.bus, self.policy)

    def then(self, name: str, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once after this transaction commits (a second one of that name is ignored)."""
        self._then.setdefault(name, step)

    async def commit(self) -> None:
        """Handle the events in the transaction (handlers may emit more), COMMIT, then hand
        the committed events to the after-commit handlers and run the `then` steps."""
        handled = 0
        with reading(None):  # a notice is written for its recipient, never in the actor's format
            while handled < len(self.events):
                handled += 1
                await self.bus.handle_during(self, self.events[handled - 1])
        await self._write_staged()
        await self.session.commit()
        self.session.info.clear()  # what `kept` remembered belongs to the committed transaction
        events, self.events = self.events, []
        steps, self._then = list(self._then.values()), {}
        if events:
            await self.bus.handle_after(events)
        for step in steps:
            await step()


UowFactory = Callable[[], UnitOfWork]
