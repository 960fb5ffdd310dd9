"""The FastAPI server: health, channel webhooks, and the background workers' lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bots.catalog_jobs import sync_index
from bots.channel import Channel
from bots.http_limits import BodyLimit
from bots.payments_web import payments_router
from bots.scheduler import build_scheduler
from bots.web import site_slack
from bots.web.console import install as install_console
from bots.web.pages import static_files
from bots.web.site import site_router
from config.container import Container

log = logging.getLogger(__name__)


def create_app(container: Container, channels: Sequence[Channel] = (),
               run_workers: bool = True) -> FastAPI:
    """The ASGI app; `run_workers` starts channels, the outbox dispatcher and the scheduler."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not run_workers:
            yield
            return
        await sync_index(container)  # the search index is built from the database at start
        for channel in channels:
            await channel.start()
        dispatcher = asyncio.create_task(container.dispatcher.run_forever(), name="outbox")
        scheduler = build_scheduler(container)
        scheduler.start()
        try:
            yield
        finally:
            scheduler.shutdown(wait=False)
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
    app.add_middleware(BodyLimit)
    app.state.container = container

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        try:
            async with container.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # report, don't crash the probe
            return JSONResponse({"status": "error", "database": str(exc)[:200]}, status_code=503)
        return JSONResponse({"status": "ok", "channels": [c.name for c in channels]})

    for channel in channels:
        router = channel.router()
        if router is not None:
            app.include_router(router)
    app.include_router(payments_router(container))
    app.include_router(site_router(container))
    slack = next((c for c in channels if c.name == "slack"), None)
    if slack is not None and container.settings.slack_sign_in_enabled:
        app.state.slack_channel = slack  # "Open in Slack" on the site signs in and opens here
        app.include_router(site_slack.router(container, slack))
    install_console(app)
    app.mount("/static", static_files(), name="static")
    return app
