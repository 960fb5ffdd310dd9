"""bench/recommend.py runs small on the demo seed: one summary line, and the picks find held-out
deals at least as often as the most popular listings do."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "recommend.py"
LINE = re.compile(r"^recommend users=(\d+) hit_rate_at_5=(\d\.\d{3}) "
                  r"baseline_popular_hit_rate_at_5=(\d\.\d{3}) ratio=(\d+\.\d{2}|inf)$")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_recommend", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_small_run_prints_one_line_and_beats_the_popularity_baseline(capsys):
    users, rate, base = await _bench().main(["--listings", "120"])
    [line] = capsys.readouterr().out.strip().splitlines()
    found = LINE.match(line)
    assert found, line
    assert int(found.group(1)) == users >= 40  # the demo buyers, and the market history's traders
    assert float(found.group(2)) == round(rate, 3) and float(found.group(3)) == round(base, 3)
    assert rate >= base and rate > 0
