"""Wiring of the catalogue: search service, file store, per-channel file fetchers, index upkeep."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from conversations.context import Services
from core.catalog.media import FileFetcher, FileStore, LocalFileFetcher
from core.catalog.search import Catalog
from core.events import Event
from core.storage.uow import UowFactory


def build_catalog(data_dir: str | Path, services: Services) -> Catalog:
    """The catalogue service and the file ports flows use (channels add their fetchers)."""
    catalog = Catalog()
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
