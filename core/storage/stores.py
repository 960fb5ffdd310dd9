"""A context's store in a unit of work, for the contexts whose storage sits behind a protocol
(docs/architecture.md, *A context's storage behind a protocol*): each context's `…_of(uow)`
asks `store_of`.

- On the database's unit of work, the SQL store, built on it for the call.
- Handed a store instead (a test's in-memory fake), that store: a use case runs on it alone.
- Handed a unit of work that holds stores (`HoldsStores`: the tests' engine in memory,
  `tests/support/memory_engine.py`), the one it holds for that protocol: a flow runs through
  the engine and its use cases on the fakes, with no database anywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar, runtime_checkable

from core.events import Event
from core.storage.uow import UnitOfWork

S = TypeVar("S")


@runtime_checkable
class HoldsStores(Protocol):
    """A unit of work that is not the database's and holds a store per protocol."""

    def held_store(self, protocol: Any) -> Any:
        """The store it holds for `protocol` (a clear error when it holds none)."""
        ...


def store_of(uow: object, protocol: Any, sql: Callable[[UnitOfWork], S]) -> S:
    """The store of `protocol` in `uow`: see the module's docstring."""
    if isinstance(uow, UnitOfWork):
        return sql(uow)
    if isinstance(uow, HoldsStores):
        held: S = uow.held_store(protocol)
        return held
    return uow  # type: ignore[return-value]  # a store handed in place of a unit of work


class SqlStore:
    """What every context's SQL store shares: it works inside the caller's unit of work (the
    transaction, its commit and rollback stay the caller's), reads its clock and emits on it."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def now(self) -> datetime:
        return self._uow.clock.now()

    def emit(self, event: Event) -> None:
        self._uow.emit(event)
