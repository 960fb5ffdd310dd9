"""The nearest place to a point, found through the latitude index, is the one measuring the
point against every place names — the earlier (larger) place on a tie — near towns, out at sea,
at the poles and across the date line; and the demo catalogue's towns stay their own towns."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import pytest

from core.catalog import gazetteer
from core.catalog.nearest_place import NearestPlaces, haversine_km


@dataclass(frozen=True)
class Spot:
    name: str
    lat: float
    lon: float


T = TypeVar("T", Spot, gazetteer.Place)


def brute_force(places: Sequence[T], lat: float, lon: float) -> T:
    """The ground truth: every place measured, the first of the nearest."""
    return min(places, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))


def some_points(rng: random.Random, around: list[Spot], count: int) -> list[tuple[float, float]]:
    """Anywhere on Earth, near a place, exactly on one, and the awkward corners."""
    anywhere = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(count)]
    near = [(p.lat + rng.gauss(0, 0.3), p.lon + rng.gauss(0, 0.3))
            for p in rng.sample(around, count)]
    on = [(p.lat, p.lon) for p in rng.sample(around, count)]
    corners = [(90, 0), (-90, 45), (89.99, 179.99), (0, 180), (0, -180), (0, 0), (-0.0, 179.5)]
    return anywhere + near + on + corners


def test_the_index_names_the_place_measuring_against_every_place_would():
    rng = random.Random(7)
    spots = [Spot(f"s{n}", rng.uniform(-80, 80), rng.uniform(-180, 180)) for n in range(2000)]
    spots += [Spot("dup", s.lat, s.lon) for s in spots[:50]]  # same point, later: never chosen
    index = NearestPlaces(spots)
    for lat, lon in some_points(rng, spots, 200):
        assert index.nearest(lat, lon) is brute_force(spots, lat, lon), (lat, lon)


def test_of_places_at_the_same_distance_the_first_is_the_nearest():
    around = [Spot("east", 0, 1), Spot("north", 1, 0), Spot("south", -1, 0), Spot("west", 0, -1)]
    assert NearestPlaces(around).nearest(0, 0).name == "east"
    assert NearestPlaces(around[::-1]).nearest(0, 0).name == "west"


def test_a_lonely_place_is_found_from_the_far_side_of_the_earth():
    index = NearestPlaces([Spot("only", 56.95, 24.1)])
    assert index.nearest(-56.95, -155.9).name == "only"
    with pytest.raises(ValueError):
        index.nearest(math.nan, 24.1)  # refused, not searched for ever


def test_the_gazetteer_names_the_nearest_town_as_the_brute_force_does():
    rng = random.Random(11)
    towns = gazetteer.places()
    points = some_points(rng, [Spot(t.city, t.lat, t.lon) for t in towns], 6)
    for lat, lon in points:
        assert gazetteer.nearest(lat, lon) is brute_force(towns, lat, lon), (lat, lon)


def test_the_demo_catalogues_towns_are_their_own_nearest_towns():
    """Demo listings sit on a large town's point: its nearest place is the first place there,
    which is what the brute force names (no other place is at no distance)."""
    first_at: dict[tuple[float, float], gazetteer.Place] = {}
    for town in gazetteer.places():
        first_at.setdefault((town.lat, town.lon), town)
    for town in gazetteer.major():
        assert gazetteer.nearest(town.lat, town.lon) is first_at[(town.lat, town.lon)]
