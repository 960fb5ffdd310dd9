"""The prompt counts of bench/taps.py stay within their targets (a listing in at most 12
inputs, a filtered search in 3, registration to the menu in 10)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "taps.py"


def _bench():
    spec = importlib.util.spec_from_file_location("taps", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_the_journeys_take_no_more_inputs_than_their_targets():
    taps = _bench()
    counted = await taps.journeys("telegram")
    assert all(counted[name] <= target for name, target in taps.TARGETS.items()), counted
    assert counted == await taps.journeys("terminal")
