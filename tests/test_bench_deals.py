"""bench/deals.py runs a few whole deals on PostgreSQL through the services and as raw SQL, in
alternating turns: the raced last stock is never oversold, and no escrow or ledger movement
happens twice."""

from __future__ import annotations

from tests.support import databases
from tests.support.bench import load


async def test_a_few_deals_oversell_nothing_and_move_money_once():
    server = databases.postgres_url()
    assert server, f"{databases.PG_ENV} is not set (conftest collects this test only with it)"
    dps, ratio, oversold, double_moves = await load("deals").main(
        ["--pairs", "4", "--deals", "2", "--turns", "2", "--pg", server])
    assert oversold == 0 and double_moves == 0
    assert dps > 0 and ratio > 0
