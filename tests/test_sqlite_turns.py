"""SQLite's transactions take their turn within a process: in order, work due at a moment first,
and a turn is never lost with a waiter that gave up (core.storage.sqlite_turns)."""

from __future__ import annotations

import asyncio
import gc

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.storage import sqlite_turns
from core.storage.database import create_engine
from core.storage.sqlite_turns import Turns


async def test_turns_go_in_order_of_asking_and_work_due_at_a_moment_goes_first():
    turns, order = Turns(), []
    await turns.take("holder")

    async def wait(name: str, first: bool = False) -> None:
        await turns.take(name, first=first)
        order.append(name)
        turns.give_back(name)

    waiting = [asyncio.create_task(wait(name)) for name in ("a", "b", "c")]
    await asyncio.sleep(0)
    waiting.append(asyncio.create_task(wait("close", first=True)))
    await asyncio.sleep(0)
    turns.give_back("holder")
    await asyncio.gather(*waiting)
    assert order == ["close", "a", "b", "c"]
    assert turns.holder is None


async def test_a_holder_asking_again_keeps_its_turn_and_a_stranger_gives_back_nothing():
    turns = Turns()
    await turns.take("a")
    await asyncio.wait_for(turns.take("a"), 0.1)  # its second transaction on one connection
    turns.give_back("b")
    assert turns.holder == "a"


async def test_a_waiter_that_gives_up_passes_the_turn_on_instead_of_keeping_it():
    turns = Turns()
    await turns.take("holder")
    quitter = asyncio.create_task(turns.take("quitter"))
    patient = asyncio.create_task(turns.take("patient"))
    await asyncio.sleep(0)
    quitter.cancel()
    turns.give_back("holder")  # handed to the quitter's wait as it is cancelled
    await asyncio.wait_for(patient, 1)
    assert turns.holder == "patient" and quitter.cancelled()


async def test_a_turn_handed_to_a_waiter_cancelled_before_it_ran_goes_on_to_the_next():
    turns = Turns()
    await turns.take("holder")
    quitter = asyncio.create_task(turns.take("quitter"))
    patient = asyncio.create_task(turns.take("patient"))
    await asyncio.sleep(0)
    turns.give_back("holder")  # handed to the quitter…
    quitter.cancel()  # …which is cancelled before it runs
    await asyncio.wait_for(patient, 1)
    assert turns.holder == "patient"


async def test_a_turn_not_given_in_time_fails_the_transaction(monkeypatch):
    monkeypatch.setattr(sqlite_turns, "WAIT_SECONDS", 0.05)
    turns = Turns()
    await turns.take("holder")
    with pytest.raises(TimeoutError):
        await turns.take("late")
    turns.give_back("holder")
    assert turns.holder is None  # the late one left the queue


async def test_on_sqlite_the_on_time_engine_begins_next_however_many_wait(tmp_path):
    """Five transactions of the busy engine wait for the one running; the close's engine asks
    after them all and still goes next. Left to SQLite's polling, each waiter would try again
    every 100 ms by then and whichever polled first would win."""
    url = f"sqlite+aiosqlite:///{tmp_path}/turns.db"
    busy, on_time = create_engine(url), create_engine(url, pool_size=2, on_time=True)
    order: list[str] = []
    try:
        async with busy.begin() as connection:
            await connection.execute(text("CREATE TABLE t (name TEXT)"))

        async def write(engine, name: str) -> None:
            async with engine.begin() as connection:
                order.append(name)
                await connection.execute(text("INSERT INTO t VALUES (:n)"), {"n": name})

        async with busy.begin() as holding:
            await holding.execute(text("INSERT INTO t VALUES ('first')"))
            waiting = [asyncio.create_task(write(busy, f"busy{n}")) for n in range(5)]
            await asyncio.sleep(0.3)  # each waiter is well into its wait
            waiting.append(asyncio.create_task(write(on_time, "close")))
            await asyncio.sleep(0.3)
            assert order == []  # nobody began beside the transaction holding the file
        await asyncio.gather(*waiting)
        # (the busy ones ask in the order their connections opened)
        assert order[0] == "close" and sorted(order[1:]) == [f"busy{n}" for n in range(5)]
    finally:
        await busy.dispose()
        await on_time.dispose()


async def test_on_sqlite_a_transaction_behind_a_stream_of_others_waits_for_one_of_them(tmp_path):
    """Twenty tasks run short transactions back to back (5 ms each, as webhooks do); the
    close's transaction, asked for among them, begins within about one of theirs. Left to
    SQLite's polling it lost the lock to them in the gaps for hundreds of milliseconds."""
    url = f"sqlite+aiosqlite:///{tmp_path}/stream.db"
    busy, on_time = create_engine(url), create_engine(url, pool_size=2, on_time=True)
    loop = asyncio.get_running_loop()
    try:
        async with busy.begin() as connection:
            await connection.execute(text("CREATE TABLE t (n INTEGER)"))

        async def stream(until: float) -> int:
            done = 0
            while loop.time() < until:
                async with busy.begin() as connection:
                    await connection.execute(text("INSERT INTO t VALUES (1)"))
                    await asyncio.sleep(0.005)
                done += 1
            return done

        streams = [asyncio.create_task(stream(loop.time() + 1.5)) for _ in range(20)]
        waits = []
        for _ in range(5):
            await asyncio.sleep(0.2)
            asked = loop.time()
            async with on_time.begin() as connection:
                waits.append(loop.time() - asked)
                await connection.execute(text("INSERT INTO t VALUES (2)"))
        assert sum(await asyncio.gather(*streams)) > 100  # the others kept the file busy
        assert max(waits) < 0.1, waits
    finally:
        await busy.dispose()
        await on_time.dispose()


