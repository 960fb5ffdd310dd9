"""Send limits shared through Redis: two workers (two limiters, two dispatchers) on one Redis keep
the bot's rate and each chat's pace together; different chats and different bots go in parallel;
without Redis (or when it goes away) a worker paces by itself and never stops sending."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

import pytest

from config.container import build
from config.limits_wiring import bot_identities
from config.settings import Settings
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.ratelimit import Rate, SendLimiter
from core.notifications.shared_limits import RedisSendLimiter
from core.notifications.tables import OutboxMessage
from core.storage.database import create_engine, session_factory
from tests.support import databases
from tests.support.servers import free_port
from tests.test_outbox_workers import statuses


@pytest.fixture
def redis_url() -> str:
    """The test Redis server (CI's at 127.0.0.1:6379; the header says NOT RUN without one)."""
    url = databases.redis_url()
    assert url
    return url


@pytest.fixture
def bot() -> str:
    """A bot of this test's own: its budget in the shared Redis is no other test's."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def two_workers(redis_url: str, bot: str) -> AsyncIterator[list[RedisSendLimiter]]:
    limiters = [RedisSendLimiter(redis_url, {"telegram": bot}, {"telegram": Rate(20, 1)})
                for _ in range(2)]
    yield limiters
    for limiter in limiters:
        await limiter.close()


async def acquired_at(limiter: Any, address: str, stamps: list[tuple[float, str]]) -> None:
    await limiter.acquire("telegram", address)
    stamps.append((time.monotonic(), address))


def most_in_one_second(times: list[float]) -> int:
    """The most sends in any one-second span (t - 1, t]."""
    times = sorted(times)
    return max(sum(1 for s in times if t - 1 < s <= t) for t in times)


@pytest.mark.redis
async def test_two_workers_sharing_redis_never_pass_the_bots_rate_in_any_second(two_workers):
    stamps: list[tuple[float, str]] = []
    started = time.monotonic()
    # 50 sends to 50 chats at a bot rate of 20 a second, split between the two workers.
    await asyncio.gather(*(acquired_at(two_workers[i % 2], f"chat-{i}", stamps) for i in range(50)))
    times = [t for t, _ in stamps]
    assert most_in_one_second(times) <= 20
    assert time.monotonic() - started >= 1.9  # 50 at 20/s: each worker alone would take 1.2 s
    # Paced, not a burst of 20 at the start of each second: no quarter second holds more
    # than its share and a little.
    assert max(sum(1 for s in times if t - 0.25 < s <= t) for t in times) <= 7


@pytest.mark.redis
async def test_two_workers_sharing_redis_send_to_one_chat_at_most_once_a_second(two_workers):
    stamps: list[tuple[float, str]] = []
    # Both workers try the same chat at once (three sends), while other chats go on.
    await asyncio.gather(acquired_at(two_workers[0], "chat-x", stamps),
                         acquired_at(two_workers[1], "chat-x", stamps),
                         acquired_at(two_workers[0], "chat-x", stamps),
                         *(acquired_at(two_workers[i % 2], f"other-{i}", stamps) for i in range(6)))
    same = sorted(t for t, address in stamps if address == "chat-x")
    assert len(same) == 3
    # One a second, less the event loop's delay between the decision and this reading.
    assert all(b - a >= 0.95 for a, b in pairwise(same))
    others = [t for t, address in stamps if address != "chat-x"]
    assert max(others) < same[1]  # the other chats did not wait for chat-x


@pytest.mark.redis
async def test_different_chats_and_different_bots_proceed_in_parallel(redis_url: str, bot: str):
    rates = {"telegram": Rate(1000, 1)}
    workers = [RedisSendLimiter(redis_url, {"telegram": name}, rates)
               for name in (bot, bot, f"{bot}-other")]
    try:
        # The same chat address for two bots is two chats: neither waits for the other.
        await workers[0].acquire("telegram", "42")
        started = time.monotonic()
        await asyncio.gather(workers[2].acquire("telegram", "42"),
                             *(workers[i % 2].acquire("telegram", f"chat-{i}") for i in range(20)))
        assert time.monotonic() - started < 0.8
    finally:
        for worker in workers:
            await worker.close()


@pytest.mark.redis
async def test_a_hundred_sends_starting_at_once_share_a_few_connections(redis_url, bot, caplog):
    caplog.set_level(logging.WARNING, logger="core.notifications.shared_limits")
    limiter = RedisSendLimiter(redis_url, {"telegram": bot}, {"telegram": Rate(1000, 1)})
    try:
        await asyncio.gather(*(limiter.acquire("telegram", f"chat-{i}") for i in range(100)))
    finally:
        await limiter.close()
    # Every send went through Redis: none waited out a connection's handshake and fell back.
    assert "Redis does not answer" not in caplog.text


async def test_a_redis_that_does_not_answer_falls_back_to_pacing_in_process(caplog):
    down = RedisSendLimiter(f"redis://127.0.0.1:{free_port()}/0", {"telegram": "bot1"},
                            {"telegram": Rate(1000, 1)})
    caplog.set_level(logging.WARNING, logger="core.notifications.shared_limits")
    started = time.monotonic()
    for i in range(5):
        await down.acquire("telegram", f"chat-{i}")  # never raises, never stops
    await down.acquire("telegram", "chat-0")  # the in-process limiter keeps the chat's pace
    assert 0.9 <= time.monotonic() - started < 3
    warnings = [r for r in caplog.records if "Redis does not answer" in r.getMessage()]
    assert len(warnings) == 1  # one warning, not one per send
    await down.close()


@asynccontextmanager
async def cuttable(url: str) -> AsyncIterator[tuple[str, Callable[[], None]]]:
    """A TCP relay to the Redis at `url`; calling `cut()` takes it away, as a network would."""
    target = urlsplit(url)
    open_streams: list[asyncio.StreamWriter] = []

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(target.hostname, target.port)
        open_streams.extend((writer, up_writer))

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    server = await asyncio.start_server(relay, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    def cut() -> None:
        server.close()
        for stream in open_streams:
            stream.close()

    try:
        yield f"redis://127.0.0.1:{port}{target.path}", cut
    finally:
        cut()


@pytest.mark.redis
async def test_redis_going_away_mid_run_does_not_stop_sends(redis_url: str, bot: str, caplog):
    caplog.set_level(logging.WARNING, logger="core.notifications.shared_limits")
    async with cuttable(redis_url) as (url, cut):
        limiter = RedisSendLimiter(url, {"telegram": bot}, {"telegram": Rate(1000, 1)})
        await limiter.acquire("telegram", "chat-1")  # through Redis
        cut()
        started = time.monotonic()
        for i in range(2, 6):
            await limiter.acquire("telegram", f"chat-{i}")  # in process, at once
        assert time.monotonic() - started < 2
        await limiter.close()
    assert "Redis does not answer" in caplog.text


def test_the_container_shares_limits_through_redis_only_when_it_is_configured(tmp_path):
    def limiter(**settings: Any) -> Any:
        container = build(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/a.db",
                                   environment="test", data_dir=str(tmp_path), **settings))
        return container.dispatcher.limiter

    assert type(limiter()) is SendLimiter
    assert type(limiter(redis_url="redis://127.0.0.1:6379/0")) is RedisSendLimiter


def test_each_bot_has_its_own_budget_and_no_secret_is_in_a_key():
    settings = Settings(environment="test", telegram_token="123456:AAE-secret-part",
                        slack_bot_token="xoxb-1-2-slacksecret", slack_team_id="T1")
    bots = bot_identities(settings)
    assert bots["telegram"] == "bot123456"
    assert bots["slack"].startswith("T1-") and "slacksecret" not in bots["slack"]
    other = bot_identities(Settings(environment="test", telegram_token="654321:other"))
    assert other["telegram"] != bots["telegram"]


class TimedSends:
    """Records when each chat received each message, and from which worker."""

    def __init__(self) -> None:
        self.at: dict[str, list[float]] = defaultdict(list)
        self.workers: set[str] = set()

    def sender(self, worker: str) -> Any:
        sends = self

        class Sender:
            async def send(self, address: str, payload: dict[str, Any],
                           files: Sequence[Attachment] = ()) -> None:
                sends.at[address].append(time.monotonic())
                sends.workers.add(worker)

        return Sender()


@pytest.mark.redis
async def test_two_dispatchers_sharing_redis_keep_each_chats_pace_across_workers(
        app, db_url, redis_url, bot):
    now = app.clock.now()
    async with app.sessions() as session, session.begin():
        session.add_all([OutboxMessage(channel="telegram", address=f"chat-{c}",
                                       payload={"text": f"{c}:{n}"}, urgent=False,
                                       status="pending", attempts=0, available_at=now,
                                       created_at=now)
                         for n in range(3) for c in range(4)])
    sends = TimedSends()
    other_engine = create_engine(db_url)  # the second worker: its own engine, as a process
    limiters = [RedisSendLimiter(redis_url, {"telegram": bot}) for _ in range(2)]
    try:
        workers = [OutboxDispatcher(sessions, app.clock, {"telegram": sends.sender(name)},
                                    limiter, batch=2, worker=name)
                   for name, sessions, limiter in (("w1", app.sessions, limiters[0]),
                                                   ("w2", session_factory(other_engine),
                                                    limiters[1]))]

        async def drain(worker: OutboxDispatcher) -> None:
            for _ in range(500):
                await worker.run_once()
                if set(await statuses(app)) == {"sent"}:
                    return
                await asyncio.sleep(0.01)

        await asyncio.gather(*(drain(w) for w in workers))
    finally:
        await other_engine.dispose()
        for limiter in limiters:
            await limiter.close()

    assert await statuses(app) == {"sent": 12}
    assert sends.workers == {"w1", "w2"}  # both really sent
    for times in sends.at.values():
        assert len(times) == 3
        # Telegram's one a second per chat, though a chat's rows went out through both workers.
        # The time is taken when the send runs, a moment after the limiter's grant: on a loaded
        # machine that moment varies by up to a few hundred ms, while two workers that did not
        # share the limit would send a chat's rows within milliseconds of each other.
        assert all(b - a >= 0.75 for a, b in pairwise(times))
