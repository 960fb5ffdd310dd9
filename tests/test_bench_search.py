"""bench/search.py runs small: the index finds the brute force's top 10 and ends with one
summary line."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "search.py"
LINE = re.compile(r"^search n=(\d+) p50_ms=\S+ p95_ms=\S+ speedup=\S+ recall10=(\d\.\d{3}) "
                  r"add_ms=\S+ build_s=\S+ rss_mb=\d+( pg_trgm_p95_ms=\S+ vs_pg_trgm=\S+)?$")


def bench():
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_a_small_run_finds_the_brute_forces_top_10(capsys):
    result = bench().main(["--n", "3000", "--queries", "40", "--no-pg"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    found = LINE.match(line)
    assert found, line
    assert found.group(1) == "3000" and found.group(3) is None
    assert float(found.group(2)) == round(result["recall10"], 3)
    assert result["recall10"] >= 0.95