async def test_a_transaction_cancelled_mid_statement_stays_cancelled_and_frees_its_turn(tmp_path):
    """A worker stopping cancels a transaction in the middle of a statement: SQLAlchemy drops
    the connection, and the turn goes back with it. The rollback that follows must not fail
    (its error would replace the cancellation, and a loop that catches errors would go on
    after being told to stop), and SQLite's lock is released with the transaction: the
    dropped connection's close left it held, and the next transaction failed after 30 s."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/cancel.db")
    slow = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
                " SELECT count(*) FROM n")
    started = asyncio.Event()
    try:
        async def long_transaction() -> None:
            async with engine.begin() as connection:
                started.set()
                await connection.execute(slow)

        task = asyncio.create_task(long_transaction())
        await started.wait()
        await asyncio.sleep(0.05)  # inside the statement (it runs for about half a second)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        turns = sqlite_turns.turns_of(sqlite_turns.on_file(engine.url) or "")
        assert turns.holder is None  # the next transaction of the process may take it
        async with asyncio.timeout(5), engine.begin() as connection:  # and SQLite's lock is free
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


async def fresh_file(tmp_path, name: str):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/{name}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


async def test_a_connection_dropped_mid_transaction_gives_its_turn_back_when_collected(
        tmp_path, monkeypatch):
    """A connection lost without commit, rollback or close (its task dropped it) goes back to
    the pool through the garbage collector: its turn goes with it, and the next transaction
    begins."""
    monkeypatch.setattr(sqlite_turns, "WAIT_SECONDS", 2)
    engine = await fresh_file(tmp_path, "dropped.db")
    try:
        async def abandon() -> None:
            connection = await engine.connect()
            await connection.begin()
            await connection.execute(text("INSERT INTO t VALUES (1)"))

        await abandon()
        gc.collect()
        await asyncio.sleep(0.2)
        async with asyncio.timeout(5), engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (2)"))
            kept = (await connection.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all()
        assert kept == [2]  # the next transaction ran; the dropped one's row was rolled back
    finally:
        await engine.dispose()


async def test_a_connection_used_again_after_it_was_dropped_takes_a_turn_of_its_own(
        tmp_path, monkeypatch):
    """A Connection whose DBAPI connection was invalidated reconnects at its next BEGIN: it
    waits for its turn as that new connection, and those behind it get theirs."""
    monkeypatch.setattr(sqlite_turns, "WAIT_SECONDS", 2)
    engine = await fresh_file(tmp_path, "reused.db")
    try:
        reused = await engine.connect()
        await reused.begin()
        await reused.execute(text("INSERT INTO t VALUES (1)"))
        await reused.invalidate()
        await reused.rollback()
        holding = await engine.connect()
        await holding.begin()

        async def again() -> None:
            async with reused.begin():
                await reused.execute(text("INSERT INTO t VALUES (2)"))

        async def after() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (3)"))

        waiting = [asyncio.create_task(again())]
        await asyncio.sleep(0.05)
        waiting.append(asyncio.create_task(after()))
        await asyncio.sleep(0.05)
        await holding.commit()
        await holding.close()
        async with asyncio.timeout(5):
            await asyncio.gather(*waiting)
        await reused.close()
        async with engine.connect() as connection:
            kept = (await connection.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all()
        assert kept == [2, 3]  # both waiting transactions had their turn
    finally:
        await engine.dispose()


async def test_no_turn_in_time_fails_as_sqlites_own_lock_does(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_turns, "WAIT_SECONDS", 0.2)
    engine = await fresh_file(tmp_path, "locked.db")
    try:
        async with engine.begin():
            with pytest.raises(OperationalError, match="database is locked"):
                async with engine.begin() as late:
                    await late.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def test_one_file_however_its_url_is_spelt_and_none_in_memory(tmp_path, monkeypatch):
    from sqlalchemy.engine import make_url

    monkeypatch.chdir(tmp_path)
    here = sqlite_turns.on_file(make_url("sqlite+aiosqlite:///./agora.db"))
    assert here == sqlite_turns.on_file(make_url(f"sqlite+aiosqlite:///{tmp_path}/agora.db"))
    assert sqlite_turns.on_file(make_url("sqlite+aiosqlite://")) is None
    assert sqlite_turns.on_file(make_url("sqlite+aiosqlite:///:memory:")) is None
