"""Test databases, the schema built once per process and copied for each test: a SQLite file
copied from a template file, and on PostgreSQL one database per process whose tables are emptied
between tests (DELETE) or, for a test that needs a database of its own, cloned from a template
database. Building the 66 tables again costs 0.2 to 2 s a test; a copy or an emptying 2 to 80 ms."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from config.schema import metadata
from core.storage.database import create_engine

PG_ENV = "AGORA_TEST_POSTGRES_URL"
TEST_POOL_SIZE = 12  # PostgreSQL connections a test engine keeps (tests/conftest.py)


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


async def create_pg_database(server_url: str, template: str | None = None) -> str:
    """Create a uniquely named database (a copy of `template`, a database name, when given) and
    return its SQLAlchemy URL."""
    name = f"agora_test_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        await conn.close()
    base = server_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


_TEMPLATES: dict[str, str] = {}  # this process's schema templates: a SQLite file, a PG database


async def schema_template_pg(server_url: str) -> str:
    """The name of this process's template database, holding the empty schema (built once)."""
    if "pg" not in _TEMPLATES:
        url = await create_pg_database(server_url)
        await reset_schema(url)
        _TEMPLATES["pg"] = url.rsplit("/", 1)[1]
    return _TEMPLATES["pg"]


async def drop_schema_templates(server_url: str | None) -> None:
    if server_url and (name := _TEMPLATES.pop("pg", None)):
        await drop_pg_database(server_url, f"{server_url.rsplit('/', 1)[0]}/{name}")
    if (path := _TEMPLATES.pop("sqlite", None)):
        shutil.rmtree(Path(path).parent, ignore_errors=True)


async def fresh_sqlite(path: Path) -> str:
    """A SQLite file at `path` holding the empty schema, copied from this process's template."""
    if "sqlite" not in _TEMPLATES:
        template = Path(tempfile.mkdtemp(prefix="agora-schema-")) / "template.db"
        await reset_schema(f"sqlite+aiosqlite:///{template}")  # closed: no WAL left beside it
        _TEMPLATES["sqlite"] = str(template)
    shutil.copyfile(_TEMPLATES["sqlite"], path)
    return f"sqlite+aiosqlite:///{path}"


class _Emptier:
    """A connection per database kept for emptying it, on an event loop of its own in a thread:
    each test runs in a loop of its own, and a new connection cost 20 ms a test (a new server
    process loads the catalogue of 66 tables), against 3 ms on a kept one."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True, name="empty-pg").start()
        self.kept: dict[str, tuple[asyncpg.Connection, str, dict[str, int]]] = {}

    async def empty(self, url: str) -> None:
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._empty(url), self.loop))

    async def forget(self, url: str) -> None:
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._forget(url), self.loop))

    async def _empty(self, url: str) -> None:
        conn, holding, starts = await self._kept(url)
        row = await conn.fetchrow(holding)
        tables = [name for name, used in row.items() if used]
        used = [(name, starts[name]) for name, in await conn.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
            "AND last_value IS NOT NULL")]
        if not tables and not used:
            return
        restart = ", ".join(f"setval('\"{name}\"', {start}, false)" for name, start in used)
        statements = ["SET LOCAL synchronous_commit = off",
                      "SET LOCAL session_replication_role = replica",
                      *(f'DELETE FROM "{table}"' for table in tables),
                      *([f"SELECT {restart}"] if restart else [])]
        await conn.execute("BEGIN; " + "; ".join(statements) + "; COMMIT")

    async def _kept(self, url: str) -> tuple[asyncpg.Connection, str, dict[str, int]]:
        if url not in self.kept or self.kept[url][0].is_closed():
            conn = await asyncpg.connect(_asyncpg_dsn(url), timeout=10)
            holding = "SELECT " + ", ".join(
                f'EXISTS (SELECT 1 FROM "{t.name}") AS "{t.name}"' for t in metadata.sorted_tables)
            starts = {row[0]: int(row[1]) for row in await conn.fetch(
                "SELECT sequence_name, start_value FROM information_schema.sequences "
                "WHERE sequence_schema = 'public'")}
            self.kept[url] = (conn, holding, starts)
        return self.kept[url]

    async def _forget(self, url: str) -> None:
        if (kept := self.kept.pop(url, None)) is not None:
            await kept[0].close()


@cache
def _emptier() -> _Emptier:
    return _Emptier()


async def empty_pg(url: str) -> None:
    """Empty every table of a database that holds the schema, restarting its id sequences.

    Only the tables holding rows are emptied (one query asks all 66 at once) and only the
    sequences that were used go back to their start. DELETE, not TRUNCATE: TRUNCATE gives each
    table and index a new file, synced at commit — 0.77 s a test. A sequence goes back with
    `setval(…, false)` (the next id is the start value, as after ALTER SEQUENCE … RESTART, which
    gives every sequence a new file too). Foreign keys are not checked while emptying (replica
    role: the test user is the server's superuser, as in CI), and the commit does not wait for
    the disk."""
    await _emptier().empty(url)


async def forget_emptying(url: str) -> None:
    """Close the connection kept for emptying `url` (before the database is dropped)."""
    await _emptier().forget(url)


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
    yield await fresh_sqlite(Path(str(tmp_path)) / "agora.db")


# The engines of this process's test databases (the `db_url` fixture's), kept from one test to
# the next. An engine caches each SQL statement it has compiled, and a new engine per test
# compiled every statement again (a quarter of the suite's time: 657 s → 494 s). Closing a
# container closes the engine's connections only; the next test's container opens new ones.
_KEPT: dict[str, AsyncEngine] = {}


@cache
def _worker_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="agora-test-db-"))


async def worker_sqlite() -> str:
    """This process's SQLite test database, emptied: a fresh copy of the template at the same
    path for every test, so that its engine can be kept. The old file and its WAL are removed
    first (a new file, not the old one overwritten under a connection left open)."""
    path = _worker_dir() / "agora.db"
    for leftover in (path, path.with_name("agora.db-wal"), path.with_name("agora.db-shm")):
        leftover.unlink(missing_ok=True)
    return keep(await fresh_sqlite(path))


def keep(url: str) -> str:
    """Mark `url` as one of this process's test databases, whose engine is kept."""
    _KEPT.setdefault(url, create_engine(url, pool_size=TEST_POOL_SIZE))
    return url


def kept_engine(url: str) -> AsyncEngine | None:
    """The kept engine of `url` when it is a test database of this process, else None."""
    return _KEPT.get(url)


def shared_db_fixture(*, migrated: bool) -> Callable[..., Any]:
    """A `shared_db` fixture: a PostgreSQL database of its own for one test, which several
    workers share, dropped after it. `migrated`: brought to head by the Alembic migrations (as
    `agora serve` expects: each worker finds it there); otherwise its tables are created from
    the models. In a test module: `shared_db = databases.shared_db_fixture(migrated=...)`."""

    @pytest.fixture
    async def shared_db(pg_server: str) -> AsyncIterator[str]:
        if migrated:
            from core.storage.schema import upgrade  # Alembic: loaded by the tests that migrate

            url = await create_pg_database(pg_server)
            await upgrade(url)
        else:
            url = await create_pg_database(pg_server, template=await schema_template_pg(pg_server))
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
