"""Several workers on one PostgreSQL database: one scheduler leader, taken over within seconds
when it dies; search coherent across workers within a second, caught up after an outage.

Each "worker" is a wired application of its own (its own engine, indexes, lock and listener
connections) on the same database, in this process."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any
from urllib.parse import urlparse

import asyncpg
import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bots.catalog_jobs import sync_index
from bots.email import LoggingEmailSender
from bots.leader import Leadership, asyncpg_dsn, scheduler_leadership
from bots.server import create_app, follow_other_workers
from config.container import Container, build
from config.settings import Settings
from conversations.messages import Command, Envelope
from core import conversation_store
from core.catalog import lifecycle
from core.catalog.query import SearchQuery
from core.consulting.profiles.directory import DirectoryQuery
from core.money.model import Money
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.ratelimit import SendLimiter
from core.storage import change_feed
from core.storage.tables import ProcessedUpdate
from core.storage.workers import application_name
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import consultant
from tests.payments.helpers import BUYER as PAYER
from tests.payments.helpers import people as payment_people
from tests.support import databases
from tests.support.servers import serve
from tests.test_outbox_workers import UNLIMITED, ChatRecorder, queue_rows, statuses

RETRY = 0.2  # how often a follower tries for the lead here (a few seconds in production)


shared_db = databases.shared_db_fixture(migrated=False)  # tables from the models


def worker(url: str, tmp_path: Any) -> Container:
    settings = Settings(database_url=url, environment="test", data_dir=str(tmp_path / "data"),
                        admins=["terminal:root"], leader_retry_seconds=RETRY)  # type: ignore[call-arg]
    return build(settings, senders={"email": LoggingEmailSender()})


@pytest.fixture
async def workers(shared_db: str, tmp_path: Any) -> AsyncIterator[tuple[Container, Container]]:
    a, b = worker(shared_db, tmp_path), worker(shared_db, tmp_path)
    yield a, b
    await a.close()
    await b.close()


async def within(seconds: float, check: Callable[[], Any]) -> float:
    """Wait until `check()` (sync or async) is true; how long it took. Fails past `seconds`."""
    start = time.monotonic()
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.02)


def leaderships(dsn: str, n: int) -> tuple[list[Leadership], list[str]]:
    """n contenders whose lead and step-down are logged as ("lead", i) / ("down", i)."""
    log: list[str] = []

    def contender(i: int) -> Leadership:
        return Leadership(dsn, lambda: log.append(f"lead {i}") or i,
                          lambda _i: log.append(f"down {i}"), retry_seconds=RETRY)

    return [contender(i) for i in range(n)], log


async def test_only_one_of_three_workers_becomes_the_scheduler_leader(shared_db):
    contenders, log = leaderships(asyncpg_dsn(build_url(shared_db)), 3)
    for c in contenders:
        c.start()
    try:
        await within(3, lambda: any(c.is_leader for c in contenders))
        await asyncio.sleep(5 * RETRY)  # the others have tried again, several times
        assert sum(c.is_leader for c in contenders) == 1
        assert len(log) == 1 and log[0].startswith("lead")
    finally:
        for c in contenders:
            await c.stop()


async def test_when_the_leader_dies_another_worker_takes_over_within_seconds(shared_db):
    contenders, _ = leaderships(asyncpg_dsn(build_url(shared_db)), 2)
    for c in contenders:
        c.start()
    try:
        await within(3, lambda: any(c.is_leader for c in contenders))
        leader = next(c for c in contenders if c.is_leader)
        other = next(c for c in contenders if c is not leader)
        await leader.stop()  # the worker is gone: its connection closes, the lock is free
        took = await within(3, lambda: other.is_leader)
        assert took < 3 and not leader.is_leader
    finally:
        for c in contenders:
            await c.stop()


async def test_a_leader_whose_connection_is_cut_steps_down_and_one_leader_remains(shared_db):
    dsn = asyncpg_dsn(build_url(shared_db))
    contenders, log = leaderships(dsn, 2)
    for c in contenders:
        c.start()
    both: list[bool] = []
    try:
        await within(3, lambda: any(c.is_leader for c in contenders))
        leader = next(c for c in contenders if c.is_leader)
        assert leader.conn is not None
        pid = leader.conn.get_server_pid()
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await within(3, lambda: log[-1].startswith("down") or len(log) > 2)

        def settled() -> bool:
            both.append(all(c.is_leader for c in contenders))
            return sum(c.is_leader for c in contenders) == 1

        await within(5, settled)
        assert not any(both), "two workers ran the timed jobs at once"
        assert log[1] == log[0].replace("lead", "down")  # the cut leader stepped down first
    finally:
        for c in contenders:
            await c.stop()


async def test_only_the_leader_worker_schedules_the_timed_jobs(workers):
    a, b = workers
    la, lb = scheduler_leadership(a), scheduler_leadership(b)
    la.start()
    await within(3, lambda: la.is_leader)
    lb.start()
    try:
        await asyncio.sleep(3 * RETRY)
        assert not lb.is_leader and lb.running is None
        jobs = {job.id for job in la.running.get_jobs()}
        assert {"deal-timers", "outbox-sweep", "listings-expiry"} <= jobs
        assert "catalog-sync" not in jobs  # each worker keeps its own index
        await la.stop()
        await within(3, lambda: lb.is_leader)
        assert "deal-timers" in {job.id for job in lb.running.get_jobs()}
    finally:
        await la.stop()
        await lb.stop()


async def found_in(app: Container, text: str) -> int:
    assert app.catalog is not None
    async with app.uow() as uow:
        return (await app.catalog.search(uow, SearchQuery(text=text))).total


async def test_a_listing_published_through_one_worker_is_found_by_the_other_within_a_second(
        workers):
    a, b = workers
    seller = await make_account(a, "sam")
    await sync_index(a)
    listener = await follow_other_workers(b)
    assert listener is not None
    try:
        await within(3, listener.listening.is_set)
        listing_id = await publish(a, seller)
        took = await within(1.0, lambda: found_in(b, "pellets"))
        assert took < 1.0
        async with a.uow() as uow:
            await lifecycle.act(uow, listing_id, seller.id, "close")
            await uow.commit()
        await within(1.0, lambda: _none(found_in(b, "pellets")))
    finally:
        await listener.stop()


async def _none(count: Any) -> bool:
    return await count == 0


async def test_a_consultant_gone_live_on_one_worker_is_in_the_others_directory_within_a_second(
        workers):
    a, b = workers
    listener = await follow_other_workers(b)
    assert listener is not None and b.directory is not None
    try:
        await within(3, listener.listening.is_set)
        await consultant(a, "ann")

        async def listed() -> bool:
            async with b.uow() as uow:
                return (await b.directory.search(uow, DirectoryQuery())).total == 1

        assert await within(1.0, listed) < 1.0
    finally:
        await listener.stop()


async def test_a_worker_that_was_not_listening_catches_up_from_the_sequence(workers):
    a, b = workers
    seller = await make_account(a, "sam")
    listener = await follow_other_workers(b)
    assert listener is not None
    await within(3, listener.listening.is_set)
    await listener.stop()  # away: every notification from here on is missed
    await publish(a, seller)
    await publish(a, seller, title="Sunflower husk pellets")
    await asyncio.sleep(0.3)
    assert await found_in(b, "pellets") == 0
    listener.start()  # back: the sequence says what it missed
    try:
        await within(1.0, lambda: _is(found_in(b, "pellets"), 2))
    finally:
        await listener.stop()


async def test_a_listener_whose_connection_is_cut_reconnects_and_catches_up(workers):
    a, b = workers
    seller = await make_account(a, "sam")
    listener = await follow_other_workers(b)
    assert listener is not None
    try:
        await within(3, listener.listening.is_set)
        assert listener.conn is not None
        pid = listener.conn.get_server_pid()
        admin = await asyncpg.connect(asyncpg_dsn(a.db.url))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await within(3, lambda: not listener.listening.is_set())
        await publish(a, seller)  # while it is away (it waits a second before reconnecting)
        await within(3, lambda: _is(found_in(b, "pellets"), 1))
        assert listener.conn is not None and listener.conn.get_server_pid() != pid
    finally:
        await listener.stop()


async def _is(count: Any, expected: int) -> bool:
    return await count == expected


async def test_changes_committed_out_of_sequence_order_are_each_applied(workers):
    a, _ = workers
    applied: list[dict[str, set[int]]] = []

    async def apply(_uow: Any, changes: dict[str, set[int]]) -> None:
        applied.append(changes)

    async def reload(_uow: Any) -> None:
        raise AssertionError("no reload expected")

    feed = change_feed.ChangeFeed(apply, reload)
    async with a.uow() as uow:
        await feed.start(uow)
    async with a.uow() as slow:
        await change_feed.record(slow, "listing", [1])  # takes the lower number, commits last
        async with a.uow() as quick:
            await change_feed.record(quick, "listing", [2])
            await quick.commit()
        async with a.uow() as uow:
            assert await feed.catch_up(uow) == 1
        assert applied == [{"listing": {2}}] and feed.waiting
        await slow.commit()
    async with a.uow() as uow:
        assert await feed.catch_up(uow) == 1
        assert await feed.catch_up(uow) == 0  # nothing applied twice
    assert applied[1] == {"listing": {1}} and not feed.waiting


async def test_a_number_rolled_back_is_waited_for_then_given_up(workers):
    a, _ = workers
    now = [0.0]
    feed = change_feed.ChangeFeed(_ignore, _ignore, gap_wait=10, clock=lambda: now[0])
    async with a.uow() as uow:
        await feed.start(uow)
    async with a.uow() as lost:
        await change_feed.record(lost, "listing", [1])  # rolled back: its number never commits
    async with a.uow() as uow:
        await change_feed.record(uow, "listing", [2])
        await uow.commit()
    async with a.uow() as uow:
        await feed.catch_up(uow)
        first = feed.settled
        now[0] = 11
        await feed.catch_up(uow)
    assert feed.settled == first + 2 and not feed.waiting


async def _ignore(*_: Any) -> None:
    return None


async def test_healthz_names_one_leader_among_two_workers(workers):
    a, b = workers
    servers = [create_app(a), create_app(b)]
    async with servers[0].router.lifespan_context(servers[0]), \
            servers[1].router.lifespan_context(servers[1]):
        await within(3, lambda: any(s.state.leadership.is_leader for s in servers))
        bodies = []
        for server in servers:
            transport = httpx.ASGITransport(app=server)
            async with httpx.AsyncClient(transport=transport, base_url="http://w") as http:
                response = await http.get("/healthz")
            assert response.status_code == 200
            bodies.append(response.json())
    assert sorted(body["leader"] for body in bodies) == [False, True]
    assert all(body["database"] == "ok" and body["redis"] == "not configured" for body in bodies)
    assert all(body["outbox"]["pending"] >= 0 for body in bodies)


def build_url(url: str) -> Any:
    from sqlalchemy.engine import make_url

    return make_url(url)


# --- one user's updates across workers ---------------------------------------------------

def envelope(user: str, message: Any, event_id: str) -> Envelope:
    return Envelope(channel="telegram", user_key=user, chat_id=user, message=message,
                    event_id=event_id)


async def test_one_users_updates_on_two_workers_run_one_at_a_time_others_in_parallel(workers):
    a, b = workers
    async with a.uow() as holder:  # a step of Ann's in progress on worker A
        await conversation_store.lock_user(holder, "telegram", "ann")
        anns = asyncio.create_task(b.engine.handle(envelope("ann", Command("start"), "u1")))
        bobs = await asyncio.wait_for(b.engine.handle(envelope("bob", Command("start"), "u2")), 10)
        assert "Registration" in bobs.replies[-1].text  # Bob is not held up by Ann
        await asyncio.sleep(0.3)
        assert not anns.done()  # Ann's second update waits for her first to commit
        await holder.commit()
    anns_reply = await asyncio.wait_for(anns, 10)
    assert "Registration" in anns_reply.replies[-1].text


async def test_a_retried_update_whose_worker_died_is_answered_again_once(workers, shared_db):
    a, b = workers
    first = await a.engine.handle(envelope("ann", Command("start"), "u7"))
    question = first.replies[-1].text
    await set_worker(a, "u7", "gone-host-4242-abcdef")  # its worker was killed after commit
    again = await b.engine.handle(envelope("ann", Command("start"), "u7"))
    assert not again.duplicate and again.replies[-1].text == question  # asked again, once
    assert (await b.engine.handle(envelope("ann", Command("start"), "u7"))).duplicate
    async with a.uow() as uow:  # nothing was applied twice: still the first question
        conv = await conversation_store.load(uow, "telegram", "ann", "ann", lock=False)
        assert conv.version == 1


async def test_a_retried_update_whose_worker_is_alive_is_left_to_that_worker(workers, shared_db):
    a, b = workers
    await a.engine.handle(envelope("ann", Command("start"), "u8"))
    other = await asyncpg.connect(asyncpg_dsn(build_url(shared_db)),
                                  server_settings={"application_name": application_name("w-2")})
    try:
        await set_worker(a, "u8", "w-2")  # still connected: it is sending its answer
        assert (await b.engine.handle(envelope("ann", Command("start"), "u8"))).duplicate
    finally:
        await other.close()


async def set_worker(app: Container, event_id: str, worker: str) -> None:
    async with app.uow() as uow:
        row = await uow.session.get(ProcessedUpdate, ("telegram", event_id))
        row.owed_by = worker
        await uow.commit()


async def test_an_update_whose_answer_was_sent_owes_nothing_so_a_retry_stays_a_duplicate(workers):
    a, b = workers
    env = envelope("ann", Command("start"), "u9")
    await a.engine.handle(env)
    await a.engine.answered(env)  # the channel sent the replies (then A may die)
    async with a.uow() as uow:
        assert (await uow.session.get(ProcessedUpdate, ("telegram", "u9"))).owed_by is None
    assert (await b.engine.handle(envelope("ann", Command("start"), "u9"))).duplicate


async def cut_this_process(url: str) -> int:
    """Terminate every PostgreSQL connection this process holds (its pooled ones included)."""
    admin = await asyncpg.connect(asyncpg_dsn(build_url(url)))
    try:
        return await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = $1 AND pid <> pg_backend_pid()", application_name())
    finally:
        await admin.close()


async def test_after_the_database_cut_every_connection_the_next_update_is_answered(
        workers, shared_db):
    """Connections are not pinged before use: the first statement on a dead one fails, the
    pool drops every connection as old, and the update runs again on a new one."""
    a, _ = workers
    await a.engine.handle(envelope("cid", Command("start"), "c1"))  # connections now pooled
    assert await cut_this_process(shared_db) >= 1
    answer = await a.engine.handle(envelope("cid", Command("cancel"), "c2"))
    assert answer.replies and all(r.kind != "error" for r in answer.replies), answer.replies
    again = await a.engine.handle(envelope("cid", Command("start"), "c3"))
    assert "Registration" in again.replies[-1].text


# --- the outbox across a cut connection --------------------------------------------------

async def test_a_notice_whose_sent_mark_lost_its_connection_is_sent_once_and_the_next_follows(
        workers, shared_db):
    """The dispatcher's connections die between the send and its "sent" mark: the mark is
    made on a fresh connection, so the notice is not sent again after the lease and the
    chat's next notice goes out in the same run instead of two minutes later."""
    a, _ = workers
    await queue_rows(a, chats=1, per_chat=2)
    recorder, cuts = ChatRecorder(delay=0), []
    inner = recorder.sender("w")

    class CutAfterSending:
        async def send(self, address: str, payload: dict[str, Any],
                       files: Sequence[Attachment] = ()) -> None:
            await inner.send(address, payload, files)
            if not cuts:  # delivered; now the database connections die
                cuts.append(await cut_this_process(shared_db))

    dispatcher = OutboxDispatcher(a.sessions, a.clock, {"telegram": CutAfterSending()},
                                  SendLimiter(UNLIMITED), worker="w")
    sent = await asyncio.wait_for(dispatcher.run_once(), 10)
    assert cuts and cuts[0] >= 1
    assert sent == 2 and [t for _, _, t in recorder.sent] == ["0:0", "0:1"]
    assert await statuses(a) == {"sent": 2}  # no row left "sending" for a lease to free again


