"""bench/escrow.py runs a few fund-and-release cycles through the payments service and as raw
SQL, on SQLite and PostgreSQL in alternating rounds: both sides write the same rows (the run
stops otherwise), and no escrow is released twice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.support import databases

BENCH = Path(__file__).resolve().parents[1] / "bench" / "escrow.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_escrow", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_few_cycles_write_the_baselines_rows_and_release_once():
    server = databases.postgres_url()
    assert server, f"{databases.PG_ENV} is not set (conftest collects this test only with it)"
    cps, ratio, doubles = await _bench().main(
        ["--workers", "3", "--cycles", "11", "--rounds", "2", "--pg", server])
    assert doubles == 0  # each worker tries its 1st and 11th release twice at once
    assert cps > 0 and ratio > 0
