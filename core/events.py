"""Domain events and the bus that hands them to their handlers.

Use cases `uow.emit(...)` past-tense facts. Each context declares its handlers in its own
`wiring.py` (core.wiring), and the composition root (config.event_wiring) wires the contexts in
the order it lists them; handlers of one event run in the order they were registered.
`during_commit` handlers run inside the transaction, just before COMMIT — that is where
notifications are written to the outbox, so a crash never loses or duplicates one; `after_commit`
handlers run once the data is committed — search index upkeep, waking the outbox dispatcher.
Event classes live with their context: core.accounts.events, core.catalog.events,
core.money.events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    pass


DuringCommit = Callable[[Any, Any], Awaitable[None]]  # (unit of work, event)
AfterCommit = Callable[[Sequence[Any]], Awaitable[None]]  # (the committed events of a kind)


class EventBus:
    """Handlers by event class (a handler of a base class sees its subclasses too)."""

    def __init__(self) -> None:
        self._during: dict[type[Event], list[DuringCommit]] = defaultdict(list)
        self._after: dict[type[Event], list[AfterCommit]] = defaultdict(list)
        # An event class's in-transaction handlers in order, found once per class (every
        # transaction asks for each event it emits; the registrations run to a hundred).
        self._during_of: dict[type[Event], list[DuringCommit]] = {}

    def during_commit(self, kind: type[Event], handler: DuringCommit) -> None:
        self._during[kind].append(handler)
        self._during_of.clear()

    def after_commit(self, kind: type[Event], handler: AfterCommit) -> None:
        self._after[kind].append(handler)

    async def handle_during(self, uow: Any, event: Event) -> None:
        """Run the in-transaction handlers of one event (they may emit more)."""
        handlers = self._during_of.get(type(event))
        if handlers is None:
            handlers = self._during_of[type(event)] = [
                handler for kind, registered in self._during.items()
                if issubclass(type(event), kind) for handler in registered]
        for handler in handlers:
            await handler(uow, event)

    async def handle_after(self, events: Sequence[Event]) -> None:
        """Give each after-commit handler the committed events of its kind, in order."""
        for kind, handlers in list(self._after.items()):
            mine = [e for e in events if isinstance(e, kind)]
            if mine:
                for handler in handlers:
                    await handler(mine)
