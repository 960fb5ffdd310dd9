"""Shared fixtures: a wired application on a fresh database, email captured in memory."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bots.email import LoggingEmailSender
from config.container import Container
from conversations.flows.all_flows import ALL_FLOWS
from core.clock import FakeClock
from tests.support import browser, bytecode, containers, databases, layers
from tests.support.chat import ChatUser
from tests.support.containers import settings_for
from tests.support.memory_engine import MemoryChat
from tests.support.two_channels import world  # noqa: F401  (a fixture: Telegram and Slack at once)

os.environ.setdefault("AGORA_ENVIRONMENT", "test")
os.environ.setdefault("AGORA_DATA_DIR", tempfile.mkdtemp(prefix="agora-test-files-"))
# The test workers (`pytest_xdist_auto_num_workers`, at most three), each with its kept engine
# and a racing test's own, and the `agora serve` processes a test starts, share the server's
# 100 connections: 12 kept (15 at peaks) each.
os.environ.setdefault("AGORA_DATABASE_POOL_SIZE", str(databases.TEST_POOL_SIZE))
# A bot's pace into one chat (about one message a second in production) would make every
# journey wait a second per notice: the suite sends at once, and the tests of pacing itself
# (the send limiters, the benchmarks of fan-out and auctions) set the real pace.
os.environ.setdefault("AGORA_CHAT_SENDS_PER_SECOND", "1000")

_PG: dict[str, str] = {}
# Tests that need PostgreSQL alone are not collected without it (the header says NOT RUN); CI
# always sets the URL, and an unreachable server stops the run before any test.
collect_ignore = [] if databases.postgres_url() else ["test_bench_deals.py", "test_bench_escrow.py",
                                                      "test_bench_booking.py",
                                                      "test_bench_search_pg.py",
                                                      "test_bench_auction.py",
                                                      "test_workers_on_postgres.py",
                                                      "test_three_workers.py"]


# PostgreSQL's 100 connections allow three workers beside the servers their tests start.
MOST_WORKERS = 3


def pytest_xdist_auto_num_workers(config: Any) -> int:
    """`-n auto`: one worker more than the cores, within the connection budget. A third of
    the suite's time is spent waiting — on `agora serve` and `agora chat` processes, browsers,
    localstripe, Radicale, PostgreSQL —, which a worker more than the cores fills: on 2 cores
    three workers ran the suite in 7 min 45 s where two took 8 min 46 s."""
    return max(1, min((os.cpu_count() or 1) + 1, MOST_WORKERS))


def pytest_configure(config: Any) -> None:
    # Compiled once for the run's many processes (tests/support/bytecode.py); xdist's workers
    # carry `workerinput` and find it done.
    bytecode.keep_bytecode(compile_project=not hasattr(config, "workerinput"))
    if config.getoption("dist", None) == "loadgroup" and layers.loadgroup_broken():
        raise pytest.UsageError("pytest-xdist's loadgroup does not group tests on this pytest "
                                "(pytest-xdist#1386): install pytest<9.2, as pyproject.toml says")


def pytest_report_header(config: Any) -> list[str]:
    url = databases.postgres_url()
    chromium = browser.chromium_path()
    redis = databases.redis_url()
    return [f"PostgreSQL tests: {'against ' + url if url else 'NOT RUN (AGORA_TEST_POSTGRES_URL unset)'}",
            f"Redis tests: {'against ' + redis if redis else 'NOT RUN (AGORA_TEST_REDIS_URL unset)'}",
            f"Browser tests: {'against ' + chromium if chromium else 'NOT RUN (no chromium on PATH)'}"]


_PLACES = pytest.StashKey[layers.Placing]()


def pytest_itemcollected(item: Any) -> None:
    """Every test is marked with its layer, `unit`, `integration` or `e2e` (tests/README.md),
    and tests sharing a costly fixture are grouped on one xdist worker (`--dist loadgroup`)."""
    placing = item.stash[_PLACES] = layers.place(item, CHANNEL_FIXTURES)
    item.add_marker(placing.layer)
    if placing.group:
        item.add_marker(pytest.mark.xdist_group(placing.group))


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Without Chromium or a Redis server (outside CI) their tests are deselected, as the
    header says; the longest tests go first."""
    missing = {marker for marker, there in (("browser", browser.chromium_path()),
                                            ("redis", databases.redis_url())) if not there}
    dropped = [i for i in items if any(i.get_closest_marker(m) for m in missing)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if i not in dropped]
    # The longest start first, so that on several cores they run beside the rest instead of
    # finishing the run alone: those taking minutes, those starting processes, the other
    # end-to-end tests, then the rest (a stable sort: the same order in every xdist worker).
    items.sort(key=lambda item: item.stash[_PLACES].rank)


