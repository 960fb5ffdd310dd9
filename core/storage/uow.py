"""Unit of work: one transaction per use case; its events go to their handlers, in the
transaction just before COMMIT and again after it (core.events.EventBus)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

Kept = TypeVar("Kept")


def dialect_name(session: AsyncSession) -> str:
    """The session's database dialect: "postgresql" or "sqlite"."""
    assert session.bind is not None  # every session factory is bound to its engine
    return session.bind.dialect.name


class UnitOfWork:
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

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._connection = None
        self.events = []
        self._then = {}
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()
            self._session = None
            self._connection = None

    async def core(self) -> AsyncConnection:
        """The session's connection, for Core statements on tables in hot paths: the same
        transaction, without the ORM's per-statement bookkeeping (about half the CPU of a write)."""
        if self._connection is None:
            self._connection = await self.session.connection()
        return self._connection

    async def rollback(self) -> None:
        """Roll back now and go on in a new transaction (e.g. after an IntegrityError)."""
        self._connection = None
        await self.session.rollback()
        self.session.info.clear()  # what `kept` remembered was rolled back with it

    async def savepoint(self) -> AsyncSessionTransaction:
        """A SAVEPOINT: roll back one step (`.rollback()`) and keep the rest of the transaction."""
        return await self.session.begin_nested()

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
        await self.session.commit()
        self.session.info.clear()  # what `kept` remembered belongs to the committed transaction
        events, self.events = self.events, []
        steps, self._then = list(self._then.values()), {}
        if events:
            await self.bus.handle_after(events)
        for step in steps:
            await step()

    def add(self, row: Any) -> None:
        self.session.add(row)


UowFactory = Callable[[], UnitOfWork]
