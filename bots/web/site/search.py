"""The site's listing search in the address bar: the chat's one-line search
(core.catalog.query_text) whose filters become query parameters, so a search can be shared and
bookmarked, and each filter is a chip whose ✕ is the same address without it.

`/listings?q=pellets under 250 near riga` is read once and answered by a redirect to its
canonical address, `/listings?q=pellets&max=250&near=Riga`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from core.catalog import gazetteer, query_text
from core.catalog.query import SORTS, SearchQuery
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.errors import DomainError
from core.i18n import _
from core.i18n.countries import codes
from core.money.model import Money

# The address's short names of SearchQuery's fields.
NUMBERS = {"qty": "qty_min", "km": "max_km"}
PRICES = {"min": "price_min", "max": "price_max", "mwh": "price_mwh_max"}
CHOICES: dict[str, tuple[str, Mapping[str, object]]] = {
    "type": ("product_type", TYPES), "cert": ("certification", CERTIFICATIONS),
    "delivery": ("delivery", DELIVERY)}
KM_CHOICES = (25, 50, 100, 200, 300, 500)
PARAM_OF = {**{v: k for k, v in NUMBERS.items()}, **{v: k for k, v in PRICES.items()},
            **{v[0]: k for k, v in CHOICES.items()}, "negotiable_only": "neg", "sort": "sort",
            "country": "country"}


@dataclass(frozen=True)
class WebSearch:
    query: SearchQuery
    near: str = ""  # the town searched near, as the address names it
    notes: list[str] = field(default_factory=list)  # what the typed line had that was not understood

    @property
    def sort(self) -> str:
        return self.query.sort


def default_sort(query: SearchQuery) -> str:
    """Near a place, the nearest first (what a person means by “pellets near Riga”); words
    alone by relevance; a bare browse by what is newest."""
    return "distance" if query.lat is not None else "relevance" if query.text else "newest"


def sorts(search: WebSearch) -> dict[str, str]:
    """The sorts that mean something for this search (distance needs a place)."""
    return {k: v for k, v in SORTS.items()
            if (k != "distance" or search.query.lat is not None)
            and (k != "relevance" or search.query.text)}


def read(params: Mapping[str, str], currency: str = "EUR") -> WebSearch:
    """The search an address describes: its filters first, then whatever the typed line adds."""
    fields: dict[str, object] = {"currency": currency}
    for name, key in NUMBERS.items():
        fields[key] = _positive(params.get(name, ""))
    for name, key in PRICES.items():
        fields[key] = _minor(params.get(name, ""), currency)
    for name, (key, known) in CHOICES.items():
        fields[key] = params.get(name) if params.get(name) in known else None
    fields["negotiable_only"] = params.get("neg") == "1"
    country = params.get("country", "").upper()
    fields["country"] = country if country in codes() else None
    near, notes = params.get("near", "").strip()[:80], []
    if near:
        place, __ = gazetteer.resolve(near)
        if place is None:
            notes.append(_("I don't know the place “{place}”; searched everywhere.", place=near))
            near = ""
        else:
            near, fields["lat"], fields["lon"] = place.city, place.lat, place.lon
            fields["place"] = place.city
    query = SearchQuery(**fields)  # type: ignore[arg-type]
    typed, near = _typed(params.get("q", "")[:200], currency, query, near, notes)
    if typed.max_km and typed.lat is None:
        notes.append(_("A distance needs a place: add “near” and a town."))
        typed = replace(typed, max_km=None)
    search = WebSearch(typed, near, notes)
    said = typed.sort if typed.sort != SearchQuery.sort else None  # “cheapest” in the line
    sort = next((s for s in (said, params.get("sort")) if s in sorts(search)),
                default_sort(typed))
    return replace(search, query=replace(typed, sort=sort, text=typed.text[:100]))


def _typed(line: str, currency: str, base: SearchQuery, near: str, notes: list[str]
           ) -> tuple[SearchQuery, str]:
    """`base` with the words and filters of the one line typed into the search box."""
    named: list[str] = []

    def place(name: str) -> tuple[float, float, str] | None:
        found, __ = gazetteer.resolve(name)
        if found is None:
            return None
        named.append(found.city)
        return found.lat, found.lon, found.city

    typed, typed_notes = query_text.parse(line, currency, place)
    notes.extend(typed_notes)
    defaults = SearchQuery()
    changed = {k: v for k, v in vars(typed).items()
               if k not in ("currency", "sort") and v != getattr(defaults, k)}
    if typed.sort != defaults.sort:
        changed["sort"] = typed.sort
    return replace(base, **changed), (named[-1] if named else near)


def params(search: WebSearch) -> dict[str, str]:
    """The canonical address of a search: its words, each filter, the sort when not the
    default — nothing blank."""
    q = search.query
    out: dict[str, str] = {"q": q.text} if q.text else {}
    for name, (key, __) in CHOICES.items():
        if getattr(q, key):
            out[name] = getattr(q, key)
    for name, key in PRICES.items():
        if getattr(q, key) is not None:
            out[name] = _major(getattr(q, key), q.currency)
    if q.country:
        out["country"] = q.country
    if search.near:
        out["near"] = search.near
    for name, key in NUMBERS.items():
        if getattr(q, key) is not None:
            out[name] = f"{getattr(q, key):g}"
    if q.negotiable_only:
        out["neg"] = "1"
    if q.sort != default_sort(q):
        out["sort"] = q.sort
    return out


def address(values: Mapping[str, str], page: int = 1, path: str = "/listings") -> str:
    kept = {**values, **({"page": str(page)} if page > 1 else {})}
    return path + ("?" + urlencode(kept) if kept else "")


def chips(search: WebSearch, path: str = "/listings") -> list[tuple[str, str]]:
    """(label, address without it) for every active filter, the place among them."""
    current = params(search)
    found: list[tuple[str, str]] = []
    for label, name in search.query.filters():
        key = PARAM_OF.get(name)
        if key is None or key not in current:
            continue
        found.append((label, address({k: v for k, v in current.items() if k != key}, path=path)))
    if search.near:
        gone = {"near", "km"} | ({"sort"} if search.sort == "distance" else set())
        found.append((_("near {place}", place=search.near),
                      address({k: v for k, v in current.items() if k not in gone}, path=path)))
    return found


def _positive(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if 0 < value < 1e9 else None


def _minor(text: str, currency: str) -> int | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        amount = Money.parse(Decimal(text), currency).amount
    except (ArithmeticError, DomainError, InvalidOperation, ValueError):
        return None
    return amount if amount > 0 else None


def _major(minor: int, currency: str) -> str:
    return format(Money(minor, currency).decimal.normalize(), "f")
