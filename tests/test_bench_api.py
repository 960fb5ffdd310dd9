"""bench/api.py runs small: the API and the bare endpoint answer every request with the same
listings, and the line has its shape with figures that mean something."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "api.py"
LINE = re.compile(r"^api rps=(\d+) p95_ms=([\d.]+) ratio_vs_bare=([\d.]+)$")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_api", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_short_run_reads_the_same_listings_both_ways_and_prints_its_line(capsys):
    result = await _bench().main(["--listings", "12", "--per-page", "10", "--requests", "20",
                                  "--rounds", "2", "--inflight", "4"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    match = LINE.match(line)
    assert match, line
    rps, p95, ratio = (float(v) for v in match.groups())
    assert rps > 0 and p95 > 0 and ratio > 0
    assert result["rps"] == rps or abs(result["rps"] - rps) < 1