# --- every entry point across a cut connection ------------------------------------------


async def test_a_pay_page_posted_after_the_database_cut_every_connection_is_answered(workers):
    """The pay page's pooled connections die between showing the page and the card posted
    on it: the payment goes through (the request runs again on a fresh connection), never a
    500, and the escrow is held once."""
    a, _ = workers
    buyer, seller = await payment_people(a)
    view = await a.payments.open("goods", "bioenergy", "deal:1", buyer, seller,
                                 Money(10_000, "EUR"), PAYER)
    path = urlparse(view.pay_url).path
    async with serve(create_app(a, run_workers=False)) as base, httpx.AsyncClient() as http:
        assert (await http.get(base + path)).status_code == 200  # its connections now pooled
        assert await cut_this_process(a.settings.database_url) >= 1
        paid = await http.post(base + path, data={"card_number": "4242 4242 4242 4242"})
        assert paid.status_code == 200, paid.text
        again = await http.get(base + path)
    assert again.status_code == 200
    assert (await a.payments.get(view.id)).state == "held"


async def allow_connections(url: str, allowed: bool) -> None:
    """Let this test's database take connections, or refuse every new one (its server stays up
    for everyone else): from a session on the server's own `postgres` database."""
    target = build_url(url)
    admin = await asyncpg.connect(asyncpg_dsn(target.set(database="postgres")))
    try:
        await admin.execute(f'ALTER DATABASE "{target.database}" '
                            f"WITH ALLOW_CONNECTIONS {str(allowed).lower()}")
    finally:
        await admin.close()


