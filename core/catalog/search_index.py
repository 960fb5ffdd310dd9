"""An in-process search index: token postings narrow candidates, rapidfuzz scores them.

Each listing is a row of numpy columns (for vectorised filters and sorts) plus its folded search
text. A query's tokens are fuzzy-matched against the vocabulary (a few thousand words at most),
their postings give the candidate rows, the filters cut them down, and only the best-covered
candidates are scored with the same scorer a brute-force scan would use.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from core.catalog.gazetteer import fold
from core.catalog.query import SearchQuery
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES

SCORER = fuzz.WRatio
MIN_SCORE = 60.0  # below this a text match is noise
TERM_CUTOFF = 72.0  # how alike a query word and an indexed word must be
SHORTLIST = 1000  # candidates scored in full, best token coverage first
EXACT_BONUS = 100.0  # a word found exactly outweighs two found with typos (as WRatio does)
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
         "deliv": "int64", "neg": "bool", "rating": "float64", "published": "float64"}


class SearchIndex:
    """Add, remove and search published listings in memory."""

    def __init__(self) -> None:
        self.cols = {name: _Column(dtype) for name, dtype in _SPEC.items()}
        self.texts: list[str] = []
        self.lengths = _Column("int32")
        self.slot_of: dict[int, int] = {}
        self.postings: dict[str, array] = {}
        self._vocab: list[str] = []

    def __len__(self) -> int:
        return len(self.slot_of)

    def add(self, doc: Doc) -> None:
        """Index a listing (replacing an older version of it)."""
        self.remove(doc.id)
        slot = len(self.texts)
        text = " ".join(tokens(doc.text))
        self.texts.append(text)
        self.lengths.put(slot, len(text))
        self.slot_of[doc.id] = slot
        for term in set(text.split()):
            if term not in self.postings:
                self.postings[term] = array("i")
                self._vocab.append(term)
            self.postings[term].append(slot)
        certs = sum(_CERTS.get(c, 0) for c in doc.certifications)
        deliv = sum(_DELIV.get(d, 0) for d in doc.delivery)
        pmwh = -1 if doc.price_mwh_minor is None else doc.price_mwh_minor
        values = {"id": doc.id, "alive": True, "type": _TYPES.get(doc.product_type, -1),
                  "qty": doc.quantity, "price": doc.price_minor, "pmwh": pmwh, "cur": doc.currency,
                  "lat": doc.lat, "lon": doc.lon, "certs": certs, "deliv": deliv,
                  "neg": doc.negotiable, "rating": doc.rating, "published": doc.published}
        for name, value in values.items():
            self.cols[name].put(slot, value)

    def remove(self, listing_id: int) -> None:
        """Drop a listing from results (its slot stays dead until the next rebuild)."""
        slot = self.slot_of.pop(listing_id, None)
        if slot is not None:
            self.cols["alive"].data[slot] = False

    def col(self, name: str) -> np.ndarray:
        return self.cols[name].data[: len(self.texts)]

    # --- searching ------------------------------------------------------------------

    def search(self, q: SearchQuery) -> list[tuple[int, float, float | None]]:
        """Matching listing ids in the query's sort order, with relevance and distance (km)."""
        words = tokens(q.text)
        if words:
            cand, coverage = self._candidates(words)
        else:
            cand = np.flatnonzero(self.col("alive"))
            coverage = None
        cand = self._filter(cand, q)
        dist = self._distance(cand, q)
        if q.max_km is not None and dist is not None:
            keep = dist <= q.max_km
            cand, dist = cand[keep], dist[keep]
            coverage = coverage
        if words:
            cand, scores, dist = self._score(cand, coverage, dist, q)
        else:
            scores = np.zeros(len(cand))
        order = self._order(cand, scores, dist, q.sort)
        return [(int(self.col("id")[cand[i]]), float(scores[i]),
                 None if dist is None else float(dist[i])) for i in order]

    def _candidates(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.texts)
        total = np.zeros(n, dtype=np.float32)
        for word in words:
            best = np.zeros(n, dtype=np.float32)
            for term, sim in sorted(self._terms_like(word), key=lambda pair: pair[1]):
                slots = np.frombuffer(self.postings[term], dtype=np.int32)
                best[slots] = sim
            total += best
        cand = np.flatnonzero((total > 0) & self.col("alive"))
        return cand, total

    def _terms_like(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words close to a query word (typos), or starting with it (prefixes)."""
        found = {word: 100.0 + EXACT_BONUS} if word in self.postings else {}
        if len(word) >= 3:
            for term, sim, _ in process.extract(word, self._vocab, scorer=fuzz.ratio, limit=None,
                                                score_cutoff=TERM_CUTOFF):
                found[term] = max(found.get(term, 0.0), sim)
            for term in self._vocab:
                if len(term) > len(word) and term.startswith(word):
                    found[term] = max(found.get(term, 0.0), 90.0)
        return list(found.items())

    def _filter(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray:
        if q.product_type:
            cand = cand[self.col("type")[cand] == _TYPES.get(q.product_type, -2)]
        if q.qty_min is not None:
            cand = cand[self.col("qty")[cand] >= q.qty_min]
        if q.qty_max is not None:
            cand = cand[self.col("qty")[cand] <= q.qty_max]
        if q.price_min is not None or q.price_max is not None or q.price_mwh_max is not None:
            cand = cand[self.col("cur")[cand] == q.currency]
        if q.price_min is not None:
            cand = cand[self.col("price")[cand] >= q.price_min]
        if q.price_max is not None:
            cand = cand[self.col("price")[cand] <= q.price_max]
        if q.price_mwh_max is not None:
            pm = self.col("pmwh")[cand]
            cand = cand[(pm >= 0) & (pm <= q.price_mwh_max)]
        if q.certification:
            cand = cand[(self.col("certs")[cand] & _CERTS.get(q.certification, 0)) != 0]
        if q.delivery:
            cand = cand[(self.col("deliv")[cand] & _DELIV.get(q.delivery, 0)) != 0]
        if q.negotiable_only:
            cand = cand[self.col("neg")[cand]]
        return cand

    def _distance(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray | None:
        if q.lat is None or q.lon is None:
            return None
        lat, lon = np.radians(self.col("lat")[cand]), np.radians(self.col("lon")[cand])
        p1, l1 = math.radians(q.lat), math.radians(q.lon)
        a = np.sin((lat - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat) * np.sin((lon - l1) / 2) ** 2
        return 6371.0 * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

    def _score(self, cand: np.ndarray, coverage: np.ndarray, dist: np.ndarray | None,
               q: SearchQuery) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        if len(cand) > SHORTLIST:
            # Best covered first; among equals the shorter text, which the scorer favours.
            lengths = self.lengths.data[cand]
            keep = np.lexsort((cand, lengths, -coverage[cand]))[:SHORTLIST]
            keep.sort()
            cand = cand[keep]
            dist = None if dist is None else dist[keep]
        if len(cand) == 0:
            return cand, np.zeros(0), dist
        query = " ".join(tokens(q.text))
        texts = self.texts
        scores = process.cdist([query], [texts[s] for s in cand], scorer=SCORER,
                               processor=None)[0].astype(np.float64)
        ok = scores >= MIN_SCORE
        return cand[ok], scores[ok], None if dist is None else dist[ok]

    def _order(self, cand: np.ndarray, scores: np.ndarray, dist: np.ndarray | None,
               sort: str) -> np.ndarray:
        """Row order for a sort; ties fall back to relevance, then the older slot."""
        if sort == "price":
            primary = self.col("price")[cand].astype(np.float64)
        elif sort == "price_mwh":
            pm = self.col("pmwh")[cand].astype(np.float64)
            primary = np.where(pm < 0, np.inf, pm)
        elif sort == "distance" and dist is not None:
            primary = dist
        elif sort == "rating":
            primary = -self.col("rating")[cand]
        elif sort == "newest":
            primary = -self.col("published")[cand]
        else:
            primary = -scores
        return np.lexsort((cand, -scores, primary))
