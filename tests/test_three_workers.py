"""Three `agora serve` processes on one PostgreSQL and one Redis, as behind a load balancer.

100 people register and create a listing through the Telegram webhook. Each update goes to a
random worker, and one in ten goes twice at once, to two different workers, as a retried
delivery would. Midway the scheduler's leader is killed with SIGKILL: a post it had not
answered gets no 2xx, so it is delivered again to a living worker, as Telegram does.

Asserted:
- every person's answers were applied in order: their own name, company and email are in
  their account, and their quantity and price are in their listing;
- no effect happened twice: one account and one listing each, every update recorded once;
- every message went out once: no answer repeated in a chat the kill did not touch, one code
  email each, every outbox row sent, nothing left pending or failed;
- each timed job ran once: three webinars started once each, and each registrant was told
  once per webinar, including the one published after the kill, which only the new leader
  can start;
- the lead moved to a living worker.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import func, make_url, select

from bots.leader import asyncpg_dsn
from bots.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from config.container import Container, build
from config.settings import Settings
from core.accounts.service import find_account
from core.catalog.tables import Listing
from core.learning import gatherings
from core.learning.tables import Gathering
from core.notifications.tables import OutboxMessage
from core.storage.tables import ProcessedUpdate
from tests.catalog.helpers import make_account
from tests.support import databases
from tests.support.accounts import registered
from tests.support.fake_telegram import FakeTelegram
from tests.support.servers import free_port, serve
from tests.support.smtp import Inbox, smtp_server

pytestmark = [pytest.mark.redis, pytest.mark.timeout(600), pytest.mark.postgres_servers]


ROOT = Path(__file__).resolve().parents[1]
PEOPLE = 100
IN_FLIGHT = 32  # posts at once, as Telegram's webhook connections
TWICE = 0.1  # the share of updates delivered twice, to two workers at once
KILL_AT = 0.35  # the share of all steps done when the leader is killed
SECRET = "three-workers-secret"
ATTENDEES = ("9001", "9002", "9003")  # Telegram chats registered for every webinar


@dataclass
class Worker:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process.poll() is None


@dataclass
class Telegram:
    """Telegram's side of the webhook: delivers each update until a worker answers 2xx."""

    workers: list[Worker]
    client: httpx.AsyncClient
    fake: FakeTelegram
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(IN_FLIGHT))
    rng: random.Random = field(default_factory=lambda: random.Random(14))
    posted: set[int] = field(default_factory=set)
    disrupted: set[int] = field(default_factory=set)  # chats with a post the kill cut off
    history: dict[int, list[str]] = field(default_factory=dict)  # per chat, for failures
    steps: int = 0

    def living(self) -> list[Worker]:
        return [w for w in self.workers if w.running]

    async def deliver(self, chat: int, update: dict[str, Any]) -> None:
        """One update: to a random worker, one in ten to two at once; then wait for the
        chat's answer (a new message or an edit)."""
        self.posted.add(update["update_id"])
        since = len(self.fake.calls)
        targets = self.rng.sample(self.living(), 2 if self.rng.random() < TWICE else 1)
        async with self.slots:
            await asyncio.gather(*(self._post(chat, update, w) for w in targets))
        await self.fake.wait_for(("sendMessage", "editMessageText"),
                                 lambda p: p["chat_id"] == str(chat), since=since, timeout=60)
        self.steps += 1

    async def _post(self, chat: int, update: dict[str, Any], worker: Worker) -> None:
        for _ in range(50):
            note = self.history.setdefault(chat, [])
            try:
                answer = await self.client.post(worker.url + WEBHOOK_PATH, json=update,
                                                headers={SECRET_HEADER: SECRET}, timeout=60)
                note.append(f"{update['update_id']}@{worker.port}: {answer.status_code}")
                if answer.status_code == 200:
                    return
            except httpx.TransportError as exc:  # the worker died with the post unanswered
                note.append(f"{update['update_id']}@{worker.port}: {exc!r}")
                self.disrupted.add(chat)
            await asyncio.sleep(0.2)
            worker = self.rng.choice(self.living())
        raise AssertionError(f"update {update['update_id']} was never accepted")


