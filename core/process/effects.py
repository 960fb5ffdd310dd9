"""A transition's effects, carried out: each context that owns an effect registers its handler
for the effect's name, on the bus, where its other handlers of the process's moved event stand
(their order is behaviour: core.events). The handler runs only for a move whose transition
declares the effect, so *when* money moves, a deposit is settled or points are earned is read
from the process declaration, beside the transition, and nowhere else; *how* stays with the
context that owns it. A test checks every declared effect has a handler and every handler a
declaration (tests/test_process_effects.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.process.model import Process


class Moved(Protocol):
    """A context's moved event: which transition was taken."""

    @property
    def transition(self) -> str: ...


@dataclass(frozen=True)
class During:
    """In the moving transaction: `handler(uow, event)` for each move declaring `effect`."""

    process: Process
    effect: str
    handler: Callable[[Any, Any], Awaitable[None]]

    def __post_init__(self) -> None:
        self.process.reached_by(self.effect)  # a handler of an undeclared effect fails at wiring

    async def __call__(self, uow: Any, event: Moved) -> None:
        if self.effect in self.process.transition(event.transition).effects:
            await self.handler(uow, event)


@dataclass(frozen=True)
class After:
    """Once committed: `handler(events)` with the moves declaring `effect` (if any)."""

    process: Process
    effect: str
    handler: Callable[[Sequence[Any]], Awaitable[None]]

    def __post_init__(self) -> None:
        self.process.reached_by(self.effect)

    async def __call__(self, events: Sequence[Moved]) -> None:
        mine = [e for e in events if self.effect in self.process.transition(e.transition).effects]
        if mine:
            await self.handler(mine)


EffectHandler = During | After
