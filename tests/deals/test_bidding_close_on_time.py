"""The bidding close, as the scheduler leader runs it, closes on time on a busy worker.

The worker's event loop is kept busy by fifty tasks reading the database without pause (as
webhooks do) while an auction's deadline passes: the close is settled within a second of it,
and no run of the close job is skipped or missed (APScheduler's warnings). The second is the
worker's own: the longest the machine left the whole process standing (the rest of the suite
runs beside it on two cores), seen by a thread that wakes every 10 ms, is added to it. With nothing due,
the job looks twice a second, not four times.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bots.scheduler import CLOSE_JOB, build_scheduler
from core.clock import SystemClock
from core.deals.requests import auction_close
from core.deals.tables import SupplyRequest
from tests.deals.test_auctions import auction, bid, request_row
from tests.deals.test_supply_requests import market

BUSY_TASKS = 50


@pytest.fixture
def clock() -> SystemClock:
    return SystemClock()  # the scheduler keeps the wall clock: so does the application here


async def keep_busy(app, until: float) -> int:
    """Database reads and a little work between them, without pause, until `until`."""
    loop, reads = asyncio.get_running_loop(), 0
    while loop.time() < until:
        async with app.uow() as uow:
            rows = (await uow.session.execute(select(SupplyRequest.id, SupplyRequest.deadline)
                                              )).all()
        json.dumps([[str(v) for v in row] for row in rows] * 20)
        reads += 1
    return reads


class Stalls:
    """The longest a thread that sleeps 10 ms at a time woke late: how long the machine left
    this process standing (the event loop's own business does not hold a thread's wake-up
    more than Python's switch interval)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            before = time.monotonic()
            time.sleep(0.01)
            self.longest = max(self.longest, time.monotonic() - before - 0.01)

    def __enter__(self) -> Stalls:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def only_the_close(app):
    scheduler = build_scheduler(app, worker_jobs=False)
    for job in scheduler.get_jobs():
        if job.id != CLOSE_JOB:
            job.remove()
    return scheduler


async def test_an_auction_closes_within_a_second_of_its_deadline_on_a_busy_worker(app, caplog):
    hanna, (aivar, birute, *_) = await market(app)
    request_id = await auction(app, hanna)
    await bid(app, aivar, request_id, "21.50")
    await bid(app, birute, request_id, "21.00")
    deadline = datetime.now(UTC) + timedelta(seconds=1.5)
    async with app.uow() as uow:
        await uow.session.execute(update(SupplyRequest).where(SupplyRequest.id == request_id)
                                  .values(deadline=deadline))
        await uow.commit()
    scheduler = only_the_close(app)
    loop = asyncio.get_running_loop()
    with caplog.at_level(logging.WARNING, logger="apscheduler"), Stalls() as stalls:
        scheduler.start()
        try:
            reads = await asyncio.gather(*(keep_busy(app, loop.time() + 3)
                                           for _ in range(BUSY_TASKS)))
        finally:
            scheduler.shutdown(wait=False)
    assert sum(reads) > BUSY_TASKS * 3  # the loop was busy the whole time
    row = await request_row(app, request_id)
    assert row.status == "awarded" and row.closed_at is not None
    closed_at = row.closed_at if row.closed_at.tzinfo else row.closed_at.replace(tzinfo=UTC)
    late = closed_at - deadline
    assert timedelta(0) <= late < timedelta(seconds=1 + stalls.longest), (late, stalls.longest)
    assert not [r for r in caplog.records if "skipped" in r.getMessage()
                or "missed" in r.getMessage()], caplog.text


async def test_with_nothing_due_the_close_looks_twice_a_second(app, monkeypatch):
    looks = []

    async def counted(uow_factory):
        looks.append(asyncio.get_running_loop().time())
        return None

    monkeypatch.setattr(auction_close, "next_deadline", counted)
    scheduler = only_the_close(app)
    scheduler.start()
    try:
        await asyncio.sleep(2.2)
    finally:
        scheduler.shutdown(wait=False)
    assert 4 <= len(looks) <= 6, looks
    async with app.uow() as uow:  # and nothing closed that was not due
        assert await uow.session.scalar(select(func.count()).select_from(SupplyRequest)
                                        .where(SupplyRequest.closed_at.is_not(None))) == 0
