"""Unit of work: one transaction per use case, events handed on after commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    AsyncSessionTransaction,
    async_sessionmaker,
)

from core.clock import Clock
from core.events import Event
from core.policy import Policy

AfterCommit = Callable[[Sequence[Event]], Awaitable[None]]


class UnitOfWork:
    """`async with uow:` … `await uow.commit()`; leaving without commit rolls back."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        after_commit: AfterCommit | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.policy = policy or Policy()
        self._sessions = sessions
        self._after_commit = after_commit
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

    async def savepoint(self) -> AsyncSessionTransaction:
        """A SAVEPOINT: roll back one step (`.rollback()`) and keep the rest of the transaction."""
        return await self.session.begin_nested()

    def emit(self, event: Event) -> None:
        self.events.append(event)

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._sessions

    def sibling(self) -> UnitOfWork:
        """A new unit of work on the same database, for a separate transaction."""
        return UnitOfWork(self._sessions, self.clock, self._after_commit, self.policy)

    def then(self, name: str, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once after this transaction commits (a second one of that name is ignored)."""
        self._then.setdefault(name, step)

    async def commit(self) -> None:
        await self.session.commit()
        events, self.events = self.events, []
        steps, self._then = list(self._then.values()), {}
        if self._after_commit and events:
            await self._after_commit(events)
        for step in steps:
            await step()

    def add(self, row: Any) -> None:
        self.session.add(row)


UowFactory = Callable[[], UnitOfWork]