class Person:
    def __init__(self, telegram: Telegram, inbox: Inbox, n: int) -> None:
        self.telegram, self.inbox, self.n = telegram, inbox, n
        self.chat = 7000 + n
        self.email = f"trader{n}@example.com"

    async def say(self, text: str) -> None:
        await self.telegram.deliver(self.chat, self.telegram.fake.text(self.chat, text))

    async def tap(self, label: str) -> None:
        await self.telegram.deliver(self.chat, self.telegram.fake.press(self.chat, label))

    async def register_and_list(self) -> None:
        await asyncio.sleep(self.n * 0.02)  # people arrive over a couple of seconds
        for text in ("/start", f"Trader {self.n}", f"Firm {self.n}", self.email):
            await self.say(text)
        await self.tap("Seller")
        await self.tap("Done")
        await self.say("Latvia")
        await self.say("Riga")
        await self.tap("Skip")
        await self.say(await self.inbox.code_for(self.email, timeout=60))
        await self.say("/sell")
        await self.tap("Wood pellets")
        await self.say(f"{100 + self.n} t")
        await self.say(f"{200 + self.n}")
        await self.tap("Fixed price")
        await self.say("Riga")
        for label in ("Pickup", "EXW", "Done"):
            await self.tap(label)
        await self.say("Riga port")
        await self.tap("Publish")


STEPS_EACH = 20


def worker_env(db_url: str, fake: FakeTelegram, smtp_port: int, redis: str, data: Path
               ) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    env.update(AGORA_ENVIRONMENT="test", AGORA_DATABASE_URL=db_url, AGORA_DATA_DIR=str(data),
               AGORA_TELEGRAM_TOKEN=fake.token, AGORA_TELEGRAM_API_URL=f"{fake.url}/bot",
               AGORA_TELEGRAM_WEBHOOK_URL="https://agora.example/telegram/webhook",
               AGORA_TELEGRAM_WEBHOOK_SECRET=SECRET, AGORA_SMTP_HOST="127.0.0.1",
               AGORA_SMTP_PORT=str(smtp_port), AGORA_SMTP_STARTTLS="false",
               AGORA_REDIS_URL=redis, AGORA_LEADER_RETRY_SECONDS="0.5",
               AGORA_SECRET_KEY="three-workers-" * 3)
    return env


shared_db = databases.shared_db_fixture(migrated=True)  # as `agora serve` expects


