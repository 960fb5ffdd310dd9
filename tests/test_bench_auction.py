"""bench/auction.py runs small on PostgreSQL: a dozen sellers on Telegram and Slack bid through
two real `agora serve` workers; no bid is lost or applied twice, exactly one wins, every
extension is applied, every bidder's live page shows each accepted bid (its rank consistent),
the auction closes and ends every page's stream, and the line has its shape. The seller's side
(`--side seller`: buyers bid up a seller's lot) runs smaller, with the same guarantees.

The shortest extension is a minute, so the close would come a minute after the last accepted
bid: `--close-after 3` keeps the deadline the extensions reached for their replay and brings the
close in to three seconds after the bids, so the test does not wait out the minute."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from tests.support import databases

BENCH = Path(__file__).resolve().parents[1] / "bench" / "auction.py"
NUMBER = r"(nan|-?[\d.]+)"
LINE = re.compile(rf"^auction bids=(\d+) accepted=(\d+) lost=(\d+) double_winners=(\d+) "
                  rf"extensions=(\d+) bid_p95_ms={NUMBER} close_ms={NUMBER}$")

# PostgreSQL only: tests/conftest.py collects it with one database.
pytestmark = [pytest.mark.minutes, pytest.mark.postgres_servers]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_auction", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # its dataclasses look it up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_small_auction_loses_no_bid_and_closes_once_with_one_winner(capsys):
    server = databases.postgres_url()
    assert server
    result = await _bench().main(["--bidders", "12", "--bids", "40", "--window", "8",
                                  "--extend", "1", "--slack-share", "0.25", "--workers", "2",
                                  "--inflight", "8", "--close-after", "3", "--pg", server])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    match = LINE.match(line)
    assert match, line
    bids, accepted, lost, double_winners, extensions = (int(v) for v in match.groups()[:5])
    assert bids == 40 and 0 < accepted < bids  # a fifth are priced to be refused
    assert lost == 0 and double_winners == 0
    assert result["winners"] == result["deals"] == 1
    assert result["extensions_match"] and extensions == result["extensions"] > 0
    assert result["closed"] and result["close_ms"] >= 0
    assert result["notices_missing"] == 0 and result["slack_refused"] == 0
    assert result["followers"] == result["streams_closed"] == 12
    assert result["rank_missing"] == 0
    assert result["sse_events"] > result["followers"] and result["rank_p95_ms"] > 0


async def test_a_small_sellers_lot_loses_no_bid_and_closes_once_with_the_highest(capsys):
    server = databases.postgres_url()
    assert server
    result = await _bench().main(["--side", "seller", "--bidders", "6", "--bids", "16",
                                  "--window", "6", "--extend", "1", "--slack-share", "0.34",
                                  "--workers", "1", "--inflight", "4", "--close-after", "3",
                                  "--pg", server])
    out = capsys.readouterr().out
    line = out.strip().splitlines()[-1]
    match = LINE.match(line)
    assert match, line
    bids, accepted, lost, double_winners, extensions = (int(v) for v in match.groups()[:5])
    assert bids == 16 and 0 < accepted < bids  # a fifth are priced to be refused
    assert lost == 0 and double_winners == 0
    assert result["winners"] == result["deals"] == 1 and "(the best bid)" in out
    assert result["extensions_match"] and extensions == result["extensions"] > 0
    assert result["notices_missing"] == 0 and result["rank_missing"] == 0
    assert result["rank_wrong"] == 0 and result["followers"] == result["streams_closed"] == 6