class DownAfterSending:
    """A sender after whose first send the database goes down: this process's connections
    cut, and no new one taken."""

    def __init__(self, inner: Any, url: str) -> None:
        self.inner, self.url, self.down = inner, url, False

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        await self.inner.send(address, payload, files)
        if not self.down:
            self.down = True
            assert await cut_this_process(self.url) >= 1
            await allow_connections(self.url, False)


def _down_after_sending(app, recorder, db_url: str, name: str, worker: str) -> OutboxDispatcher:
    """A dispatcher of `app` whose Telegram sends reach `recorder` as `name`, after which the
    database refuses every connection (DownAfterSending)."""
    return OutboxDispatcher(app.sessions, app.clock,
                            {"telegram": DownAfterSending(recorder.sender(name), db_url)},
                            SendLimiter(UNLIMITED), worker=worker)


async def test_a_notice_sent_while_the_database_is_down_is_marked_once_it_is_back(
        workers, shared_db):
    """The database refuses every connection right after a send (the dispatcher's are cut and
    no new one is taken): the "sent" mark waits in the dispatcher, not for the two-minute lease.
    Once the database answers again the next pass marks it first and sends the chat's next
    notice at once; nothing is sent twice."""
    a, _ = workers
    await queue_rows(a, chats=1, per_chat=2)
    recorder = ChatRecorder(delay=0)
    dispatcher = _down_after_sending(a, recorder, shared_db, "w", worker="w")
    try:
        with pytest.raises(DBAPIError):  # down in the middle of the pass
            await asyncio.wait_for(dispatcher.run_once(), 10)
        with pytest.raises(ConnectionError):  # still down: the kept mark first, nothing claimed
            await dispatcher.run_once()
    finally:
        await allow_connections(shared_db, True)
    started = time.monotonic()
    await asyncio.wait_for(dispatcher.run_once(), 10)
    assert time.monotonic() - started < 5
    assert [t for _, _, t in recorder.sent] == ["0:0", "0:1"]
    assert await statuses(a) == {"sent": 2}


