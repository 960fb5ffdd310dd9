"""How a context's event handlers are wired: each context declares them in its own `wiring.py`
as `wire(bus, deps)`, and the composition root (config.event_wiring) calls each context's in
the order it lists them. `Wiring` is what handlers are built with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.events import EventBus
from core.storage.uow import UowFactory


@dataclass(frozen=True)
class Wiring:
    """What the composition root hands every context's `wire`: the unit-of-work factory, for a
    handler that runs after commit in a transaction of its own."""

    uow: UowFactory


Wire = Callable[[EventBus, Wiring], None]
