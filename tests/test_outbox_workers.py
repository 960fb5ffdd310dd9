"""The outbox across workers: batches claimed under a lease, each row sent once, one row in flight
per chat in id order, a dead worker's rows claimed again, a 429 honoured (on SQLite and PostgreSQL;
the concurrent claims are the point on PostgreSQL, where they pass each other with SKIP LOCKED)."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from core.notifications.cards import RetryLater
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import LEASE, OutboxDispatcher
from core.notifications.ratelimit import Rate, SendLimiter
from core.notifications.settling import RECONNECT_GRACE
from core.notifications.tables import OutboxMessage
from core.storage.database import create_engine, session_factory

UNLIMITED = {"telegram": Rate(100_000, 100_000)}


class ChatRecorder:
    """Records sends as a chat app would see them, and notices two sends in flight to one chat."""

    def __init__(self, delay: float = 0.002) -> None:
        self.sent: list[tuple[str, str, str]] = []  # (worker, address, text)
        self.in_flight: set[str] = set()
        self.overlaps: list[str] = []
        self.delay = delay

    def sender(self, worker: str) -> Any:
        recorder = self

        class Sender:
            async def send(self, address: str, payload: dict[str, Any],
                           files: Sequence[Attachment] = ()) -> None:
                if address in recorder.in_flight:
                    recorder.overlaps.append(address)
                recorder.in_flight.add(address)
                try:
                    await asyncio.sleep(random.uniform(0, recorder.delay))
                    recorder.sent.append((worker, address, payload["text"]))
                finally:
                    recorder.in_flight.discard(address)

        return Sender()


async def queue_rows(app, chats: int, per_chat: int) -> None:
    """`chats * per_chat` rows, the chats interleaved (as a burst of notifications would be)."""
    now = app.clock.now()
    async with app.sessions() as session, session.begin():
        session.add_all([
            OutboxMessage(channel="telegram", address=f"chat-{c}", payload={"text": f"{c}:{n}"},
                          urgent=False, status="pending", attempts=0, available_at=now,
                          created_at=now)
            for n in range(per_chat) for c in range(chats)])


async def statuses(app) -> dict[str, int]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        return dict(rows.all())  # type: ignore[arg-type]


async def test_two_dispatchers_on_their_own_connections_send_300_rows_once_each_in_chat_order(
        app, db_url):
    await queue_rows(app, chats=30, per_chat=10)
    recorder = ChatRecorder()
    # The second worker has its own engine and pool, as another process would.
    other_engine = create_engine(db_url)
    try:
        workers = [
            OutboxDispatcher(sessions, app.clock, {"telegram": recorder.sender(name)},
                             SendLimiter(UNLIMITED), batch=20, worker=name)
            for name, sessions in (("w1", app.sessions), ("w2", session_factory(other_engine)))]

        async def drain(worker: OutboxDispatcher) -> None:
            # As run_forever does, without the poll interval: until nothing is left to send.
            for _ in range(1000):
                await worker.run_once()
                if set(await statuses(app)) == {"sent"}:
                    return
                await asyncio.sleep(0.001)

        await asyncio.gather(*(drain(w) for w in workers))
    finally:
        await other_engine.dispose()

    texts = [text for _, _, text in recorder.sent]
    assert len(texts) == 300 and len(set(texts)) == 300  # every row once: none lost, none doubled
    by_chat: dict[str, list[int]] = defaultdict(list)
    for _, address, text in recorder.sent:
        by_chat[address].append(int(text.split(":")[1]))
    assert all(order == list(range(10)) for order in by_chat.values())  # per chat, in id order
    assert recorder.overlaps == []  # never two sends in flight to one chat
    assert {worker for worker, _, _ in recorder.sent} == {"w1", "w2"}  # both really worked
    assert await statuses(app) == {"sent": 300}


async def test_a_batch_claim_leases_rows_to_its_worker_and_another_worker_skips_them(app):
    await queue_rows(app, chats=5, per_chat=2)
    first = OutboxDispatcher(app.sessions, app.clock, {"telegram": ChatRecorder().sender("a")},
                             worker="a")
    second = OutboxDispatcher(app.sessions, app.clock, {"telegram": ChatRecorder().sender("b")},
                              worker="b")
    rows, _ = await first._claim_batch(100)
    assert [r.payload["text"] for r in rows] == [f"{c}:0" for c in range(5)]  # a chat's first
    again, _ = await second._claim_batch(100)
    assert again == []  # taken rows are skipped; the chats' second rows wait their turn
    async with app.sessions() as session:
        leased = (await session.execute(
            select(OutboxMessage).where(OutboxMessage.status == "sending"))).scalars().all()
    assert {(r.claimed_by, r.claimed_at) for r in leased} == {("a", app.clock.now())}


async def test_a_worker_that_died_mid_send_leaves_its_rows_to_be_claimed_after_the_lease(app, clock):
    await queue_rows(app, chats=1, per_chat=2)
    started = asyncio.Event()

    class Hanging:
        async def send(self, address: str, payload: dict[str, Any],
                       files: Sequence[Attachment] = ()) -> None:
            started.set()
            await asyncio.Event().wait()  # the worker dies here

    dying = OutboxDispatcher(app.sessions, clock, {"telegram": Hanging()}, worker="dying")
    task = asyncio.create_task(dying.run_once())
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    recorder = ChatRecorder()
    survivor = OutboxDispatcher(app.sessions, clock, {"telegram": recorder.sender("survivor")},
                                SendLimiter(UNLIMITED), worker="survivor")
    assert await survivor.run_once() == 0  # the lease still holds: the chat waits
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert await survivor.run_once() == 0
    clock.advance(seconds=2)
    await survivor._release_expired_leases()
    rows, _ = await survivor._claim_batch(100)
    assert [r.payload["text"] for r in rows] == ["0:0"]  # claimed again, under a new lease
    await dying._finish(rows[0].id, status="failed")  # a late word from the old holder is void
    assert await statuses(app) == {"sending": 1, "pending": 1}
    assert await survivor._deliver(rows[0])
    assert await survivor.run_once() == 1
    assert [t for _, _, t in recorder.sent] == ["0:0", "0:1"]  # each once, order kept
    assert await statuses(app) == {"sent": 2}


async def test_a_429_pauses_the_chat_and_its_rows_go_out_after_retry_after_once_each(app, clock):
    await queue_rows(app, chats=2, per_chat=3)
    refused: list[str] = []
    recorder = ChatRecorder()
    inner = recorder.sender("w")

    class Flooded:
        async def send(self, address: str, payload: dict[str, Any],
                       files: Sequence[Attachment] = ()) -> None:
            if address == "chat-0" and not refused:
                refused.append(payload["text"])
                raise RetryLater(30, "Too Many Requests: retry after 30")
            await inner.send(address, payload, files)

    worker = OutboxDispatcher(app.sessions, clock, {"telegram": Flooded()},
                              SendLimiter(UNLIMITED), worker="w")
    assert await worker.run_once() == 3  # the other chat is not held up
    async with app.sessions() as session:
        paused = (await session.execute(
            select(OutboxMessage).where(OutboxMessage.address == "chat-0")
            .order_by(OutboxMessage.id))).scalars().all()
    assert [r.status for r in paused] == ["pending"] * 3
    assert paused[0].attempts == 0 and "retry after 30" in (paused[0].last_error or "")
    assert {r.available_at for r in paused} == {clock.now() + timedelta(seconds=30)}
    clock.advance(seconds=29)
    assert await worker.run_once() == 0  # retry_after honoured
    clock.advance(seconds=2)
    assert await worker.run_once() == 3
    chat0 = [t for _, a, t in recorder.sent if a == "chat-0"]
    assert refused == ["0:0"] and chat0 == ["0:0", "0:1", "0:2"]  # not dropped, not doubled
    assert await statuses(app) == {"sent": 6}


async def test_one_dispatcher_drains_a_backlog_of_several_rows_per_chat_in_one_run(app):
    await queue_rows(app, chats=3, per_chat=4)
    recorder = ChatRecorder(delay=0)
    worker = OutboxDispatcher(app.sessions, app.clock, {"telegram": recorder.sender("only")},
                              SendLimiter(UNLIMITED), batch=5)
    assert await worker.run_once() == 12
    for c in range(3):
        assert [t for _, a, t in recorder.sent if a == f"chat-{c}"] == [f"{c}:{n}" for n in range(4)]


async def test_an_urgent_row_queued_behind_a_backlog_is_claimed_first(app):
    await queue_rows(app, chats=50, per_chat=1)
    now = app.clock.now()
    async with app.sessions() as session, session.begin():
        session.add(OutboxMessage(channel="email", address="new@example.com", urgent=True,
                                  payload={"text": "Your code is 123456"}, status="pending",
                                  attempts=0, available_at=now, created_at=now))
    recorder = ChatRecorder()
    worker = OutboxDispatcher(app.sessions, app.clock, {"telegram": recorder.sender("w"),
                                                       "email": recorder.sender("w")})
    rows, _ = await worker._claim_batch(10)
    # Fifty older alerts are due, ten rows are taken: the code is among them.
    assert "Your code is 123456" in [r.payload["text"] for r in rows]


async def test_rows_of_a_worker_process_that_is_gone_are_claimed_again_soon_on_postgres(
        app, db_url):
    """A claim names its process; PostgreSQL knows which processes still have connections,
    so a killed worker's rows need not wait out the two-minute lease — only the few seconds a
    living worker may take to reconnect after the database came back (SQLite: one process,
    the lease)."""
    await queue_rows(app, chats=2, per_chat=1)
    gone = OutboxDispatcher(app.sessions, app.clock, {"telegram": ChatRecorder().sender("x")},
                            worker="deadhost-4242-abcdef#1")  # a process that no longer exists
    alive = OutboxDispatcher(app.sessions, app.clock, {"telegram": ChatRecorder().sender("y")})
    await gone._claim_batch(1)
    await alive._claim_batch(1)  # this process: connected
    await alive._release_expired_leases()
    assert await statuses(app) == {"sending": 2}  # it may only be reconnecting
    app.clock.advance(seconds=RECONNECT_GRACE.total_seconds() + 1)
    await alive._release_expired_leases()
    assert await statuses(app) == ({"pending": 1, "sending": 1} if "postgresql" in db_url
                                   else {"sending": 2})
