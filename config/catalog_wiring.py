"""Wiring of the catalogue: search service, file store, per-channel file fetchers, index upkeep."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from conversations.context import Services
from core.accounts.events import AccountSuspended
from core.catalog.events import ListingChanged, ListingPublished
from core.catalog.media import FileFetcher, FileStore, LocalFileFetcher
from core.catalog.search import LOOK_SECONDS, Catalog
from core.consulting.events import ProfileChanged
from core.consulting.profiles.directory import Directory
from core.events import Event, EventBus
from core.storage import change_feed
from core.storage.uow import UnitOfWork, UowFactory


def build_catalog(data_dir: str | Path, services: Services, *, change_feed: bool) -> Catalog:
    """The catalogue service and the file ports flows use (channels add their fetchers). With
    a change feed (PostgreSQL's LISTEN/NOTIFY) every worker's index is kept coherent by it;
    without one (SQLite, shared by several `agora chat`), a search first looks for changes."""
    catalog = Catalog(look_seconds=math.inf if change_feed else LOOK_SECONDS)
    services.catalog = catalog
    services.files = FileStore(data_dir)
    services.fetchers["terminal"] = LocalFileFetcher()
    return catalog


def add_fetcher(services: Services, channel: str, fetcher: FileFetcher) -> None:
    """A channel registers how to download files its users send."""
    services.fetchers[channel] = fetcher


def index_upkeep(catalog: Catalog, uow: UowFactory) -> Callable[[Sequence[Event]], Awaitable[None]]:
    """An after-commit handler keeping this worker's search index in step with listings."""

    async def handle(events: Sequence[Event]) -> None:
        async with uow() as tx:
            await catalog.on_events(tx, list(events))

    return handle


def record_changes(bus: EventBus) -> None:
    """On PostgreSQL: every listing, seller and profile change also joins the change sequence
    in its own transaction, so the other workers' indexes follow within a second."""

    async def listing(uow: UnitOfWork, event: ListingPublished | ListingChanged) -> None:
        await change_feed.record(uow, "listing", [event.listing_id])

    async def account(uow: UnitOfWork, event: AccountSuspended) -> None:
        await change_feed.record(uow, "account", [event.account_id])

    async def consultant(uow: UnitOfWork, event: ProfileChanged) -> None:
        await change_feed.record(uow, "consultant", [event.account_id])

    bus.during_commit(ListingPublished, listing)
    bus.during_commit(ListingChanged, listing)
    bus.during_commit(AccountSuspended, account)
    bus.during_commit(ProfileChanged, consultant)


def follow_changes(catalog: Catalog, directory: Directory | None) -> change_feed.ChangeFeed:
    """This worker's follower of the change sequence, applying changes to its indexes."""

    async def apply(uow: UnitOfWork, changes: dict[str, set[int]]) -> None:
        accounts = changes.get("account", set())
        await catalog.refresh_changed(uow, changes.get("listing", set()), accounts)
        if directory is not None:
            await directory.refresh(uow, changes.get("consultant", set()) | accounts)

    async def reload(uow: UnitOfWork) -> None:
        await catalog.load(uow)
        if directory is not None and directory.loaded:
            await directory.load(uow)

    return change_feed.ChangeFeed(apply, reload)