async def test_a_worker_reconnecting_after_the_outage_keeps_its_sent_rows_from_the_others(
        workers, shared_db):
    """Right after the database comes back, a living worker that has not reconnected yet
    looks dead to the others (no connection of its process). Its row sent during the outage,
    whose mark it keeps, is not freed for another worker to send again: the other waits the
    reconnect grace, the first settles its mark, and the notice went out once."""
    a, _ = workers
    await queue_rows(a, chats=1, per_chat=1)
    recorder = ChatRecorder(delay=0)
    # The first worker's claims name a process with no connection now: one still reconnecting.
    first = _down_after_sending(a, recorder, shared_db, "first", worker="elsewhere-4242-abcdef#1")
    other = OutboxDispatcher(a.sessions, a.clock, {"telegram": recorder.sender("other")},
                             SendLimiter(UNLIMITED), worker="other")
    try:
        with pytest.raises(DBAPIError):
            await asyncio.wait_for(first.run_once(), 10)
    finally:
        await allow_connections(shared_db, True)
    await asyncio.wait_for(other.run_once(), 10)  # the database is back: the other looks first
    await asyncio.wait_for(first.run_once(), 10)  # then the first settles what it sent
    assert [t for _, _, t in recorder.sent] == ["0:0"]
    assert await statuses(a) == {"sent": 1}


