"""Wiring of the catalogue: search service, file store, per-channel file fetchers, index upkeep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conversations.context import Services
from core.catalog.catalog import Catalog
from core.catalog.events import ListingChanged, ListingPublished
from core.catalog.media import FileStore, LocalFileFetcher
from core.events import Event

if TYPE_CHECKING:
    from config.container import Container


def build_catalog(container: Container, services: Services) -> Catalog:
    """The catalogue service and the file ports flows use (channels add their fetchers)."""
    catalog = Catalog()
    services.catalog = catalog
    services.files = FileStore(container.settings.data_dir)
    services.fetchers["terminal"] = LocalFileFetcher()
    return catalog


def add_fetcher(container: Container, channel: str, fetcher: object) -> None:
    """A channel registers how to download files its users send."""
    container.engine.services.fetchers[channel] = fetcher  # type: ignore[assignment]


async def after_commit(container: Container, events: Sequence[Event]) -> None:
    """Keep this worker's search index in step with committed listing changes."""
    if not any(isinstance(e, ListingPublished | ListingChanged) for e in events):
        return
    async with container.uow() as uow:
        await container.catalog.on_events(uow, list(events))
