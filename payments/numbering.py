"""Sequential invoice numbers, gapless per series, given in a short step right after commit.

A series is a kind's prefix and the year: receipts and statements "2026-000001", credit notes
"CN-2026-000001", commission invoices "CI-2026-000001" — an accountant reads each series as one
unbroken run.

Payments insert their invoices unnumbered. Numbering inside the payment's transaction would keep
one counter row locked through every payment's commit, one payment at a time; instead a short
transaction locks the year's counter row, numbers every unnumbered invoice in id order and
commits. Within one process, payments that commit while a numbering pass runs share the next
pass (`Coalesced`), so a process runs at most one pass at a time, one per batch of payments, and
processes wait for each other's short passes only. The periodic job numbers what a crash left.
A pass tells each document it numbers as issued (`DocumentIssued`, payments.issued.announce)
in its own transaction, so what hears it — a company's webhooks — has the number.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select, update

from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import per_dialect
from payments.issued import announce
from payments.tables import Escrow, Invoice, InvoiceCounter

log = logging.getLogger(__name__)
_INVOICES, _COUNTERS, _ESCROWS = table_of(Invoice), table_of(InvoiceCounter), table_of(Escrow)
# The pass's statements, built once, run on the transaction's connection (Core, not the ORM).
# The counters of several series in one statement, locked in series order (this year's plain
# series, "2026", sorts first), so that concurrent passes wait on the same first row.
# (A statement per number of series, with a parameter each: an expanding IN is rendered again
# at every execution.)
@functools.cache
def _take(series: int) -> Select[tuple[str, int]]:
    return (select(_COUNTERS.c.series, _COUNTERS.c.next_number)
            .where(_COUNTERS.c.series.in_([bindparam(f"s{n}") for n in range(series)]))
            .order_by(_COUNTERS.c.series).with_for_update())
_NUMBER = (update(_INVOICES).where(_INVOICES.c.id == bindparam("n_id"))
           .values(number=bindparam("n_number")))
_MOVE = (update(_COUNTERS).where(_COUNTERS.c.series == bindparam("c_series"))
         .values(next_number=bindparam("c_next")))
# With what a document's announcement tells of it (payments.invoices.announce), read at once.
_UNNUMBERED = (select(_INVOICES.c.id, _INVOICES.c.created_at, _INVOICES.c.kind,
                      _INVOICES.c.total, _INVOICES.c.currency, _INVOICES.c.payer_id,
                      _INVOICES.c.payee_id, _INVOICES.c.token, _ESCROWS.c.reference)
               .join(_ESCROWS, _ESCROWS.c.id == _INVOICES.c.escrow_id)
               .where(_INVOICES.c.number.is_(None)).order_by(_INVOICES.c.id))
# Kinds numbered in a series of their own; every other kind shares the year's plain series.
PREFIXES = {"credit_note": "CN-", "commission": "CI-"}


def series_of(kind: str, year: int) -> str:
    """The series a document of `kind` issued in `year` is numbered in."""
    return f"{PREFIXES.get(kind, '')}{year}"
_NEW_COUNTER = per_dialect(lambda insert: insert(_COUNTERS)
                           .values(series=bindparam("series"), next_number=1).on_conflict_do_nothing())


class Coalesced:
    """Run `job` for callers so that each waits for one run that started after its call; callers
    arriving during a run share the next run."""

    def __init__(self, job: Callable[[], Awaitable[object]]) -> None:
        self._job = job
        self._waiting: list[asyncio.Future[None]] = []
        self._task: asyncio.Task[None] | None = None

    async def request(self) -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._waiting.append(done)
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._runs())
        await done

    async def _runs(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._job()
            except Exception:
                log.exception("invoice numbering failed; the numbering job will retry")
            for done in batch:
                if not done.done():
                    done.set_result(None)


async def after_commit(uow: UnitOfWork) -> None:
    """Number what the committed payment issued (a failure only delays the number)."""
    sessions = uow.sessions  # one numberer per database per process, kept with its sessions
    passes = getattr(sessions, "agora_numbering", None)
    if passes is None:
        passes = Coalesced(lambda: number_invoices(uow.sibling()))
        sessions.agora_numbering = passes  # type: ignore[attr-defined]
    await passes.request()


async def number_invoices(uow: UnitOfWork) -> int:
    """Number every unnumbered invoice in id order; returns how many."""
    async with uow:
        year = uow.clock.now().year
        # This year's series, taken together: every pass locks the plain one first, so passes
        # run one at a time.
        taken = await _take_counters(uow, [series_of(kind, year) for kind in ("", *PREFIXES)])
        found = await _unnumbered(uow)
        others = sorted({series for _, series in _series(found)} - set(taken))
        if others:  # around New Year, older invoices still waiting
            taken |= await _take_counters(uow, others)
            found = await _unnumbered(uow)  # read again now that those counters are ours too
        # One issued meanwhile: the next pass numbers it.
        numbers, moved = assign(_series(found), taken)
        if not numbers:
            return 0  # nothing to do: roll back, no commit to wait for
        conn = await uow.core()
        await conn.execute(_NUMBER, [{"n_id": invoice_id, "n_number": number}
                                     for invoice_id, number in numbers])
        await conn.execute(_MOVE, [{"c_series": series, "c_next": following}
                                   for series, following in moved.items()])
        # Told as issued now that they carry their numbers, committed with them.
        details = {row.id: row for row in found}
        announce(uow, [(details[invoice_id], number) for invoice_id, number in numbers])
        await uow.commit()
        return len(numbers)


def assign(rows: list[tuple[int, str]], taken: dict[str, int]
           ) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """The numbers of unnumbered invoices (id, series), given in the order they come, each
    series counting on from its next number ("2026-000007", "CN-2026-000001"); and each used
    series' next number after them, in series order. Series not in `taken` are not this
    pass's: their invoices wait for the next one."""
    numbers, following = [], dict(taken)
    for invoice_id, series in rows:
        if series not in taken:
            continue
        numbers.append((invoice_id, f"{series}-{following[series]:06d}"))
        following[series] += 1
    return numbers, {series: following[series] for series in sorted(following)
                     if following[series] != taken[series]}


async def _unnumbered(uow: UnitOfWork) -> Sequence[Any]:  # rows, their columns by name
    # Read after the counter is taken: what the previous holder numbered is seen as numbered.
    return (await (await uow.core()).execute(_UNNUMBERED)).all()


def _series(rows: Sequence[Any]) -> list[tuple[int, str]]:
    """Each unnumbered invoice's id with the series it is numbered in."""
    return [(row.id, series_of(row.kind, row.created_at.year)) for row in rows]


async def _take_counters(uow: UnitOfWork, series: list[str]) -> dict[str, int]:
    """Each series' next number, its row locked until commit (SQLite: BEGIN took the write
    lock); a series not counted yet starts at 1."""
    conn = await uow.core()
    for _ in range(2):
        taken = {row.series: int(row.next_number) for row in await conn.execute(
            _take(len(series)), {f"s{n}": name for n, name in enumerate(series)})}
        missing = [name for name in series if name not in taken]
        if not missing:
            return taken
        await conn.execute(_NEW_COUNTER[conn.dialect.name], [{"series": name} for name in missing])
    raise RuntimeError("invoice counter could not be created")
