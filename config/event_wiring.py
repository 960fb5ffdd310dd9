"""Which handler runs for which event. Each context declares its handlers in its own
`wiring.py` (`wire(bus, deps)`); this lists the contexts in the order they are wired and adds
what crosses them all: index upkeep and the dispatcher's wake-up after commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from config.catalog_wiring import index_upkeep
from core.accounts.events import AccountSuspended
from core.catalog import wiring as listings
from core.catalog.events import ListingChanged, ListingPublished
from core.catalog.search import Catalog
from core.community import wiring as community
from core.companies import wiring as companies
from core.consulting import wiring as consulting
from core.consulting.events import ProfileChanged
from core.consulting.profiles.directory import Directory
from core.deals import wiring as deals
from core.events import Event, EventBus
from core.learning import wiring as learning
from core.loyalty import wiring as loyalty
from core.notifications import wiring as account_notices
from core.notifications.dispatcher import OutboxDispatcher
from core.storage.uow import UowFactory
from core.support import wiring as support
from payments import wiring as money
from payments.service import PaymentsService
from payments.wiring import PaymentsWiring

# Handlers of one event run in the order they were registered, so this order is behaviour:
# payments' handlers stand beside the context whose money they move (a deal cancelled before
# payment closes its escrow before the deal's notices are written; a saved card is told to its
# booking before it starts a retainer; points come last). tests/test_wiring.py holds it.
CONTEXTS: tuple[Callable[[EventBus, PaymentsWiring], None], ...] = (
    money.payment_notices,
    account_notices.wire,
    companies.wire,
    money.deal_money,
    deals.wire,
    money.session_money,
    money.promotion_money,
    money.deposit_money,
    listings.wire,
    consulting.wire,
    money.booking_money,
    money.package_money,
    support.wire,
    community.wire,
    learning.wire,
    loyalty.wire,
    money.loyalty_money,
)


def register(bus: EventBus, *, catalog: Catalog, uow: UowFactory,
             dispatcher: OutboxDispatcher, payments: PaymentsService,
             directory: Directory | None = None) -> None:
    """Every handler of this process, registered once at start."""
    deps = PaymentsWiring(uow=uow, payments=payments)
    for wire in CONTEXTS:
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
