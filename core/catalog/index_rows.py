"""The search index's rows: each listing's numpy columns, its folded words and their postings,
and the scratch buffers searches reuse."""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass

import numpy as np

from core.catalog.look_alike import shortened
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_TYPES = {code: i for i, code in enumerate(TYPES)}
_CERTS = {code: 1 << i for i, code in enumerate(CERTIFICATIONS)}
_DELIV = {code: 1 << i for i, code in enumerate(DELIVERY)}


@dataclass(frozen=True)
class Doc:
    """What the index needs to know about one published listing."""

    id: int
    text: str
    product_type: str
    quantity: float
    price_minor: int
    price_mwh_minor: int | None
    currency: str
    lat: float
    lon: float
    certifications: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    negotiable: bool = False
    rating: float = 0.0
    published: float = 0.0  # POSIX seconds
    country: str = ""  # ISO code


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class _Column:
    """A growable numpy column (amortised O(1) append)."""

    def __init__(self, dtype: type | str) -> None:
        self.data = np.zeros(1024, dtype=dtype)

    def put(self, slot: int, value: object) -> None:
        if slot >= len(self.data):
            self.data = np.concatenate([self.data, np.zeros_like(self.data)])
        self.data[slot] = value


_SPEC = {"id": "int64", "alive": "bool", "type": "int16", "qty": "float64", "price": "int64",
         "pmwh": "int64", "cur": "U3", "lat": "float64", "lon": "float64", "certs": "int64",
         "deliv": "int64", "neg": "bool", "rating": "float64", "published": "float64",
         "x": "float64", "y": "float64", "z": "float64",  # x, y, z: the place on the unit sphere
         "country": "U2"}


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    p, lam = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p)


class IndexRows:
    """The rows of `SearchIndex`: add, remove, read a column."""

    def __init__(self) -> None:
        self.cols = {name: _Column(dtype) for name, dtype in _SPEC.items()}
        self.size = 0  # slots used, dead ones included
        self.texts = _Column(object)  # each slot's folded words
        self.lengths = _Column("int32")
        self.slot_of: dict[int, int] = {}
        self.postings: dict[str, array] = {}
        self._vocab: list[str] = []
        self._sorted_vocab: list[str] | None = []  # None: to be re-sorted
        self._terms: dict[str, list[tuple[str, float]]] = {}  # query word -> vocabulary matches
        self._short: dict[str, list[str]] = {}  # "wod" -> ["wood"]: four-letter words, a letter out
        self.dead = 0  # removed slots (until then every slot is alive)
        self._buffers: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.slot_of)

    def add(self, doc: Doc) -> None:
        """Index a listing (replacing an older version of it)."""
        self.remove(doc.id)
        slot = self.size
        self.size += 1
        text = " ".join(tokens(doc.text))
        self.texts.put(slot, text)
        self.lengths.put(slot, len(text))
        self.slot_of[doc.id] = slot
        for term in set(text.split()):
            if term not in self.postings:
                self.postings[term] = array("q")
                self._vocab.append(term)
                for short in shortened(term):
                    self._short.setdefault(short, []).append(term)
                self._sorted_vocab = None
                self._terms.clear()
            self.postings[term].append(slot)
        certs = sum(_CERTS.get(c, 0) for c in doc.certifications)
        deliv = sum(_DELIV.get(d, 0) for d in doc.delivery)
        pmwh = -1 if doc.price_mwh_minor is None else doc.price_mwh_minor
        x, y, z = _unit(doc.lat, doc.lon)
        values = {"id": doc.id, "alive": True, "type": _TYPES.get(doc.product_type, -1),
                  "qty": doc.quantity, "price": doc.price_minor, "pmwh": pmwh, "cur": doc.currency,
                  "lat": doc.lat, "lon": doc.lon, "certs": certs, "deliv": deliv,
                  "neg": doc.negotiable, "rating": doc.rating, "published": doc.published,
                  "x": x, "y": y, "z": z, "country": doc.country}
        for name, value in values.items():
            self.cols[name].put(slot, value)

    def remove(self, listing_id: int) -> None:
        """Drop a listing from results (its slot stays dead until the next rebuild)."""
        slot = self.slot_of.pop(listing_id, None)
        if slot is not None:
            self.cols["alive"].data[slot] = False
            self.dead += 1

    def col(self, name: str) -> np.ndarray:
        return self.cols[name].data[: self.size]

    # --- scratch buffers ------------------------------------------------------------

    def _scratch(self, name: str, n: int) -> np.ndarray:
        """A zeroed float32 buffer of n rows, kept between searches (no fresh pages to fault in)."""
        buf = self._buffers.get(name)
        if buf is None or len(buf) < n:
            buf = self._buffers[name] = np.zeros(len(self.lengths.data), dtype=np.float32)
        else:
            buf[:n] = 0.0
        return buf[:n]

    def scratch_mask(self) -> np.ndarray:
        """An all-False bool buffer of size rows, kept between searches; users reset what they set."""
        mask = self._buffers.get("mask")
        if mask is None or len(mask) < self.size:
            mask = self._buffers["mask"] = np.zeros(len(self.lengths.data), dtype=bool)
        return mask[: self.size]

    def scratch_floats(self) -> np.ndarray:
        """An all-zero float32 buffer of size rows, kept between searches; users reset what
        they set."""
        floats = self._buffers.get("floats")
        if floats is None or len(floats) < self.size:
            floats = self._buffers["floats"] = np.zeros(len(self.lengths.data), dtype=np.float32)
        return floats[: self.size]