# --- a crypto refund across a cut connection ---------------------------------------------

async def test_a_crypto_refund_whose_mark_lost_its_connection_is_asked_of_btcpay_once(
        shared_db, tmp_path):
    """Greenfield's refund takes no idempotency key. Agora's connections die the moment the
    refund reaches BTCPay, before it is recorded: the refund fails on the next statement and
    its operation stays pending, leased to the call that died. Within the lease the recovery
    leaves it; once the lease runs out it looks first for a pull payment carrying the
    operation's key, finds the one made and completes with it: BTCPay asked once, one pull
    payment, the ledger balanced and the payer told once where to claim it."""
    from core.clock import FakeClock
    from payments import crypto_rules, ledger
    from payments.tables import PaymentOperation
    from tests.payments.test_direct_payment import texts_to
    from tests.support.fake_btcpay import API_KEY, SECRET, STORE, FakeBTCPay

    fake = FakeBTCPay()
    async with serve(fake.app) as btcpay_url:
        fake.base = btcpay_url
        settings = Settings(database_url=shared_db, environment="test",  # type: ignore[call-arg]
                            data_dir=str(tmp_path / "data"), admins=["terminal:root"],
                            crypto_provider="btcpay", btcpay_url=btcpay_url,
                            btcpay_api_key=API_KEY, btcpay_store_id=STORE,
                            btcpay_webhook_secret=SECRET)
        clock = FakeClock()
        app = build(settings, clock=clock, senders={"email": LoggingEmailSender()})
        try:
            async with serve(create_app(app, run_workers=False)) as agora_url:
                fake.agora_url = agora_url
                buyer, seller = await payment_people(app)
                view = await app.payments.open("goods", "bioenergy", "deal:1", buyer, seller,
                                               Money(25_000, "EUR"), PAYER)
                invoice = await app.payments.crypto_invoice(view.id, buyer)
                assert invoice is not None
                invoice_id = invoice.url.rsplit("/", 1)[-1]
                fake.pay(invoice_id, "250.00")
                assert (await fake.send("InvoiceSettled", invoice_id)).status_code == 200
                assert (await app.payments.get(view.id)).state == "held"

                cuts: list[int] = []

                async def cut_agora() -> None:  # BTCPay has made the refund; Agora's
                    cuts.append(await cut_this_process(shared_db))  # connections die

                fake.on_refund = cut_agora
                with pytest.raises(DBAPIError):
                    await app.payments.refund(view.id, None, PAYER)
                fake.on_refund = None
            assert cuts and cuts[0] >= 1 and len(fake.refunds) == 1
            async with app.uow() as uow:
                [op] = (await uow.session.execute(select(PaymentOperation).where(
                    PaymentOperation.kind == "refund"))).scalars().all()
            assert op.status == "pending" and op.asked_at is not None  # asked, never marked

            await app.payments.recover()  # within the lease: left alone
            assert (await app.payments.get(view.id)).state == "settling"
            clock.advance(seconds=crypto_rules.ASK_LEASE.total_seconds() + 1)
            await app.payments.recover()
            await app.payments.recover()  # done: not asked again
            assert len(fake.refunds) == 1 and len(fake.pull_payments) == 1
            [pull] = fake.pull_payments.values()
            assert pull["description"] == op.key and pull["amount"] == "250.00"
            assert (await app.payments.get(view.id)).state == "refunded"
            async with app.uow() as uow:
                assert await ledger.unbalanced_journals(uow) == []
                assert await ledger.balance(uow, ledger.world("btcpay"), "EUR") == 0
                done = await uow.session.get(PaymentOperation, op.id)
                assert done is not None and (done.status, done.provider_ref) == (
                    "done", pull["id"])
            told = [t for t in await texts_to(app, buyer) if pull["viewLink"] in t]
            assert len(told) == 1 and "claim it" in told[0]
        finally:
            await app.close()
