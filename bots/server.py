"""The FastAPI server: health, channel webhooks, and the background workers' lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from bots import crypto_web, health, payments_web
from bots.api import app as api
from bots.catalog_jobs import sync_index
from bots.catalog_listener import CatalogListener
from bots.channel import Channel
from bots.http_input import RefuseNul
from bots.http_limits import BodyLimit
from bots.leader import asyncpg_dsn, scheduler_leadership
from bots.lost_connections import RetryOnLostConnection
from bots.scheduler import build_scheduler
from bots.web.console.dashboard import install as install_console
from bots.web.mini_app import screens as mini_app
from bots.web.pages import static_files
from bots.web.site import calendar_feed
from bots.web.site import home as site
from bots.web.site import slack as site_slack
from config.container import Container
from core.catalog import gazetteer, query_countries
from core.i18n import LANGUAGES, translations

log = logging.getLogger(__name__)


def warm_translations() -> None:
    """Compile every offered language's catalogue (a tenth of a second each) before serving."""
    for language in LANGUAGES:
        translations(language)


@functools.cache  # once a process: what a later call would freeze may be a test's leftovers
def freeze_what_lives() -> None:
    """Take what a worker has loaded by now out of the garbage collector's sight: the code, the
    gazetteer, the catalogues live as long as the process. A worker holds some 850,000 objects
    once warm, and a full collection walked them all — half a second of a stopped event loop
    (every chat of the worker waiting), each time enough new objects had outlived two younger
    collections. Frozen, a full collection walks only what was made since."""
    gc.collect()  # what is garbage already is not kept for ever
    gc.freeze()


def create_app(container: Container, channels: Sequence[Channel] = (),
               run_workers: bool = True) -> FastAPI:
    """The ASGI app; `run_workers` starts channels, the outbox dispatcher and the scheduler."""

    leadership = scheduler_leadership(container)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await container.seed_operators(exactly=run_workers)
        if not run_workers:
            yield
            return
        # The gazetteer takes seconds to load; loaded by the first city typed, it would stall
        # every chat of this worker meanwhile.
        await asyncio.to_thread(gazetteer.warm)
        await asyncio.to_thread(query_countries.warm)  # the same for country names in a search
        warm_translations()  # each catalogue compiled now, not in a first reader's turn
        freeze_what_lives()
        listener = await follow_other_workers(container)
        for channel in channels:
            await channel.start()
        dispatcher = asyncio.create_task(container.dispatcher.run_forever(), name="outbox")
        own_jobs = build_scheduler(container, leader_jobs=False)  # this worker's indexes
        own_jobs.start()
        leadership.start()  # the timed jobs for everyone, in one worker
        try:
            yield
        finally:
            await leadership.stop()
            own_jobs.shutdown(wait=False)
            if listener is not None:
                await listener.stop()
            dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await dispatcher
            for channel in reversed(channels):
                await channel.stop()

    # The API docs describe internals: served only in development.
    docs = container.settings.environment == "development"
    app = FastAPI(title="Agora", lifespan=lifespan, docs_url="/docs" if docs else None,
                  redoc_url="/redoc" if docs else None,
                  openapi_url="/openapi.json" if docs else None)
    # Inside the body's limits: a request that lost its database connection runs again.
    app.add_middleware(RetryOnLostConnection)
    app.add_middleware(BodyLimit, read_seconds=container.settings.body_read_seconds)
    # Pages, styles and scripts travel compressed (a page's weight is what crosses the wire);
    # the live board's event stream is left alone by the middleware.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(RefuseNul)  # outermost: a NUL never reaches a route or the database
    app.state.container = container
    app.state.leadership = leadership

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        body, status = await health.report(container, leadership.is_leader)
        body["channels"] = [c.name for c in channels]
        return JSONResponse(body, status_code=status)

    # First: a request is matched against the routes in order, and the API's clients should
    # not pay for trying the site's, the console's and the Mini App's pages first.
    api.install(app, container)  # the API for companies' own systems, at /api/v1
    for channel in channels:
        router = channel.router()
        if router is not None:
            app.include_router(router)
    app.include_router(payments_web.router)
    app.include_router(crypto_web.router)
    app.include_router(site.router)
    app.include_router(calendar_feed.router)
    if container.settings.telegram_enabled:
        mini_app.install(app)  # the Telegram Mini App, signed in by Telegram's initData
    slack = next((c for c in channels if c.name == "slack"), None)
    if slack is not None and container.settings.slack_sign_in_enabled:
        app.state.slack_channel = slack  # "Open in Slack" on the site signs in and opens here
        app.include_router(site_slack.router)
    install_console(app)
    app.mount("/static", static_files(), name="static")
    return app


async def follow_other_workers(container: Container) -> CatalogListener | None:
    """Build the search indexes from the database; on PostgreSQL also follow the changes other
    workers commit (from the sequence's current end, taken before the build)."""
    feed = container.changes
    if feed is not None:
        async with container.uow() as uow:
            await feed.start(uow)
    await sync_index(container)
    if container.directory is not None:
        async with container.uow() as uow:
            await container.directory.load(uow)
    if feed is None:
        return None
    listener = CatalogListener(asyncpg_dsn(container.db.url), feed, container.uow)
    listener.start()
    return listener
