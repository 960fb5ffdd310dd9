"""The search index's words: the vocabulary words that look like a query word, and the rows
holding them with their coverage of the query."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.catalog.index_rows import IndexRows
from core.catalog.look_alike import (
    EXACT,
    MATCHED,
    PREFIX,
    PREFIX_MIN,
    SLIP_CLOSENESS,
    allowed_slips,
)
from core.catalog.pruning import Match, Term

TERM_CACHE = 10_000  # query words remembered with their vocabulary matches


class WordMatching(IndexRows):
    """The query words of `SearchIndex`: their vocabulary matches (cached) and candidates."""

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
