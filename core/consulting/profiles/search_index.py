"""The consultants' in-process search index, like the catalogue's: a row of numpy columns per
live consultant (for vectorised filters and sorts) plus a folded text of name, headline,
expertise, keywords and bio. Query words are fuzzy-matched against the vocabulary (typos and
prefixes), their postings give the candidates, and rapidfuzz scores those against the text."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from core.catalog.index_rows import tokens
from core.consulting.bookings.availability import Schedule
from core.consulting.profiles.taxonomy import CATEGORIES

TERM_CUTOFF = 75.0  # how alike a query word and an indexed word must be
MIN_SCORE = 50.0  # a text score below this is noise
EXACT = 100.0
_CATS = {code: 1 << i for i, code in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class Entry:
    """What the index needs to know about one live consultant."""

    id: int
    text: str
    categories: tuple[str, ...]
    languages: tuple[str, ...]
    hourly_minor: int
    currency: str
    rating: float  # the Bayesian score, 1 to 5
    sessions: int
    schedule: Schedule
    minutes: int  # the shortest bookable length: what “free” is measured with
    extra: dict[str, object] = field(default_factory=dict, compare=False)


_SPEC = {"id": "int64", "alive": "bool", "cats": "int64", "hourly": "int64", "cur": "U3",
         "rating": "float64", "sessions": "int64", "langs": "int64"}


class ConsultantIndex:
    """Add, remove and search live consultants in memory."""

    def __init__(self) -> None:
        self.data = {name: np.zeros(0, dtype=dtype) for name, dtype in _SPEC.items()}
        self.rows: list[Entry] = []
        self.texts: list[str] = []
        self.slot_of: dict[int, int] = {}
        self.postings: dict[str, array] = {}
        self.vocab: list[str] = []
        self.languages: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.slot_of)

    def add(self, entry: Entry) -> None:
        """Index a consultant (replacing an older version)."""
        self.remove(entry.id)
        slot = len(self.rows)
        text = " ".join(tokens(entry.text))
        self.rows.append(entry)
        self.texts.append(text)
        self.slot_of[entry.id] = slot
        for term in set(text.split()):
            if term not in self.postings:
                self.postings[term] = array("i")
                self.vocab.append(term)
            self.postings[term].append(slot)
        values = {"id": entry.id, "alive": True, "cats": self._bits(entry.categories, _CATS),
                  "hourly": entry.hourly_minor, "cur": entry.currency, "rating": entry.rating,
                  "sessions": entry.sessions, "langs": self._langs(entry.languages)}
        for name, value in values.items():
            column = self.data[name]
            if slot >= len(column):
                column = np.concatenate([column, np.zeros(max(64, len(column)), column.dtype)])
            column[slot] = value
            self.data[name] = column

    def _langs(self, codes: tuple[str, ...]) -> int:
        for code in codes:
            self.languages.setdefault(code, len(self.languages))
        return sum(1 << self.languages[c] for c in codes if self.languages[c] < 63)

    @staticmethod
    def _bits(codes: tuple[str, ...], table: dict[str, int]) -> int:
        return sum(table.get(c, 0) for c in codes)

    def remove(self, consultant_id: int) -> None:
        """Drop a consultant from results (the slot stays dead until the next rebuild)."""
        slot = self.slot_of.pop(consultant_id, None)
        if slot is not None:
            self.data["alive"][slot] = False

    def col(self, name: str) -> np.ndarray:
        return self.data[name][: len(self.rows)]

    def entry(self, slot: int) -> Entry:
        return self.rows[slot]

    def match(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(slots, relevance 0 to 100) of live consultants matching the words, typos allowed."""
        words = tokens(text)
        alive = self.col("alive")
        if not words:
            slots = np.flatnonzero(alive)
            return slots, np.zeros(len(slots))
        n = len(self.rows)
        covered = np.zeros(n)
        for word in words:
            best = np.zeros(n)
            for term, sim in self._terms_like(word):
                slots = np.frombuffer(self.postings[term], dtype=np.int32)
                best[slots] = np.maximum(best[slots], sim)
            covered += best
        cand = np.flatnonzero((covered > 0) & alive)
        if len(cand) == 0:
            return cand, np.zeros(0)
        query = " ".join(words)
        scores = process.cdist([query], [self.texts[s] for s in cand], scorer=fuzz.WRatio,
                               processor=None)[0].astype(np.float64)
        coverage = covered[cand] / (len(words) * (100.0 + EXACT))
        relevance = 0.5 * scores + 50.0 * np.minimum(coverage * 2, 1.0)
        keep = relevance >= MIN_SCORE
        return cand[keep], relevance[keep]

    def _terms_like(self, word: str) -> list[tuple[str, float]]:
        found = {word: 100.0 + EXACT} if word in self.postings else {}
        if len(word) >= 3:
            for term, sim, _ in process.extract(word, self.vocab, scorer=fuzz.ratio, limit=None,
                                                score_cutoff=TERM_CUTOFF):
                found[term] = max(found.get(term, 0.0), sim)
            for term in self.vocab:
                if len(term) > len(word) and term.startswith(word):
                    found[term] = max(found.get(term, 0.0), 90.0)
        return list(found.items())

    def where(self, slots: np.ndarray, *, category: str | None = None,
              language: str | None = None, currency: str | None = None,
              price_min: int | None = None, price_max: int | None = None,
              min_rating: float | None = None) -> np.ndarray:
        """A boolean mask over `slots`: which pass the structured filters."""
        keep = np.ones(len(slots), dtype=bool)
        if category is not None:
            keep &= (self.col("cats")[slots] & _CATS.get(category, 0)) != 0
        if language is not None:
            bit = self.languages.get(language)
            keep &= (self.col("langs")[slots] & (1 << bit)) != 0 if bit is not None \
                else np.zeros(len(slots), dtype=bool)
        if price_min is not None or price_max is not None:
            keep &= self.col("cur")[slots] == currency
        if price_min is not None:
            keep &= self.col("hourly")[slots] >= price_min
        if price_max is not None:
            keep &= self.col("hourly")[slots] <= price_max
        if min_rating is not None:
            keep &= self.col("rating")[slots] >= min_rating
        return keep

    def rank(self, slots: np.ndarray, relevance: np.ndarray, sort: str) -> np.ndarray:
        """Order of `slots`: by price, by rating, or by relevance lifted by reputation and
        completed sessions; ties by the older slot."""
        rating, sessions = self.col("rating")[slots], self.col("sessions")[slots]
        standing = 10.0 * (rating - 3.0) + 3.0 * np.log1p(sessions)
        if sort == "price":
            primary = self.col("hourly")[slots].astype(np.float64)
        elif sort == "rating":
            primary = -(rating * 1000 + np.minimum(sessions, 999))
        else:
            primary = -(relevance + standing)
        return np.lexsort((slots, primary))
