"""bench/booking.py runs small on PostgreSQL: free slots come out fast per consultant, and
seekers racing for slots never book one twice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.support import databases

BENCH = Path(__file__).resolve().parents[1] / "bench" / "booking.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_booking", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_small_race_books_no_slot_twice_and_slots_come_out_fast():
    server = databases.postgres_url()
    assert server, f"{databases.PG_ENV} is not set (conftest collects this test only with it)"
    p95, doubles, per_s = await _bench().main(
        ["--consultants", "50", "--seekers", "40", "--slots", "20", "--pg", server])
    assert doubles == 0
    assert 0 < p95 < 50 and per_s > 0
