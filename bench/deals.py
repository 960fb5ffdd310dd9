"""Deals benchmark: whole bioenergy deals per second through the services vs raw SQL, same run.

    python bench/deals.py [--pairs 20] [--deals 10] [--turns 3] [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Each of `--pairs` buyer/seller pairs runs `--deals` deals one after another, all pairs at once:
offer, counter, accept (stock reserved), both accept the frozen terms (the escrow opens), pay
with the sandbox test card, shipped, delivered, confirmed (the escrow released minus commission
and paid out), both rated. A fifth of the pairs race in twos for the last stock of a shared
listing (both buyers accept at the same moment; one gets the deal), and one confirmation in
ten (the first, the 11th, …) is tapped twice at once. Afterwards the database is checked:
listings sold beyond their stock, or whose stock left doesn't match what was sold
(`oversold`); escrows funded, released or paid out twice, journals that don't balance,
confirmations won twice (`double_moves`); and every completed deal's escrow must be released
and paid out. The raw-SQL baseline (bench/deals_raw.py) writes the same rows in the same
transactions with the same guarded updates, on a fresh schema of the same scratch PostgreSQL
database. The two sides run in alternating turns (`--turns`, services first, then raw SQL first,
…) and the ratio is of their medians, so a load that comes and goes falls on both alike. The
pool's connections are opened before the clock starts. The last line is
`deals pg_dps=… ratio_vs_raw=… oversold=… double_moves=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from bench.deals_raw import RawDeals
from bench.deals_services import QUANTITY, ServiceDeals
from bench.escrow import drop_pg, fresh_schema, rows_by_table, same_rows, scratch_pg
from bots.server import freeze_what_lives
from config.container import Container, build
from config.settings import Settings
from core.accounts import service as accounts
from core.catalog import lifecycle, listings

RACE_SHARE = 5  # one pair in five races for the last stock
DEAL_MILLI = int(QUANTITY * 1000)


class Steps(Protocol):
    async def negotiate(self, listing_id: int, buyer: int, seller: int) -> int: ...
    async def agree(self, offer_id: int, buyer: int) -> int | None: ...
    async def finish(self, deal_id: int, buyer: int, seller: int, double_tap: bool) -> int: ...


@dataclass
class Pair:
    buyer: int
    seller: int
    listing: int  # its own stock, enough for every deal
    races: list[int] = field(default_factory=list)  # per round: the shared listing, if it races
    rival: Pair | None = None  # whose seller owns the shared listings


@dataclass
class Tally:
    deals: int = 0
    lost_races: int = 0
    double_taps: int = 0
    extra_confirms: int = 0
    statements: int = 0  # SQL statements sent while the deals ran
    confirms: itertools.count = field(default_factory=lambda: itertools.count(1))


async def setup(app: Container, pairs: int, rounds: int) -> tuple[list[Pair], dict[int, int]]:
    """Accounts, each pair's listing and the raced listings; returns the pairs and every
    listing's stock in thousandths."""
    people = await _accounts(app, pairs)
    stock: dict[int, int] = {}
    made = []
    for p in range(pairs):
        listing = await _listing(app, people[2 * p + 1], DEAL_MILLI * rounds, stock)
        made.append(Pair(people[2 * p], people[2 * p + 1], listing))
    racers = max(2, pairs // RACE_SHARE) // 2 * 2 if pairs >= 2 else 0
    for first, second in zip(made[0:racers:2], made[1:racers:2], strict=True):
        shared = [await _listing(app, first.seller, DEAL_MILLI, stock) for _ in range(rounds)]
        first.races = second.races = shared
        first.rival = second.rival = first
    return made, stock


async def _accounts(app: Container, pairs: int) -> list[int]:
    ids = []
    async with app.uow() as uow:
        for n in range(2 * pairs):
            name = f"{'buyer' if n % 2 == 0 else 'seller'}{n // 2}"
            who = accounts.ChannelIdentity("terminal", name, name)
            account = await accounts.register(uow, who, accounts.Registration(
                display_name=name, email=f"{name}@example.com", roles=["buyer", "seller"]))
            ids.append(account.id)
        await uow.commit()
    return ids


async def _listing(app: Container, seller: int, milli: int, stock: dict[int, int]) -> int:
    today = datetime.now(UTC).date()
    values = {"product_type": "pellets", "title": "ENplus A1 wood pellets", "grade": "ENplus A1",
              "unit": "t", "quantity": str(milli / 1000), "min_order": "1", "price": "200",
              "currency": "EUR", "negotiable": "yes", "delivery": ["pickup", "EXW"],
              "incoterm_place": "Riga port", "available_from": today.isoformat(),
              "valid_until": (today + timedelta(days=60)).isoformat(),
              "location": {"city": "Riga", "country": "LV", "lat": 56.9496, "lon": 24.1052}}
    async with app.uow() as uow:
        draft = await listings.create_draft(uow, seller, values)
        await lifecycle.submit(uow, draft.id, seller)
        await uow.commit()
    stock[draft.id] = milli
    return draft.id


async def pair_loop(steps: Steps, pair: Pair, rounds: int, barrier: asyncio.Barrier | None,
                    tally: Tally) -> None:
    """`rounds` deals one after another; a racing pair meets its rival before accepting."""
    for r in range(rounds):
        listing = pair.races[r] if pair.races else pair.listing
        seller = pair.rival.seller if pair.rival else pair.seller
        offer = await steps.negotiate(listing, pair.buyer, seller)
        if barrier is not None:
            await barrier.wait()
        deal = await steps.agree(offer, pair.buyer)
        if deal is None:
            tally.lost_races += 1
            continue
        double_tap = next(tally.confirms) % 10 == 1  # the first, the 11th, …
        wins = await steps.finish(deal, pair.buyer, seller, double_tap)
        tally.deals, tally.double_taps = tally.deals + 1, tally.double_taps + double_tap
        tally.extra_confirms += max(0, wins - 1)


async def run(url: str, pairs: int, rounds: int, raw: bool
              ) -> tuple[float, Tally, int, int, dict[str, int]]:
    """Deals per second, the tally, the oversold listings and double moves found after, and
    the rows each table holds then."""
    await fresh_schema(url)
    app = build(Settings(database_url=url, environment="test"))  # type: ignore[call-arg]
    try:
        made, stock = await setup(app, pairs, rounds)
        steps: Steps = RawDeals(app.db) if raw else ServiceDeals(app)
        await warm_up(app)
        freeze_what_lives()  # as a serving worker does once warm (bots.server)
        tally = Tally()
        barriers = {id(p.rival): asyncio.Barrier(2) for p in made if p.rival}
        statements = [0]
        event.listen(app.db.sync_engine, "before_cursor_execute",
                     lambda *_: statements.__setitem__(0, statements[0] + 1))
        started = time.perf_counter()
        await asyncio.gather(*(pair_loop(steps, p, rounds, barriers.get(id(p.rival)), tally)
                               for p in made))
        elapsed = time.perf_counter() - started
        tally.statements = statements[0]
        oversold, doubles = await check(app, stock, tally)
        # A standing per account rated: which buyers win the races (and so complete deals)
        # differs from run to run.
        rows = await rows_by_table(app, ignore={"seller_stats"})
    finally:
        await app.close()
    return tally.deals / elapsed, tally, oversold, doubles, rows


async def warm_up(app: Container) -> None:
    """Open the pool's connections before the clock starts, as a running server has them."""
    wanted, opened, all_open = app.db.pool.size(), [0], asyncio.Event()  # type: ignore[attr-defined]

    async def hold() -> None:
        async with app.db.connect() as conn:
            await conn.execute(text("SELECT 1"))
            opened[0] += 1
            if opened[0] == wanted:
                all_open.set()
            await all_open.wait()

    await asyncio.gather(*(hold() for _ in range(wanted)))


async def check(app: Container, stock: dict[int, int], tally: Tally) -> tuple[int, int]:
    """Listings sold beyond their stock; escrows released or paid out twice, unbalanced journals
    and confirmations won twice; and every completed deal's escrow released once."""
    async with app.db.connect() as conn:
        sold = dict((await conn.execute(text(
            "SELECT listing_id, sum(quantity_milli) FROM deals GROUP BY listing_id"))).all())
        left = dict((await conn.execute(text("SELECT id, quantity_milli FROM listings"))).all())
        doubles = await _count(conn, "SELECT escrow_id, kind FROM ledger_journals WHERE kind IN "
                               "('fund', 'release', 'payout') GROUP BY escrow_id, kind HAVING count(*) > 1")
        doubles += await _count(conn, "SELECT journal_id FROM ledger_entries GROUP BY journal_id "
                                "HAVING sum(amount) <> 0")
        released = await _count(conn, "SELECT e.id FROM escrows e JOIN deals d ON e.reference = "
                                "'deal:' || d.id WHERE d.status = 'completed' AND e.state = "
                                "'released' AND e.payout_state = 'paid'")
    oversold = sum(1 for i, n in stock.items()
                   if sold.get(i, 0) > n or left[i] != n - sold.get(i, 0))
    if released != tally.deals:
        raise SystemExit(f"{tally.deals} deals completed but {released} escrows released and paid")
    return oversold, doubles + tally.extra_confirms


async def _count(conn: Any, query: str) -> int:
    return int((await conn.execute(text(f"SELECT count(*) FROM ({query}) AS t"))).scalar_one())


async def measure(url: str, pairs: int, rounds: int, turns: int) -> tuple[float, float, int, int]:
    """Services and raw SQL in alternating turns on the same database (services first, then raw
    first, …), so a load that comes and goes on a shared machine falls on both alike; returns
    (services dps, ratio of the medians, oversold, doubles)."""
    found: dict[bool, list[float]] = {False: [], True: []}
    written: dict[bool, dict[str, int]] = {}
    oversold = doubles = 0
    for turn in range(turns):
        for raw in ((False, True) if turn % 2 == 0 else (True, False)):
            dps, tally, over, dbl, written[raw] = await run(url, pairs, rounds, raw)
            label = "raw SQL " if raw else "services"
            print(f"{label} {dps:7.1f} deals/s  ({tally.deals} deals, {tally.lost_races} races "
                  f"lost, {tally.double_taps} double taps, "
                  f"{tally.statements / max(tally.deals, 1):.0f} statements a deal, oversold "
                  f"{over}, double moves {dbl})", flush=True)
            found[raw].append(dps)
            oversold, doubles = oversold + over, doubles + dbl
        same_rows(written[False], written[True])
    services, raw_sql = statistics.median(found[False]), statistics.median(found[True])
    print(f"medians of {turns} turns: services {services:.1f} deals/s, raw SQL {raw_sql:.1f}; "
          f"turn by turn: ratio " + " ".join(
              f"{r / s:.2f}" for s, r in zip(found[False], found[True], strict=True)))
    return services, raw_sql / services, oversold, doubles


async def main(argv: list[str] | None = None) -> tuple[float, float, int, int]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--deals", type=int, default=10, help="deals per pair")
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--turns", type=int, default=3, help="alternating services/raw turns")
    parser.add_argument("--timeout", type=float, default=300, help="give up after (seconds)")
    args = parser.parse_args(argv)
    print(f"{args.pairs} buyer/seller pairs x {args.deals} deals per run, on PostgreSQL")
    url = await scratch_pg(args.pg)
    if url is None:
        raise SystemExit("the deals benchmark needs PostgreSQL")
    try:
        async with asyncio.timeout(args.timeout):
            dps, ratio, oversold, doubles = await measure(url, args.pairs, args.deals,
                                                           args.turns)
    finally:
        await drop_pg(args.pg, url)
    print(f"deals pg_dps={dps:.1f} ratio_vs_raw={ratio:.2f} oversold={oversold} "
          f"double_moves={doubles}")
    return dps, ratio, oversold, doubles


if __name__ == "__main__":
    asyncio.run(main())
