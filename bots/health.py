"""What /healthz reports: the database, Redis when configured, whether this worker runs the
timed jobs, and the outbox backlog. Only a database that does not answer makes it unhealthy."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select, text

from config.container import Container
from core.notifications.tables import OutboxMessage, OutboxStatus
from core.storage.workers import worker_id

TIMEOUT = 3.0  # seconds each dependency gets to answer


async def report(container: Container, leader: bool) -> tuple[dict[str, Any], int]:
    """The health report and its HTTP status (503 when the database is down)."""
    body: dict[str, Any] = {"status": "ok", "database": "ok", "leader": leader,
                            "worker": worker_id()}
    try:
        body["outbox"] = await asyncio.wait_for(_database(container), TIMEOUT)
    except Exception as exc:  # report, don't crash the probe
        body.update(status="error", database=f"error: {str(exc)[:200]}")
    body["redis"] = await _redis(container.settings.redis_url)
    return body, 200 if body["status"] == "ok" else 503


async def _database(container: Container) -> dict[str, Any]:
    """SELECT 1, then the outbox backlog: messages pending and the age of the oldest."""
    async with container.sessions() as session:
        await session.execute(text("SELECT 1"))
        pending, oldest = (await session.execute(
            select(func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status == OutboxStatus.PENDING))).one()
    age = None
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back aggregates naive (UTC)
            oldest = oldest.replace(tzinfo=container.clock.now().tzinfo)
        age = max(0.0, round((container.clock.now() - oldest).total_seconds(), 1))
    return {"pending": pending, "oldest_age_seconds": age}


async def _redis(url: str | None) -> str:
    if not url:
        return "not configured"
    from redis.asyncio import from_url  # only a deployment that configures Redis needs it

    client = from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        await asyncio.wait_for(client.ping(), TIMEOUT)
        return "ok"
    except Exception as exc:
        return f"error: {str(exc)[:200]}"
    finally:
        await client.aclose()
