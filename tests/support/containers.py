"""The one way the fixtures wire the application: test settings, and a container closed after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bots.calendars import RemoteCalendars
from bots.webhook_poster import HttpPoster
from config.container import Container, build
from config.settings import Settings
from core.clock import Clock
from tests.support import databases
from tests.support.names import Names


def settings_for(db_url: str, **extra: Any) -> Settings:
    """The settings of a test: its database, the test environment, and what it adds."""
    return Settings(database_url=db_url, environment="test", **extra)  # type: ignore[call-arg]


def wire(settings: Settings, *, clock: Clock | None = None, mailbox: Any = None) -> Container:
    """A container from settings, its email captured in `mailbox` when one is given; the caller
    closes it (`container` below does)."""
    return build(settings, clock=clock, senders={"email": mailbox} if mailbox is not None else None,
                 db=databases.kept_engine(settings.database_url), calendar_port=RemoteCalendars(),
                 webhook_poster=HttpPoster(), webhook_resolver=Names())


@asynccontextmanager
async def container(settings: Settings, *, clock: Clock | None = None, mailbox: Any = None,
                    seed: bool = False) -> AsyncIterator[Container]:
    """A container for the block, closed after it; `seed` names the settings' operators in the
    database, as every process that opens it does."""
    app = wire(settings, clock=clock, mailbox=mailbox)
    try:
        if seed:
            await app.seed_operators()
        yield app
    finally:
        await app.close()
