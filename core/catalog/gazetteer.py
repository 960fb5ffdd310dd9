"""A bundled offline gazetteer: European city names with coordinates, typo-tolerant look-up."""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

_CSV = Path(__file__).with_name("cities.csv")


@dataclass(frozen=True)
class Place:
    city: str
    country: str
    lat: float
    lon: float

    def as_dict(self) -> dict[str, object]:
        return {"city": self.city, "country": self.country, "lat": self.lat, "lon": self.lon}


def fold(text: str) -> str:
    """Lower case without accents: “Kraków” → “krakow”."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every place of the bundled list."""
    with _CSV.open(encoding="utf-8") as handle:
        return tuple(Place(r["name"], r["country"], float(r["lat"]), float(r["lon"]))
                     for r in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Place]:
    return {fold(p.city): p for p in places()}


def resolve(name: str) -> tuple[Place | None, list[Place]]:
    """(the place, None-or-suggestions): exact or near-certain match, else up to 3 close names."""
    key = fold(name).split(",")[0].strip()
    table = _by_name()
    if key in table:
        return table[key], []
    found = process.extract(key, list(table), scorer=fuzz.ratio, limit=3, score_cutoff=60)
    if found and found[0][1] >= 85 and (len(found) == 1 or found[1][1] < found[0][1] - 5):
        return table[found[0][0]], []
    return None, [table[match] for match, _, _ in found]


def nearest(lat: float, lon: float) -> Place:
    """The bundled place closest to a shared location."""
    return min(places(), key=lambda p: haversine_km(lat, lon, p.lat, p.lon))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
