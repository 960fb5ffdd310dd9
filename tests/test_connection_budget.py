"""`agora serve` keeps every worker's PostgreSQL connections within the server's together
(bots.connection_budget): two default workers wanted 108 of a default server's 97, and under
load steps failed with "sorry, too many clients already"."""

from __future__ import annotations

import asyncpg
import pytest

from bots.connection_budget import LEFT_FREE, Budget, budget, fitting_pool, notice, peak


def test_a_pool_that_fits_is_kept_as_asked():
    assert fitting_pool(allowed=97, workers=1, wanted=40) == 40
    assert peak(40) == 40 + 10 + 5


@pytest.mark.parametrize("workers", [2, 3, 4, 8])
def test_several_workers_share_the_server_and_each_pool_is_as_large_as_fits(workers):
    pool = fitting_pool(allowed=97, workers=workers, wanted=40)
    assert workers * peak(pool) <= 97 - LEFT_FREE  # all of them fit, with room to spare
    assert workers * peak(pool + 1) > 97 - LEFT_FREE  # and one more each would not


def test_a_server_too_small_for_the_workers_still_gets_one_connection_a_pool():
    assert fitting_pool(allowed=20, workers=8, wanted=40) == 1


def test_the_start_up_box_says_when_the_pool_was_made_smaller():
    assert notice(Budget(97, 40, 40), 1) == []
    line, = notice(Budget(97, 33, 40), 2)
    assert "97 connections" in line and "at most 33" in line
    assert "AGORA_DATABASE_POOL_SIZE=40 would not fit" in line


async def test_the_budget_is_read_from_the_server(pg_server):
    """Against the test PostgreSQL: its max_connections less the superusers' reserve."""
    assert pg_server
    conn = await asyncpg.connect(pg_server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        most = int(await conn.fetchval("SHOW max_connections"))
        reserved = int(await conn.fetchval("SHOW superuser_reserved_connections"))
    finally:
        await conn.close()
    fitted = await budget(pg_server, workers=2, wanted=40)
    assert fitted.allowed == most - reserved
    assert 2 * peak(fitted.pool_size) <= fitted.allowed - LEFT_FREE
