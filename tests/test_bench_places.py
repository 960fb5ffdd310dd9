"""bench/places.py's nearest-place line runs small: the index names the same places as
measuring against every place, and the line has its shape with figures that mean something."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "places.py"
LINE = re.compile(r"^nearest fast_us=([\d.]+) brute_us=(\d+) ratio_vs_brute=([\d.]+)$")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_places", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_a_short_run_finds_the_brute_forces_places_and_prints_its_line():
    line = _bench().against_brute_force(random.Random(5), rounds=1, spots=4)
    match = LINE.match(line)
    assert match, line
    fast, brute, ratio = (float(v) for v in match.groups())
    assert fast > 0 and brute > 0 and 0 < ratio < 1
