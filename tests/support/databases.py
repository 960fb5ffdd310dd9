"""Test databases: a fresh SQLite file per test, and one PostgreSQL database per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from config.schema import metadata
from core.storage.database import create_engine

PG_ENV = "AGORA_TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    """The server to test against; in CI it must be set (and reachable)."""
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError(f"{PG_ENV} must be set in CI: the PostgreSQL tests may not be skipped")
    return url


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def check_reachable(server_url: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    await conn.close()


async def create_pg_database(server_url: str) -> str:
    """Create a uniquely named database for this run and return its SQLAlchemy URL."""
    name = f"agora_test_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = server_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


async def drop_pg_database(server_url: str, db_url: str) -> None:
    name = db_url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def reset_schema(url: str) -> None:
    """Empty every table (PostgreSQL database shared by the run) by rebuilding the schema."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        if url.startswith("postgresql"):
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(metadata.create_all)
    await engine.dispose()


@asynccontextmanager
async def sqlite_url(tmp_path: object) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path}/agora.db"
    await reset_schema(url)
    yield url


def shared_db_fixture(*, migrated: bool) -> Callable[..., Any]:
    """A `shared_db` fixture: a PostgreSQL database of its own for one test, which several
    workers share, dropped after it. `migrated`: brought to head by the Alembic migrations (as
    `agora serve` expects: each worker finds it there); otherwise its tables are created from
    the models. In a test module: `shared_db = databases.shared_db_fixture(migrated=...)`."""

    @pytest.fixture
    async def shared_db(pg_server: str) -> AsyncIterator[str]:
        url = await create_pg_database(pg_server)
        if migrated:
            from core.storage.schema import upgrade  # Alembic: loaded by the tests that migrate

            await upgrade(url)
        else:
            await reset_schema(url)
        yield url
        await drop_pg_database(pg_server, url)

    return shared_db


REDIS_ENV = "AGORA_TEST_REDIS_URL"


def redis_url() -> str | None:
    """The Redis server to test against (CI's at 127.0.0.1:6379); in CI it must be set."""
    url = os.environ.get(REDIS_ENV)
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError(f"{REDIS_ENV} must be set in CI: the Redis tests may not be skipped")
    return url or None


async def check_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=3)
    try:
        await client.ping()
    finally:
        await client.aclose()