def agora_serve(port: int, env: dict[str, str], log: Path, *options: str) -> Worker:
    """`agora serve` in a process of its own, its output in `log`."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bots.cli", "serve", "--port", str(port), *options],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Worker(port, process)


def start_workers(count: int, env: dict[str, str], logs: Path) -> Iterator[Worker]:
    for i in range(count):
        yield agora_serve(free_port(), env, logs / f"worker{i}.log")


async def healthy(client: httpx.AsyncClient, worker: Worker, seconds: float = 60
                  ) -> dict[str, Any]:
    for _ in range(int(seconds / 0.2)):
        assert worker.running, "a worker exited while starting"
        try:
            answer = await client.get(worker.url + "/healthz", timeout=5)
            if answer.status_code == 200:
                return dict(answer.json())
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"worker on {worker.port} never became healthy")


async def the_leader(client: httpx.AsyncClient, workers: list[Worker], seconds: float = 15
                     ) -> Worker:
    for _ in range(int(seconds / 0.2)):
        for worker in (w for w in workers if w.running):
            if (await healthy(client, worker))["leader"]:
                return worker
        await asyncio.sleep(0.2)
    raise AssertionError("no worker leads the timed jobs")


async def plan_webinars(app: Container) -> list[int]:
    """Two webinars starting during the run, each with three registrants on Telegram."""
    await registered(app, "root")
    for chat in ATTENDEES:
        await make_account(app, chat, channel="telegram")
    return [await plan_webinar(app, 0, 20), await plan_webinar(app, 1, 40)]


async def plan_webinar(app: Container, n: int, seconds: float) -> int:
    """Webinar `n`, starting in `seconds`, with the registrants going."""
    async with app.uow() as uow:
        root = await find_account(uow, "terminal", "root")
        assert root is not None
        webinar = await gatherings.publish(
            uow, root.id, kind="webinar", title=f"Pellet market webinar {n}",
            starts_at=datetime.now(UTC) + timedelta(seconds=seconds), minutes=30,
            join_url=f"https://meet.example.org/w{n}")
        for chat in ATTENDEES:
            person = await find_account(uow, "telegram", chat)
            assert person is not None
            await gatherings.rsvp(uow, person.id, webinar.id, "going")
        await uow.commit()
        return webinar.id


@pytest.mark.minutes
async def test_three_workers_100_people_a_killed_leader_nothing_lost_or_doubled(
        shared_db: str, tmp_path: Path) -> None:
    redis = databases.redis_url()
    assert redis, "the multi-worker test needs Redis (AGORA_TEST_REDIS_URL)"
    fake = FakeTelegram()
    seeding = build(Settings(database_url=shared_db, environment="test",  # type: ignore[call-arg]
                             data_dir=str(tmp_path / "data"), admins=["terminal:root"]))
    await seeding.seed_operators()  # as every process that opens the database does
    webinars = await plan_webinars(seeding)
    with ExitStack() as stack:
        inbox, smtp_port = stack.enter_context(smtp_server())
        async with serve(fake.app()) as fake_url, httpx.AsyncClient() as client:
            fake.url = fake_url
            env = worker_env(shared_db, fake, smtp_port, redis, tmp_path / "data")
            workers = list(start_workers(3, env, tmp_path))
            stack.callback(stop_all, workers)
            for worker in workers:
                await healthy(client, worker)
            telegram = Telegram(workers, client, fake)
            people = [Person(telegram, inbox, n) for n in range(PEOPLE)]
            killed, new_leader = await run_and_kill_the_leader(telegram, people, client,
                                                               seeding, webinars)
            assert not killed.running and new_leader is not killed and new_leader.running
            assert telegram.disrupted  # the kill cut posts off, which were delivered again
            await everything_sent(seeding, fake, webinars)
            retried = await check_answers_applied_once_in_order(seeding, telegram)
            check_messages_sent_once(fake, inbox, telegram, retried)
    await seeding.close()


async def run_and_kill_the_leader(telegram: Telegram, people: list[Person],
                                  client: httpx.AsyncClient, app: Container,
                                  webinars: list[int]) -> tuple[Worker, Worker]:
    """The people's run, the leader killed midway; then a third webinar is published, soon
    due, which only the new leader can start (so the wait for it is one of its ticks)."""
    leader = await the_leader(client, telegram.workers)
    runs = asyncio.gather(*(p.register_and_list() for p in people))
    total = len(people) * STEPS_EACH
    while telegram.steps < KILL_AT * total:
        assert not runs.done(), runs.exception() if runs.done() else ""
        await asyncio.sleep(0.05)
    leader.process.send_signal(signal.SIGKILL)  # mid-run: posts in flight, rows being sent
    leader.process.wait(10)
    webinars.append(await plan_webinar(app, 2, 5))
    new_leader = await the_leader(client, telegram.workers)
    await asyncio.wait_for(runs, 600)
    return leader, new_leader


async def everything_sent(app: Container, fake: FakeTelegram, webinars: list[int]) -> None:
    """Wait (bounded) for the last webinar to start and the outbox to drain."""
    for _ in range(600):
        async with app.uow() as uow:
            started = (await uow.session.execute(select(func.count()).where(
                Gathering.id.in_(webinars), Gathering.status == "started"))).scalar_one()
            open_rows = (await uow.session.execute(select(func.count()).where(
                OutboxMessage.status.in_(["pending", "sending"])))).scalar_one()
        told = sum("starts now" in str(c.params.get("text")) for c in fake.sent())
        if started == len(webinars) and open_rows == 0 and told >= 9:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"after 120 s: {started} webinars started, {open_rows} rows unsent")


async def check_answers_applied_once_in_order(app: Container, telegram: Telegram) -> set[str]:
    """…and every outbox row sent; returns the addresses of rows sent by a second claim (a
    worker killed mid-send: the one window where a message may go twice)."""
    async with app.uow() as uow:
        for n in range(PEOPLE):
            account = await find_account(uow, "telegram", str(7000 + n))
            assert account is not None, f"person {n} is not registered"
            assert (account.display_name, account.company, account.email) == (
                f"Trader {n}", f"Firm {n}", f"trader{n}@example.com")
            [listing] = (await uow.session.execute(
                select(Listing).where(Listing.seller_id == account.id))).scalars()
            assert listing.status == "published"
            assert (listing.quantity_milli, listing.price_minor) == (
                (100 + n) * 1000, (200 + n) * 100)
        accounts = (await uow.session.execute(select(func.count()).select_from(
            Listing))).scalar_one()
        assert accounts == PEOPLE  # one listing each: none doubled
        recorded = Counter((await uow.session.execute(
            select(ProcessedUpdate.external_id).where(ProcessedUpdate.source == "telegram")
        )).scalars())
        assert set(recorded) == {str(u) for u in telegram.posted}  # each update, once
        statuses = Counter((await uow.session.execute(select(OutboxMessage.status))).scalars())
        assert set(statuses) == {"sent"}, statuses
        return set((await uow.session.execute(select(OutboxMessage.address).where(
            OutboxMessage.attempts > 1))).scalars())


def _shown_in(fake: FakeTelegram, chat: int) -> list[tuple[int, str]]:
    """(message id, text) of each text sent to the chat or edited into one of its messages."""
    shown = []
    for call in fake.calls:
        if call.method not in ("sendMessage", "editMessageText") or \
                str(call.params.get("chat_id")) != str(chat) or not isinstance(call.result, dict):
            continue
        shown.append((int(call.result["message_id"]), str(call.params.get("text"))))
    return shown


def check_messages_sent_once(fake: FakeTelegram, inbox: Inbox, telegram: Telegram,
                             retried: set[str]) -> None:
    for n in range(PEOPLE):
        chat, email = 7000 + n, f"trader{n}@example.com"
        emails = len(inbox.bodies(email))
        assert emails == 1 or (email in retried and emails == 2), (email, emails)  # one code
        # An answer shown twice: the same words sent again, or edited into another message.
        # A press answered on its own message (a box ticked) may edit it to the same words,
        # which is no second answer.
        shown = _shown_in(fake, chat)
        texts = [text for _message, text in shown]
        repeats = [a[1] for a, b in itertools.pairwise(shown) if a[1] == b[1] and a[0] != b[0]]
        if chat not in telegram.disrupted:
            assert repeats == [], (chat, texts, telegram.history[chat])  # no answer twice
    for chat in ATTENDEES:
        starts = Counter(t.split("”")[0] for t in fake.texts(int(chat)) if "starts now" in t)
        assert sorted(starts.values()) == [1, 1, 1], starts  # each webinar's start, once


def stop_all(workers: list[Worker]) -> None:
    for worker in workers:
        if worker.running:
            worker.process.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.process.wait(15)
        except subprocess.TimeoutExpired:
            worker.process.kill()


async def test_agora_serve_workers_2_runs_two_processes_with_one_leader(shared_db: str,
                                                                        tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    env.update(AGORA_ENVIRONMENT="test", AGORA_DATABASE_URL=shared_db,
               AGORA_DATA_DIR=str(tmp_path / "data"), AGORA_SECRET_KEY="k" * 32)
    server = agora_serve(free_port(), env, tmp_path / "serve.log", "--workers", "2")
    try:
        async with httpx.AsyncClient() as client:
            body = await healthy(client, server)
        assert body["database"] == "ok"
        names = await connected_workers(shared_db, expect=2)
        assert len(names) == 2  # two processes, each with its own connections
        assert await advisory_locks(shared_db) == 1  # one of them leads the timed jobs
    finally:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(20) == 0  # a clean stop of both workers
    said = (tmp_path / "serve.log").read_text()
    assert "2 worker processes" in said
    # Two default pools (40 each, a quarter more at peaks) do not fit in the test server's
    # connections: each worker was given a smaller one, and the box says so.
    assert "AGORA_DATABASE_POOL_SIZE=40 would not fit" in said


async def connected_workers(url: str, expect: int) -> set[str]:
    """The distinct application names `agora/…` connected to the database (waited for)."""
    conn = await asyncpg.connect(asyncpg_dsn(make_url(url)))
    try:
        for _ in range(100):
            names = set(await conn.fetchval(
                "SELECT array_agg(DISTINCT application_name) FROM pg_stat_activity "
                "WHERE application_name LIKE 'agora/%' AND datname = current_database()") or [])
            if len(names) >= expect:
                return names
            await asyncio.sleep(0.2)
        return names
    finally:
        await conn.close()


async def advisory_locks(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(make_url(url)))
    try:
        for _ in range(50):
            held = await conn.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            if held:
                return int(held)
            await asyncio.sleep(0.2)
        return 0
    finally:
        await conn.close()
