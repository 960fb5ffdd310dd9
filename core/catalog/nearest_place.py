"""The nearest of many places to a point, exactly as comparing the point with every place would
find it, at the cost of comparing it with a narrow band of them.

The places are kept sorted by latitude in numpy columns. A place can be no nearer to a point
than their difference in latitude (the triangle of point, pole and place), so once the nearest
place within a band of latitudes ±h around the point is nearer than h, no place outside the
band can beat it. The band starts narrow (towns are rarely further apart than a few tens of kilometres)
and widens to the nearest distance found when it does not hold the answer (the open sea, the
poles) — one more pass then settles it.

numpy's sines may differ from `math`'s in the last bit, so numpy only narrows the field: every
place within a hair of the band's nearest is measured again with `haversine_km`, and the
nearest of those — the earliest in the places' order on a tie — is the answer, as `min` over
every place with `haversine_km` would give it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

import numpy as np

EARTH_KM = 6371.0
_START = math.radians(0.2)  # the first band's half-height: about 22 km of latitude
_HAIR = 1e-9  # radians (about 6 mm): more than numpy and math ever disagree by


class Located(Protocol):
    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


P = TypeVar("P", bound=Located)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_KM * 2 * math.asin(math.sqrt(a))


class NearestPlaces(Generic[P]):
    """`places` indexed for `nearest`; built once (about 50 ms for the gazetteer's 69,000)."""

    def __init__(self, places: Sequence[P]) -> None:
        if not places:
            raise ValueError("no places to search")
        self._places = places
        lat = np.radians(np.array([p.lat for p in places], dtype=np.float64))
        self._order = np.argsort(lat, kind="stable")  # the places' own indexes, by latitude
        self._lat = lat[self._order]
        lon = np.radians(np.array([p.lon for p in places], dtype=np.float64))[self._order]
        # on the unit sphere: distances are measured as chords, no sines asked per query
        self._x, self._y, self._z = np.cos(self._lat) * np.cos(lon), \
            np.cos(self._lat) * np.sin(lon), np.sin(self._lat)

    def nearest(self, lat: float, lon: float) -> P:
        """The place nearest to (lat, lon): what `min(places, key=haversine_km to it)` is."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"not a point on Earth: {lat}, {lon}")  # no band would ever hold it
        phi, lam = math.radians(lat), math.radians(lon)
        point = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
        half = _START
        while True:
            low = int(np.searchsorted(self._lat, phi - half, side="left"))
            high = int(np.searchsorted(self._lat, phi + half, side="right"))
            everything = low == 0 and high == len(self._lat)
            if high > low:
                chords = self._squared_chords(point, low, high)
                shortest = math.sqrt(float(chords.min()))
                best = 2 * math.asin(min(shortest / 2, 1.0))  # the central angle, radians
                if best + _HAIR < half or everything:
                    near = low + np.flatnonzero(chords <= (shortest + _HAIR) ** 2)
                    return self._measured(lat, lon, near)
                half = best + 2 * _HAIR  # the next band holds every place as near as `best`
            else:
                half *= 4

    def _squared_chords(self, point: tuple[float, float, float], low: int, high: int
                        ) -> np.ndarray:
        """Squared chords from the point to the places low:high by latitude (a difference of
        unit vectors stays exact up close, where an angle's cosine would round to 1)."""
        x, y, z = point
        return ((self._x[low:high] - x) ** 2 + (self._y[low:high] - y) ** 2
                + (self._z[low:high] - z) ** 2)

    def _measured(self, lat: float, lon: float, near: np.ndarray) -> P:
        """Of the band's nearest few, the nearest by `haversine_km`, the earliest on a tie."""
        indexes = sorted(int(i) for i in self._order[near])
        return min((self._places[i] for i in indexes),
                   key=lambda p: haversine_km(lat, lon, p.lat, p.lon))