def pytest_collection_finish(session: Any) -> None:
    """What every test shares — the code, the collected tests — is frozen out of the garbage
    collector's sight, as a serving worker freezes what it loaded (bots.server), and the young
    generations are collected less often: a test process holds half a million objects, and its
    collections took 6% of its CPU (a full one some 0.4 s), 3% once these were set."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


def pytest_sessionstart(session: Any) -> None:
    """In CI the PostgreSQL server must answer before anything runs: fail, never skip."""
    url = databases.postgres_url()
    if url:
        import asyncio

        try:
            asyncio.run(databases.check_reachable(url))
        except Exception as exc:
            raise pytest.UsageError(f"PostgreSQL at {url} is unreachable: {exc}") from exc
    if (redis := databases.redis_url()):
        import asyncio

        try:
            asyncio.run(databases.check_redis(redis))
        except Exception as exc:
            raise pytest.UsageError(f"Redis at {redis} is unreachable: {exc}") from exc
    if browser.required() and not browser.chromium_path():
        raise pytest.UsageError("CI runs the browser tests: Chromium is missing "
                                "(apt-get install -y chromium)")


# A test through a channel's real driver (the Telegram application against its fake Bot API,
# signed Slack requests, the site over HTTP, the Stripe SDK, both channels at once, the chat
# driver): end to end, it runs on one database. The services it passes through are tested on both.
CHANNEL_FIXTURES = frozenset({"fake", "start_bot", "bot", "ann", "slack", "site_app", "web",
                              "world", "stripe_world", "user"})


def pytest_generate_tests(metafunc: Any) -> None:
    if {"db_url", "backend"} & set(metafunc.fixturenames):
        backends = ["sqlite", "postgres"] if databases.postgres_url() else ["sqlite"]
        one = any(metafunc.definition.get_closest_marker(name)
                  for name in ("journey", "browser", "one_database"))
        if one or CHANNEL_FIXTURES & set(metafunc.fixturenames):
            backends = backends[-1:]
        metafunc.parametrize("backend", backends, indirect=False)


@pytest.fixture(scope="session")
def pg_server() -> str | None:
    return databases.postgres_url()


@pytest.fixture
async def db_url(backend: str, pg_server: str | None) -> AsyncIterator[str]:
    """An empty database holding the schema on the chosen backend: a copy of this process's
    SQLite template, or this process's PostgreSQL database emptied."""
    if backend == "sqlite":
        yield await databases.worker_sqlite()
        return
    assert pg_server
    if "url" not in _PG:
        _PG["url"] = databases.keep(await databases.create_pg_database(
            pg_server, template=await databases.schema_template_pg(pg_server)))
    else:
        await databases.empty_pg(_PG["url"])
    yield _PG["url"]


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    import asyncio

    server = databases.postgres_url()
    if "url" in _PG and server:
        asyncio.run(databases.forget_emptying(_PG["url"]))
        asyncio.run(databases.drop_pg_database(server, _PG["url"]))
    asyncio.run(databases.drop_schema_templates(server))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mailbox() -> LoggingEmailSender:
    return LoggingEmailSender()


@pytest.fixture
async def app(db_url: str, clock: FakeClock, mailbox: LoggingEmailSender, tmp_path: Any
              ) -> AsyncIterator[Container]:
    settings = settings_for(db_url, data_dir=str(tmp_path / "data"), admins=["terminal:root"])
    async with containers.container(settings, clock=clock, mailbox=mailbox, seed=True) as app:
        yield app




@pytest.fixture
def user(app: Container) -> ChatUser:
    return ChatUser(app, "ann")


@pytest.fixture
def chat() -> MemoryChat:
    """Every flow, in an engine that keeps its chats in memory (tests/support/memory_engine.py):
    for the engine's own rules and the forms before they ask core for anything."""
    return MemoryChat(ALL_FLOWS)


@pytest.fixture
def newcomer(chat: MemoryChat) -> ChatUser:
    """Someone new in a terminal chat with `chat`'s engine (no database)."""
    return ChatUser(chat, "ann")
