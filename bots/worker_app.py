"""One worker's ASGI app, built from the environment: what `agora serve` runs in its own
process, and what each of `agora serve --workers N`'s processes builds for itself (uvicorn
imports `bots.worker_app:create` in every worker)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI

from bots.channel import Channel
from bots.outbound import outbound
from bots.server import create_app
from config.container import Container, build
from config.settings import Settings, load_settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"


def configured_channels(container: Container) -> list[Channel]:
    """The chat channels whose tokens are configured (the terminal needs none)."""
    channels: list[Channel] = []
    if container.settings.telegram_enabled:
        from bots.telegram.channel import TelegramChannel

        channels.append(TelegramChannel(container))
    if container.settings.slack_enabled:
        from bots.slack.channel import SlackChannel

        channels.append(SlackChannel(container))
    return channels


def assemble(settings: Settings) -> tuple[FastAPI, list[Channel]]:
    """The container, its channels and the app of one worker."""
    container = build(settings, **outbound(settings))
    channels = configured_channels(container)
    return create_app(container, channels), channels


def create() -> FastAPI:
    """uvicorn's factory for each worker process (settings checked by the parent first)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    app, _ = assemble(load_settings())
    return app


def several_workers_problem(settings: Settings, workers: int) -> str | None:
    """Why these settings cannot run as `workers` processes, or None when they can."""
    if workers <= 1:
        return None
    if not settings.database_url.startswith("postgresql"):
        return ("Several workers share one PostgreSQL database (advisory locks, LISTEN/NOTIFY, "
                "SKIP LOCKED); set AGORA_DATABASE_URL=postgresql+asyncpg://… or use --workers 1.")
    if not settings.secret_key:
        return ("Every worker must sign the console's cookies alike: set AGORA_SECRET_KEY "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`).")
    if settings.telegram_enabled and not settings.telegram_webhook_url:
        return ("Telegram allows one getUpdates poller per bot: with several workers set "
                "AGORA_TELEGRAM_WEBHOOK_URL (and AGORA_TELEGRAM_WEBHOOK_SECRET) so Telegram "
                "posts updates to any worker.")
    return None


def several_workers_notes(settings: Settings, workers: int) -> list[str]:
    """What works with several workers but is worth knowing."""
    if workers <= 1 or settings.redis_url:
        return []
    return ["No AGORA_REDIS_URL: each worker paces its own sends, so together they may exceed "
            "Telegram's and Slack's limits (a 429 pauses the chat, nothing is lost)."]


def uvicorn_options(workers: int) -> dict[str, Any]:
    return {"factory": True, "workers": workers, "log_level": "info"}
