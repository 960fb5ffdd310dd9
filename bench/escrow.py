"""Escrow benchmark: fund-and-release cycles/s through the payments service vs raw SQL, same run.

    python bench/escrow.py [--workers 20] [--cycles 15] [--rounds 3] [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

One cycle opens an escrow, funds it with the sandbox test card and releases it (the payout to
the seller included); every tenth release is attempted twice at once, and afterwards the database
is checked for escrows released or paid out twice. The raw-SQL baseline does the same inserts and
updates (escrow, state changes, journals, entries, operation, invoices, outbox rows) with
hand-written statements in the same transactions. SQLite runs in a scratch file, PostgreSQL in a
scratch database created and dropped on the given server (skipped when it is unreachable). The
service and the baseline run in alternating rounds; each side's figure is its median.
The last line is `escrow sqlite_cps=… pg_cps=… pg_ratio_vs_raw=… double_releases=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy import func, inspect, select, text

from bench.escrow_raw import raw_cycle
from bots.server import freeze_what_lives
from config.container import build
from config.schema import metadata
from config.settings import Settings
from core.accounts import service as accounts
from core.errors import Conflict
from core.money.model import Money
from core.payments_port import Actor
from core.storage.database import create_engine
from payments.tables import LedgerJournal

ACTOR = Actor("bench", "benchmark")


async def fresh_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    await engine.dispose()


async def two_people(app: object) -> tuple[int, int]:
    ids = []
    async with app.uow() as uow:  # type: ignore[attr-defined]
        for name in ("buyer", "seller"):
            who = accounts.ChannelIdentity("terminal", name, name)
            account = await accounts.register(uow, who, accounts.Registration(
                display_name=name, email=f"{name}@example.com", roles=[name]))
            ids.append(account.id)
        await uow.commit()
    return ids[0], ids[1]


async def service_cycle(app: object, payer: int, payee: int, n: str, race: bool) -> int:
    pay = app.payments  # type: ignore[attr-defined]
    view = await pay.open("goods", "bioenergy", f"deal:{n}", payer, payee, Money(10_000, "EUR"),
                          ACTOR)
    await pay.pay_with_test_card(view.id, "4242424242424242")
    attempts = 2 if race else 1

    async def release() -> int:
        try:
            await pay.release(view.id, ACTOR)
            return 1
        except Conflict:
            return 0

    return sum(await asyncio.gather(*(release() for _ in range(attempts))))


async def run(url: str, workers: int, cycles: int, raw: bool
              ) -> tuple[float, int, dict[str, int]]:
    """Cycles per second, successful releases beyond one per escrow, and the rows each table
    holds after."""
    await fresh_schema(url)
    settings = Settings(database_url=url, environment="test")  # type: ignore[call-arg]
    app = build(settings)
    payer, payee = await two_people(app)
    freeze_what_lives()  # as a serving worker does once warm (bots.server)
    extra = 0

    async def worker(w: int) -> None:
        nonlocal extra
        for c in range(cycles):
            n = f"{w}-{c}"
            if raw:
                wins = await raw_cycle(app.db, payer, payee, n, race=c % 10 == 0)
            else:
                wins = await service_cycle(app, payer, payee, n, race=c % 10 == 0)
            extra += max(0, wins - 1)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(workers)))
    elapsed = time.perf_counter() - started
    doubles = extra + await doubled_journals(app)
    rows = await rows_by_table(app)
    await app.close()
    return workers * cycles / elapsed, doubles, rows


# Not compared: a counter per invoice series and year (the services number three series, the
# baselines one: a row each, once a year, not per cycle or deal).
NOT_COMPARED = {"invoice_counters"}


async def rows_by_table(app: Any, ignore: Iterable[str] = ()) -> dict[str, int]:
    """How many rows each table holds: both sides must write the same rows."""
    async with app.db.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        return {table: int((await conn.execute(text(f'SELECT count(*) FROM "{table}"'))
                           ).scalar_one()) for table in sorted(tables)
                if table not in NOT_COMPARED | set(ignore)}


def same_rows(services: dict[str, int], raw: dict[str, int]) -> None:
    """Stop the benchmark when the two sides did not write the same rows: the ratio would
    compare different work."""
    differ = {t: (services.get(t, 0), raw.get(t, 0)) for t in services.keys() | raw.keys()
              if services.get(t, 0) != raw.get(t, 0)}
    if differ:
        raise SystemExit(f"the services and raw SQL wrote different rows (services, raw): {differ}")


async def doubled_journals(app: object) -> int:
    """Escrows with more than one release or payout journal (must be none)."""
    async with app.uow() as uow:  # type: ignore[attr-defined]
        per = (select(LedgerJournal.escrow_id, LedgerJournal.kind, func.count().label("n"))
               .where(LedgerJournal.kind.in_(("release", "payout")))
               .group_by(LedgerJournal.escrow_id, LedgerJournal.kind).subquery())
        return int((await uow.session.execute(
            select(func.count()).select_from(per).where(per.c.n > 1))).scalar_one())


async def scratch_pg(server: str) -> str | None:
    dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    name = f"agora_bench_{uuid.uuid4().hex[:8]}"
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL unreachable ({exc}); skipping it")
        return None
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return f"{server.rsplit('/', 1)[0]}/{name}"


async def drop_pg(server: str, url: str) -> None:
    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


async def backend(label: str, url: str, args: argparse.Namespace) -> tuple[float, float, int]:
    """Ledger and raw SQL in alternating rounds (ledger first, then raw first, …), so a load
    that comes and goes on a shared machine falls on both alike; the ratio is of the medians."""
    ledger, raw, doubles = [], [], 0
    written: dict[bool, dict[str, int]] = {}
    for r in range(args.rounds):
        for is_raw in ((False, True) if r % 2 == 0 else (True, False)):
            cps, doubled, written[is_raw] = await run(url, args.workers, args.cycles, raw=is_raw)
            (raw if is_raw else ledger).append(cps)
            doubles += doubled if not is_raw else 0
        same_rows(written[False], written[True])
    ledger_cps, raw_cps = statistics.median(ledger), statistics.median(raw)
    ratio = raw_cps / ledger_cps
    print(f"{label:10s} ledger {ledger_cps:8.1f} cycles/s   raw SQL {raw_cps:8.1f} cycles/s   "
          f"raw/ledger {ratio:5.2f}x   (medians of {args.rounds} rounds; ledger "
          f"{', '.join(f'{c:.1f}' for c in ledger)}; raw {', '.join(f'{c:.1f}' for c in raw)})   "
          f"double releases {doubles}")
    return ledger_cps, ratio, doubles


async def main(argv: list[str] | None = None) -> tuple[float, float, int]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="alternating ledger/raw rounds")
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    print(f"{args.workers} workers x {args.cycles} fund-and-release cycles per run")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_cps, _, doubles = await backend("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db", args)
    pg_cps, pg_ratio = 0.0, 0.0
    url = await scratch_pg(args.pg)
    if url:
        try:
            pg_cps, pg_ratio, pg_doubles = await backend("PostgreSQL", url, args)
            doubles += pg_doubles
        finally:
            await drop_pg(args.pg, url)
    print(f"escrow sqlite_cps={sqlite_cps:.1f} pg_cps={pg_cps:.1f} pg_ratio_vs_raw={pg_ratio:.2f} "
          f"double_releases={doubles}")
    return pg_cps, pg_ratio, doubles


if __name__ == "__main__":
    asyncio.run(main())
