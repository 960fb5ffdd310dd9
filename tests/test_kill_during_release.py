"""`kill -9` in the middle of a buyer's release, on PostgreSQL, through a real `agora serve`.

The buyer confirms receipt on Telegram; the deal's step commits, and the release that follows
it (its own transaction) is held at its ledger journal by a table lock this test takes. The
worker is killed with SIGKILL there: the deal is completed, its escrow still held, no release
journal. A new worker is started: the release is finished within seconds (not at the catch-up
job's five-minute tick), and the seller is told of the payout once.
"""

from __future__ import annotations

import asyncio
import json
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import func, make_url, select, update

from bots.leader import asyncpg_dsn
from bots.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from config.container import Container, build
from config.settings import Settings
from core.accounts.tables import Account, Identity
from core.deals.after_sale import service as after_sale
from core.deals.tables import Deal
from payments.tables import LedgerJournal
from tests.deals.timer_support import escrow_of, paid_in_escrow
from tests.support import databases
from tests.support.fake_telegram import FakeTelegram
from tests.support.servers import free_port, serve
from tests.support.smtp import smtp_server
from tests.test_three_workers import SECRET, Worker, agora_serve, healthy, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.timeout(180), pytest.mark.postgres_servers]

shared_db = databases.shared_db_fixture(migrated=True)  # as `agora serve` expects
SELLER_CHAT, BUYER_CHAT = 7101, 7102
RELEASED = "released to you for"  # the payout's notice (payments.settlement_notices.released)


async def on_telegram(app: Container, account_id: int, chat: int) -> None:
    """The account's notices go to its Telegram chat."""
    async with app.uow() as uow:
        uow.add(Identity(account_id=account_id, channel="telegram", user_key=str(chat),
                         address=str(chat), created_at=datetime.now(UTC)))
        await uow.session.execute(update(Account).where(Account.id == account_id)
                                  .values(notify_channel="telegram"))
        await uow.commit()


async def shipped_and_paid(app: Container) -> tuple[int, int]:
    """A deal paid into escrow and shipped, its parties on Telegram: (deal, escrow)."""
    sam, bob, deal_id, escrow_id = await paid_in_escrow(app)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await uow.commit()
    await on_telegram(app, sam.id, SELLER_CHAT)
    await on_telegram(app, bob.id, BUYER_CHAT)
    return deal_id, escrow_id


async def post(client: httpx.AsyncClient, worker: Worker, update: dict[str, Any]) -> None:
    """A webhook post whose answer may never come (the worker is killed under it)."""
    try:
        await client.post(worker.url + WEBHOOK_PATH, json=update, timeout=30,
                          headers={SECRET_HEADER: SECRET})
    except httpx.TransportError:
        pass


def confirm_receipt(fake: FakeTelegram, deal_id: int) -> dict[str, Any]:
    """The buyer's press on the deal card's "Confirm receipt"."""
    card = {"message_id": 1, "date": 0, "chat": {"id": BUYER_CHAT, "type": "private"},
            "text": f"Deal #{deal_id}", "from": {"id": 1, "is_bot": True, "first_name": "A"}}
    query = {"id": "q-confirm", "from": {"id": BUYER_CHAT, "is_bot": False, "first_name": "Bob"},
             "chat_instance": "ci", "data": f"@do:deal_step:{deal_id}:confirm-receipt",
             "message": card}
    return fake.update(callback_query=query)


async def until(check: Any, seconds: float, what: str) -> float:
    """Wait (bounded) for `check()` to hold; how long it took."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while loop.time() - start < seconds:
        if await check():
            return loop.time() - start
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


async def state(app: Container, deal_id: int, escrow_id: int) -> tuple[str, str, int]:
    """The deal's status, its escrow's state, and the escrow's release journals."""
    async with app.uow() as uow:
        status = await uow.session.scalar(select(Deal.status).where(Deal.id == deal_id))
        journals = await uow.session.scalar(select(func.count()).select_from(LedgerJournal).where(
            LedgerJournal.kind == "release", LedgerJournal.escrow_id == escrow_id))
    escrow = await escrow_of(app, deal_id)
    assert escrow is not None and status is not None
    return status, escrow[1], int(journals or 0)


