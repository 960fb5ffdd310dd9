"""Which handler runs for which event. Each context declares its handlers in its own
`wiring.py` (`wire(bus, deps)`); this wires them in the order of `config.contexts.CONTEXTS` and
adds what crosses them all: the search indexes' upkeep and the dispatcher's wake-up after
commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from config.catalog_wiring import index_upkeep
from config.contexts import CONTEXTS
from core.accounts.events import AccountSuspended
from core.catalog.events import ListingChanged, ListingPublished
from core.catalog.search import Catalog
from core.consulting.events import ProfileChanged
from core.consulting.profiles.directory import Directory
from core.events import Event, EventBus
from core.notifications.dispatcher import OutboxDispatcher
from core.storage.uow import UowFactory
from payments.service import PaymentsService
from payments.wiring import PaymentsWiring


def register(bus: EventBus, *, catalog: Catalog, uow: UowFactory,
             dispatcher: OutboxDispatcher, payments: PaymentsService,
             directory: Directory | None = None) -> None:
    """Every handler of this process, registered once at start."""
    deps = PaymentsWiring(uow=uow, payments=payments)
    for context in CONTEXTS:
        for wire in context.wire:
            wire(bus, deps)
    if directory is not None:
        bus.after_commit(ProfileChanged, directory_upkeep(directory, uow))
        bus.after_commit(AccountSuspended, directory_upkeep(directory, uow))

    async def wake(events: Sequence[Event]) -> None:
        # Notices were written to the outbox in the same transaction; send them now rather
        # than at the dispatcher's next poll.
        dispatcher.wake()

    bus.after_commit(Event, wake)
    upkeep = index_upkeep(catalog, uow)
    bus.after_commit(ListingPublished, upkeep)
    bus.after_commit(ListingChanged, upkeep)
    bus.after_commit(AccountSuspended, upkeep)  # the seller's listings leave or rejoin search


def directory_upkeep(directory: Directory, uow: UowFactory
                     ) -> Callable[[Sequence[Event]], Awaitable[None]]:
    """An after-commit handler keeping this worker's consultant index in step with profiles."""

    async def handle(events: Sequence[Event]) -> None:
        async with uow() as tx:
            await directory.on_events(tx, list(events))

    return handle
