"""Booking benchmark: free slots for a directory's consultants, and seekers racing for slots.

    python bench/booking.py [--consultants 1000] [--days 14] [--seekers 200] [--slots 50]
                            [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

1. Free slots, in memory (core.consulting.bookings.availability, what the directory and profile pages
   call): `--consultants` consultants with varied weekly hours in eight IANA zones, notice,
   buffer, a daily maximum, a few days off and up to 20 bookings each; for each one, every free
   60-minute start over the next `--days` days, shown in a New York seeker's zone.
   `slots_ms_p95` is the 95th percentile of that computation PER CONSULTANT (one profile
   page's slot list); the line before it also gives the whole directory (all consultants'
   next free slot, the “free within N days” filter) in one pass.
2. The race, on PostgreSQL through the services: 10 live consultants with 5 free slots each
   (`--slots` in all, 90 minutes apart), `--seekers` seekers each asking at the same moment for one of them
   (four to a slot) with `bookings.request_slot`, all at once on the application's pool. Then
   the database is checked: two held bookings of one consultant overlapping (buffers included)
   count as `double_booked`. `bookings_per_s` is booking requests decided per second (each a
   whole transaction: the consultant's row locked, busy times read, checked, the booking
   written or refused).

The last line is `booking slots_ms_p95=… double_booked=… bookings_per_s=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.escrow import drop_pg, fresh_schema, scratch_pg
from config.container import Container, build
from config.settings import Settings
from core.accounts import service as accounts
from core.catalog.media import FileStore
from core.clock import FakeClock
from core.companies.billing import give
from core.consulting.bookings import service as bookings
from core.consulting.bookings.availability import Schedule, free_slots, next_free_slot
from core.consulting.profiles import service as profiles
from core.consulting.tables import Booking
from core.errors import Conflict
from core.process.bookings import HOLDS_SLOT

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 09:00 in Riga
ZONES = ("Europe/Riga", "Europe/Berlin", "Europe/London", "America/New_York", "America/Chicago",
         "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney")
SEEKER_ZONE = "America/New_York"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def consultants(n: int, days: int, rng: random.Random) -> list[tuple[Schedule, list]]:
    """Varied rules and bookings, as a directory of `n` consultants would have."""
    made = []
    for i in range(n):
        start = rng.choice((7, 8, 9, 10))
        hours = {d: [[f"{start:02d}:00", "12:00"], ["13:00", f"{rng.choice((16, 17, 18))}:00"]]
                 for d in ("mon", "tue", "wed", "thu", "fri")}
        if i % 3 == 0:
            hours["sat"] = [["10:00", "14:00"]]
        off = [(NOW + timedelta(days=rng.randrange(days))).date()]
        rules = Schedule.of(hours, ZONES[i % len(ZONES)], rng.choice((0, 60, 240)),
                            rng.choice((0, 10, 15)), rng.choice((4, 6, 8)), off)
        busy = []
        for _ in range(rng.randrange(21)):
            at = NOW + timedelta(hours=rng.randrange(days * 24))
            busy.append((at, at + timedelta(minutes=60)))
        made.append((rules, busy))
    return made


def measure_slots(n: int, days: int) -> float:
    """p95 (ms) of one consultant's free starts over `days`, shown in the seeker's zone."""
    directory = consultants(n, days, random.Random(7))
    end = NOW + timedelta(days=days)
    timings, found = [], 0
    for rules, busy in directory:
        started = time.perf_counter()
        found += len(free_slots(rules, busy, NOW, end, 60, NOW, SEEKER_ZONE))
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for rules, busy in directory:
        next_free_slot(rules, busy, NOW, 60, days, SEEKER_ZONE)
    sweep = (time.perf_counter() - started) * 1000
    p95 = statistics.quantiles(timings, n=100)[94]
    print(f"slots: {n} consultants x {days} days, {found} free starts; per consultant "
          f"median {statistics.median(timings):.3f} ms, p95 {p95:.3f} ms, max "
          f"{max(timings):.3f} ms; every consultant's next free slot in {sweep:.1f} ms")
    return p95


async def people(app: Container, consultants_n: int, seekers_n: int, files: str
                 ) -> tuple[list[int], list[int]]:
    """Live consultants with Monday 09:00 to 17:00 free in Riga, and the seekers."""
    ids: list[int] = []
    async with app.uow() as uow:
        for n in range(consultants_n + seekers_n):
            name = f"c{n}" if n < consultants_n else f"s{n}"
            who = accounts.ChannelIdentity("terminal", name, name)
            account = await accounts.register(uow, who, accounts.Registration(
                display_name=name, email=f"{name}@example.com", roles=["buyer"],
                timezone="Europe/Riga"))
            ids.append(account.id)
        for consultant_id in ids[:consultants_n]:
            await profiles.save(uow, consultant_id, bio="Biomass sourcing and pellet quality, "
                                "twenty years in the Baltic trade.", categories=["logistics"],
                                languages=["en"], rate_kind="session", session_minutes=60,
                                price="90", weekly_hours={"mon": [["09:00", "17:00"]]},
                                notice_minutes=60, buffer_minutes=10, daily_max=8)
            await profiles.set_photo(uow, consultant_id, FileStore(files), "p.png", "image/png",
                                     PNG)
            assert app.payments is not None
            await give(uow, consultant_id, legal_name=f"Consultant {consultant_id}",
                       street="Brīvības iela 1", postcode="LV-1010", town="Rīga", country="LV")
            assert await profiles.go_live(uow, consultant_id, app.payments) == []
        await uow.commit()
    return ids[:consultants_n], ids[consultants_n:]


async def race(url: str, seekers_n: int, slots_n: int) -> tuple[int, float, int]:
    """(double bookings found, requests decided per second, slots won)."""
    await fresh_schema(url)
    with tempfile.TemporaryDirectory() as files:
        app = build(Settings(database_url=url, environment="test", data_dir=files),  # type: ignore[call-arg]
                    clock=FakeClock(NOW))
        try:
            per = slots_n // 10
            hosts, seekers = await people(app, 10, seekers_n, files)
            starts = [MONDAY + timedelta(minutes=90 * h) for h in range(per)]  # 09:00, 10:30…
            wanted = [(hosts[i % 10], starts[(i // 10) % per]) for i in range(seekers_n)]

            async def ask(seeker_id: int, host: int, at: datetime) -> bool:
                try:
                    async with app.uow() as uow:
                        await bookings.request_slot(uow, seeker_id, host, at)
                        await uow.commit()
                        return True
                except Conflict:
                    return False

            started = time.perf_counter()
            won = await asyncio.gather(*(ask(s, h, at) for s, (h, at)
                                         in zip(seekers, wanted, strict=True)))
            elapsed = time.perf_counter() - started
            doubles = await double_booked(app)
        finally:
            await app.close()
    print(f"race: {seekers_n} seekers for {slots_n} slots of 10 consultants at once: "
          f"{sum(won)} booked, {seekers_n - sum(won)} refused in {elapsed * 1000:.0f} ms")
    return doubles, seekers_n / elapsed, sum(won)


async def double_booked(app: Container) -> int:
    """Pairs of held bookings of one consultant whose times (with buffers) overlap."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(
            Booking.consultant_id, Booking.starts_at, Booking.minutes).where(
            Booking.status.in_(HOLDS_SLOT)).order_by(Booking.consultant_id,
                                                      Booking.starts_at))).all()
    found = 0
    for (c1, s1, m1), (c2, s2, _) in itertools.pairwise(rows):
        if c1 == c2 and s2 < s1 + timedelta(minutes=m1 + 10):
            found += 1
    return found


async def main(argv: list[str] | None = None) -> tuple[float, int, float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consultants", type=int, default=1000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seekers", type=int, default=200)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--timeout", type=float, default=60, help="give up after (seconds)")
    args = parser.parse_args(argv)
    if args.slots % 10 or not 10 <= args.slots <= 50:
        raise SystemExit("--slots is a multiple of 10, at most 50 (10 consultants, 5 hours)")
    p95 = measure_slots(args.consultants, args.days)
    url = await scratch_pg(args.pg)
    if url is None:
        raise SystemExit("the booking race needs PostgreSQL")
    try:
        async with asyncio.timeout(args.timeout):
            doubles, per_s, _ = await race(url, args.seekers, args.slots)
    finally:
        await drop_pg(args.pg, url)
    print(f"booking slots_ms_p95={p95:.3f} double_booked={doubles} bookings_per_s={per_s:.1f}")
    return p95, doubles, per_s


if __name__ == "__main__":
    asyncio.run(main())