async def test_a_release_cut_by_kill_9_is_finished_as_a_worker_starts_and_told_once(
        shared_db: str, tmp_path: Path) -> None:
    fake = FakeTelegram()
    app = build(Settings(database_url=shared_db, environment="test",  # type: ignore[call-arg]
                         data_dir=str(tmp_path / "data"), admins=["terminal:root"]))
    await app.seed_operators()
    deal_id, escrow_id = await shipped_and_paid(app)
    lock = await asyncpg.connect(asyncpg_dsn(make_url(shared_db)))
    try:
        with smtp_server() as (_inbox, smtp_port):
            async with serve(fake.app()) as fake_url, httpx.AsyncClient() as client:
                fake.url = fake_url
                env = worker_env(shared_db, fake, smtp_port, databases.redis_url() or "",
                                 tmp_path / "data")
                first = agora_serve(free_port(), env, tmp_path / "first.log")
                try:
                    await healthy(client, first)
                    await cut_the_release_with_kill_9(app, fake, client, first, lock,
                                                      deal_id, escrow_id)
                finally:
                    first.process.kill()
                await lock.execute("ROLLBACK")  # the lock goes; nothing of the release is left
                assert await state(app, deal_id, escrow_id) == ("completed", "held", 0)
                second = agora_serve(free_port(), env, tmp_path / "second.log")
                try:
                    await healthy(client, second)
                    took = await until(lambda: released(app, deal_id, escrow_id), 15,
                                       "the release finished after the restart")
                    assert took < 10
                    await until(lambda: told(fake, 1), 10, "the seller told of the payout")
                    await asyncio.sleep(2)  # a second telling would come within this
                    assert await told(fake, 1)
                finally:
                    second.process.send_signal(signal.SIGTERM)
                    second.process.wait(20)
    finally:
        await lock.close()
        await app.close()


async def cut_the_release_with_kill_9(app: Container, fake: FakeTelegram,
                                      client: httpx.AsyncClient, worker: Worker,
                                      lock: asyncpg.Connection, deal_id: int,
                                      escrow_id: int) -> None:
    """Confirm receipt with the release held at its journal, then SIGKILL the worker."""
    await post(client, worker, confirm_receipt(fake, deal_id))
    await fake.wait_for(("sendMessage", "editMessageText"), lambda p: "arrived as agreed" in json.dumps(
        p.get("reply_markup"), ensure_ascii=False))
    await lock.execute("BEGIN")
    await lock.execute("LOCK TABLE ledger_journals IN SHARE MODE")  # no journal written
    pressed = asyncio.create_task(post(client, worker, fake.press(BUYER_CHAT, "arrived")))
    await until(lambda: completed_and_waiting(app, deal_id, escrow_id, lock), 15,
                "the deal completed and its release waiting on the journal")
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait(10)
    await pressed


async def completed_and_waiting(app: Container, deal_id: int, escrow_id: int,
                                lock: asyncpg.Connection) -> bool:
    waiting = await lock.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database() AND pid <> pg_backend_pid()")
    deal, escrow, journals = await state(app, deal_id, escrow_id)
    return deal == "completed" and escrow == "held" and journals == 0 and waiting > 0


async def released(app: Container, deal_id: int, escrow_id: int) -> bool:
    deal, escrow, journals = await state(app, deal_id, escrow_id)
    return deal == "completed" and escrow == "released" and journals == 1


async def told(fake: FakeTelegram, times: int) -> bool:
    """Whether the seller was told of the payout `times` times, and of nothing twice."""
    shown = fake.texts(SELLER_CHAT, methods=("sendMessage",))
    assert len(shown) == len(set(shown)), shown
    texts = [t for t in shown if RELEASED in t]
    assert len(texts) <= times, texts
    return len(texts) == times
