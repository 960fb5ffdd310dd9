"""bench/search.py's pg_trgm side runs small on PostgreSQL: every variant answers every query,
the scratch database is dropped, and the summary line compares the best variant with the index."""

from __future__ import annotations

import asyncio

import asyncpg

from tests.support import databases
from tests.test_bench_search import LINE, bench


def test_a_small_run_compares_the_index_with_pg_trgm(capsys):
    server = databases.postgres_url()
    assert server, f"{databases.PG_ENV} is not set (conftest collects this test only with it)"
    module = bench()
    before = asyncio.run(scratch_databases(server))
    result = module.main(["--n", "1000", "--queries", "8", "--pg", server])
    out = capsys.readouterr().out.strip().splitlines()
    found = LINE.match(out[-1])
    assert found and found.group(3), out[-1]
    variants = [line for line in out if line.startswith("pg_trgm ") and "recall@10" in line
                and not line.startswith("pg_trgm best:")]
    assert len(variants) == len(module.search_pg.variants())
    assert any(line.startswith("pg_trgm best:") for line in out)
    assert result["pg_trgm_p95_ms"] > 0 and result["vs_pg_trgm"] > 0
    assert 0 < result["pg_trgm_recall10"] <= 1
    assert asyncio.run(scratch_databases(server)) <= before  # its own was dropped


async def scratch_databases(server: str) -> set[str]:
    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return {r["datname"] for r in await conn.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE 'agora_bench_search_%'")}
    finally:
        await conn.close()
