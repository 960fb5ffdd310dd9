"""An in-process search index: token postings narrow candidates, rapidfuzz scores them.

Each listing is a row of numpy columns (for vectorised filters and sorts) plus its folded search
text. A query's tokens are fuzzy-matched against the vocabulary (a few thousand words at most),
their postings give the candidate rows, the filters cut them down, and only the best-covered
candidates are scored with the same scorer a brute-force scan would use.

The rows and columns are `index_rows`, the words' matches `index_words`, the filters
`index_filters`; here a search puts them together, scores and orders what it found.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from core.catalog.index_filters import Filtering
from core.catalog.index_rows import tokens
from core.catalog.index_words import WordMatching
from core.catalog.look_alike import MATCHED
from core.catalog.pruning import Shortlist, gather
from core.catalog.query import SearchQuery

SCORER = fuzz.WRatio
MIN_SCORE = 60.0  # a listing missing a query word is shown only from this whole-text score
SHORTLIST = 1000  # candidates scored in full, best word coverage first
PARTIAL = 200  # of those missing a query word, the best covered this many may still be shown


class SearchIndex(WordMatching, Filtering):
    """Add, remove and search published listings in memory."""

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
