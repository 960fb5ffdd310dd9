"""bench/escrow.py runs a few fund-and-release cycles through the payments service and as raw
SQL, on SQLite and PostgreSQL: both sides write the same rows (the run
stops otherwise), and no escrow is released twice."""

from __future__ import annotations

from tests.support import databases
from tests.support.bench import load


async def test_a_few_cycles_write_the_baselines_rows_and_release_once():
    server = databases.postgres_url()
    assert server, f"{databases.PG_ENV} is not set (conftest collects this test only with it)"
    cps, ratio, doubles = await load("escrow").main(
        ["--workers", "3", "--cycles", "2", "--rounds", "1", "--pg", server])
    assert doubles == 0  # each worker tries its first release twice at once
    assert cps > 0 and ratio > 0
