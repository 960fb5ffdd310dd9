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
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from core.catalog.look_alike import (
    EXACT,
    MATCHED,
    PREFIX,
    PREFIX_MIN,
    SLIP_CLOSENESS,
    allowed_slips,
    shortened,
)
from core.catalog.pruning import Match, Shortlist, Term, gather
from core.catalog.query import SearchQuery
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES
from core.text import fold

SCORER = fuzz.WRatio
MIN_SCORE = 60.0  # a listing missing a query word is shown only from this whole-text score
SHORTLIST = 1000  # candidates scored in full, best word coverage first
PARTIAL = 200  # of those missing a query word, the best covered this many may still be shown
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
EARTH_KM = 6371.0
EDGE_KM = 0.01  # within this of a distance limit the great-circle formula decides
TERM_CACHE = 10_000  # query words remembered with their vocabulary matches


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    p, lam = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p)


class SearchIndex:
    """Add, remove and search published listings in memory."""

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

    # --- searching ------------------------------------------------------------------

    def search(self, q: SearchQuery) -> list[tuple[int, float, float | None]]:
        """Matching listing ids in the query's sort order, with relevance and distance (km)."""
        words = tokens(q.text)
        if words:
            matches = [self._postings_like(word) for word in words]
            found = gather(self, matches, q, Shortlist(SHORTLIST, len(words) * MATCHED, PARTIAL))
            if found is None:  # every row holding a word like a query word
                cand, total = self._candidates(matches)
                cand = self.narrow(cand, q)
                found = cand, total[cand]
            cand, scores, whole = self._score(*found, q, len(words))
        else:
            cand = self.narrow(np.flatnonzero(self.col("alive")), q)
            scores = whole = np.zeros(len(cand))
        dist = self._distance(cand, q)
        order = self._order(cand, scores, whole, dist, q.sort, bool(words))
        ids = self.col("id")[cand[order]].tolist()
        found = scores[order].tolist()
        kms = [None] * len(ids) if dist is None else dist[order].tolist()
        return list(zip(ids, found, kms, strict=True))

    def narrow(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray:
        """The rows passing the query's filters and distance limit."""
        cand = self._filter(cand, q)
        if q.max_km is not None and q.lat is not None and q.lon is not None:
            cand = self._within(cand, q.lat, q.lon, q.max_km)
        return cand

    def _postings_like(self, word: str) -> Match:
        """The vocabulary words like a query word, with their rows, least alike first."""
        terms = sorted(self._terms_like(word), key=lambda pair: pair[1])
        return [Term(term, np.frombuffer(self.postings[term], dtype=np.int64), sim)
                for term, sim in terms]

    def _candidates(self, matches: list[Match]) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding a word like a query word, and their coverage: per query word the best
        likeness among the row's words, summed over the query words."""
        n = self.size
        total = self._scratch("total", n)
        best: np.ndarray | None = None  # one query word's best likeness per row
        first = True
        for match in matches:
            if not match:
                continue
            if first:  # ascending, so a row's best likeness is written last
                for term in match:
                    total[term.rows] = term.sim
                first = False
                continue
            if len(match) == 1:
                total[match[0].rows] += match[0].sim  # a row holds a word once
                continue
            if best is None:
                best = self._scratch("best", n)
            for term in match:
                best[term.rows] = term.sim
            if sum(len(term.rows) for term in match) * 8 > n:  # many rows: whole-array passes
                total += best
                best.fill(0.0)
                continue
            touched = np.concatenate([term.rows for term in match])
            total[touched] = total[touched] + best[touched]  # repeats write the same value
            best[touched] = 0.0
        if self.dead:
            return np.flatnonzero((total > 0) & self.col("alive")), total
        return np.flatnonzero(total), total  # likenesses are positive

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

    def _terms_like(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words that look like a query word (`look_alike`), each worth MATCHED plus
        its closeness."""
        known = self._terms.get(word)
        if known is not None:
            return known
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = MATCHED + EXACT
        if len(word) >= PREFIX_MIN:
            vocab = self._vocab_sorted()
            for term in vocab[bisect_left(vocab, word):]:
                if not term.startswith(word):
                    break
                if len(term) > len(word):
                    found[term] = MATCHED + PREFIX
        for term in self._short.get(word, ()):
            found[term] = max(found.get(term, 0.0), MATCHED + SLIP_CLOSENESS[1])
        slips = allowed_slips(word)
        if slips:
            for term, slip, _ in process.extract(word, self._vocab, scorer=OSA.distance,
                                                 limit=None, score_cutoff=slips):
                found[term] = max(found.get(term, 0.0), MATCHED + SLIP_CLOSENESS[slip])
        if len(self._terms) >= TERM_CACHE:
            self._terms.clear()
        self._terms[word] = list(found.items())
        return self._terms[word]

    def _vocab_sorted(self) -> list[str]:
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self._vocab)
        return self._sorted_vocab

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
        if q.country:
            cand = cand[self.col("country")[cand] == q.country]
        return cand

    def _within(self, cand: np.ndarray, lat: float, lon: float, max_km: float) -> np.ndarray:
        """Rows within max_km: a dot product on the unit sphere, the great-circle formula of
        `_distance` deciding the rows within EDGE_KM of the limit."""
        px, py, pz = _unit(lat, lon)
        dot = self.col("x")[cand] * px + self.col("y")[cand] * py + self.col("z")[cand] * pz
        near = math.cos(min(math.pi, max(0.0, max_km - EDGE_KM) / EARTH_KM))
        far = math.cos(min(math.pi, (max_km + EDGE_KM) / EARTH_KM))
        inside = dot > near if max_km > EDGE_KM else np.zeros(len(cand), dtype=bool)
        edge = np.flatnonzero(~inside & (dot >= far))
        if len(edge):
            inside[edge[self._km(cand[edge], lat, lon) <= max_km]] = True
        return cand[inside]

    def _distance(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray | None:
        if q.lat is None or q.lon is None:
            return None
        return self._km(cand, q.lat, q.lon)

    def _km(self, cand: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
        lat, lon = np.radians(self.col("lat")[cand]), np.radians(self.col("lon")[cand])
        p1, l1 = math.radians(lat0), math.radians(lon0)
        a = np.sin((lat - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat) * np.sin((lon - l1) / 2) ** 2
        return EARTH_KM * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

    def _score(self, cand: np.ndarray, coverage: np.ndarray, q: SearchQuery,
               words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The best covered rows (coverage: one per row of cand) that are found: every query
        word looks like one of their words, or (a word missing) the whole text scores well.
        Returns the rows, their coverage and their whole-text score (a tie-break)."""
        if len(cand) > SHORTLIST:
            at = self._shortlist(coverage, self.lengths.data[cand])
            cand, coverage = cand[at], coverage[at]
        if len(cand) == 0:
            return cand, np.zeros(0), np.zeros(0)
        full = coverage >= words * MATCHED
        whole = np.zeros(len(cand))  # only a row missing a word needs its whole-text score
        if not full.all():
            part = np.flatnonzero(~full)
            if len(part) > PARTIAL:  # best covered first, ties to the shorter text, older row
                key = np.lexsort((part, self.lengths.data[cand[part]], -coverage[part]))
                part = np.sort(part[key[:PARTIAL]])
            whole[part] = process.cdist([" ".join(tokens(q.text))], self.texts.data[cand[part]],
                                        scorer=SCORER, processor=None, score_cutoff=MIN_SCORE,
                                        dtype=np.float64)[0]
        ok = full | (whole >= MIN_SCORE)  # rows past PARTIAL have 0: not shown
        return cand[ok], coverage[ok].astype(np.float64), whole[ok]

    @staticmethod
    def _shortlist(cov: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Positions (ascending) of the SHORTLIST best covered rows; among equals the shorter
        text, which the scorer favours, then the older row (rows come in slot order)."""
        cut = len(cov) - SHORTLIST
        kth = np.partition(cov, cut)[cut]  # the SHORTLIST-th best coverage
        keep = cov > kth
        ties = np.flatnonzero(cov == kth)
        need = SHORTLIST - int(np.count_nonzero(keep))
        if need < len(ties):
            key = (lengths[ties].astype(np.int64) << 32) | ties
            ties = ties[np.argpartition(key, need - 1)[:need]]
        keep[ties] = True
        return np.flatnonzero(keep)

    def _order(self, cand: np.ndarray, coverage: np.ndarray, whole: np.ndarray,
               dist: np.ndarray | None, sort: str, text: bool) -> np.ndarray:
        """Row order: more query words found first; then for relevance the closer matches, for
        any other sort its key then the closer matches; ties to the whole-text score (rows
        missing a word), then the shorter text, then the older slot."""
        found = np.floor(coverage / MATCHED)
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
            primary = np.zeros(len(cand))
        shorter = self.lengths.data[cand] if text else np.zeros(len(cand))
        return np.lexsort((cand, shorter, -whole, -coverage, primary, -found))
