"""/healthz reports the database, Redis when configured, whether this worker leads the
scheduler, and the outbox backlog; only a database that does not answer makes it a 503."""

from __future__ import annotations

import asyncio
import gc
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bots.email import LoggingEmailSender
from bots.server import create_app
from config.container import Container, build
from config.settings import Settings
from core.notifications.tables import OutboxMessage
from tests.support import databases
from tests.support.servers import free_port


async def healthz(server: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=server)
    async with httpx.AsyncClient(transport=transport, base_url="http://agora") as http:
        return await http.get("/healthz")


async def waiting_message(app: Container, age: timedelta) -> None:
    """An email still pending (its retry is an hour away), written `age` ago."""
    now = app.clock.now()
    async with app.uow() as uow:
        uow.add(OutboxMessage(channel="email", address="ann@ex.com", payload={"text": "hi"},
                              available_at=now + timedelta(hours=1), created_at=now - age))
        await uow.commit()


async def test_a_running_worker_reports_its_database_lead_and_outbox_backlog(app: Container):
    await waiting_message(app, timedelta(seconds=90))
    await waiting_message(app, timedelta(seconds=20))
    server = create_app(app)
    async with server.router.lifespan_context(server):
        for _ in range(100):  # on PostgreSQL the lock is taken in the background
            if server.state.leadership.is_leader:
                break
            await asyncio.sleep(0.05)
        response = await healthz(server)
        # Warm, the worker took what it loaded out of the collector's sight (bots.server).
        assert gc.get_freeze_count() > 100_000
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["leader"] is True
    assert body["redis"] == "not configured"
    assert body["outbox"] == {"pending": 2, "oldest_age_seconds": 90.0}


async def test_a_server_without_workers_does_not_claim_the_lead(app: Container):
    body = (await healthz(create_app(app, run_workers=False))).json()
    assert body["leader"] is False
    assert body["outbox"] == {"pending": 0, "oldest_age_seconds": None}


async def test_a_database_that_does_not_answer_is_a_503(tmp_path: Any):
    nobody = f"postgresql+asyncpg://agora@127.0.0.1:{free_port()}/agora"  # nothing listens
    settings = Settings(database_url=nobody,
                        environment="test", data_dir=str(tmp_path / "data"))  # type: ignore[call-arg]
    container = build(settings, senders={"email": LoggingEmailSender()})
    try:
        response = await healthz(create_app(container, run_workers=False))
    finally:
        await container.close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"].startswith("error:")
    assert "outbox" not in body


async def test_redis_configured_but_down_is_reported_without_failing_the_probe(app: Container):
    app.settings.redis_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = await healthz(create_app(app, run_workers=False))
    assert response.status_code == 200
    assert response.json()["redis"].startswith("error:")


@pytest.fixture
def redis_url() -> str:
    """The test Redis server (CI's at 127.0.0.1:6379; the header says NOT RUN without one)."""
    url = databases.redis_url()
    assert url
    return url


@pytest.mark.redis
async def test_redis_configured_and_running_is_ok(app: Container, redis_url: str):
    app.settings.redis_url = redis_url
    server = create_app(app, run_workers=False)
    for _ in range(50):  # the server takes a moment to listen
        body = (await healthz(server)).json()
        if body["redis"] == "ok":
            break
        await asyncio.sleep(0.1)
    assert body["redis"] == "ok"
