"""A query's candidates from its rarer vocabulary matches only, with the same shortlist as from
all of them.

Product and grade words sit in a large share of the listings (at a million, "pellets" is in
83,000 rows and "wood" in 166,000); gathering every row of every match and counting coverage
over them was most of a query's time. The shortlist, though, is only the SHORTLIST best covered
rows, ties going to the shorter text, then the older row. As in MaxScore, a row holding none of
the rarer matches covers one of a few levels: per query word, one of its common matches' likeness
(the best the row holds) or nothing, summed. So the shortlist is the candidates here covering
more than the highest level, then level by level down, the candidates on it and the rows outside
them holding just that level's common matches, read from the rarest of them in text-length order
(a partition at a time, each as large as the share passing the filters so far asks for), until
the shortlist is full. On a level with fewer such rows than still needed every one of them is
read; only when a query's common matches make more than LEVELS combinations does the caller try
the next threshold, then every match's rows.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from core.catalog.query import SearchQuery


class SearchIndex(Protocol):
    """What pruning reads of `core.catalog.search_index.SearchIndex` (which imports this module,
    so it is described here rather than imported)."""

    size: int  # slots used, dead ones included
    dead: int  # removed slots
    lengths: Any  # a column of each row's text length (`.data`: the numpy array)

    def col(self, name: str) -> np.ndarray: ...

    def narrow(self, cand: np.ndarray, q: SearchQuery) -> np.ndarray: ...

    def scratch_mask(self) -> np.ndarray: ...

    def scratch_floats(self) -> np.ndarray: ...

COMMON = (1 / 128, 1 / 16)  # a match in more of the rows than this share is common (in turn)
_SLOT = (1 << 32) - 1  # the slot's bits of a (text length << 32 | slot) key


@dataclass(frozen=True)
class Term:
    """A vocabulary word like a query word."""

    word: str
    rows: np.ndarray  # the slots holding it, ascending
    sim: float  # its likeness to the query word


Match = list[Term]  # a query word's vocabulary matches, least alike first
Found = tuple[np.ndarray, np.ndarray]  # candidate rows (ascending) and their coverage


@dataclass(frozen=True)
class Shortlist:
    """How many rows the search scores: `size` best covered, of which at most `partial` below
    `full` (the coverage of a row holding every query word: only that many of those can show)."""

    size: int
    full: float
    partial: int


def gather(index: SearchIndex, matches: list[Match], q: SearchQuery,
           shortlist: Shortlist) -> Found | None:
    """Candidates passing the query's filters, with their coverage, from ever more matches, the
    rarest first; None when the shortlist needs rows only the common matches would bring."""
    if not any(matches):  # no word like a query word: no row can match
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    tried: list[list[list[bool]]] = []
    for share in COMMON:
        chosen = _rare(matches, share * index.size)
        if chosen not in tried:
            tried.append(chosen)
            found = _pruned(index, matches, q, chosen, shortlist)
            if found is not None:
                return found
    return None


def _rare(matches: list[Match], limit: float) -> list[list[bool]]:
    """Per query word, which of its matches generate candidates: those in at most `limit` rows
    (none when every match is common: then the level walk alone reads the shortest rows)."""
    return [[len(term.rows) <= limit for term in match] for match in matches]


def _pruned(index: SearchIndex, matches: list[Match], q: SearchQuery, chosen: list[list[bool]],
            shortlist: Shortlist) -> Found | None:
    """The chosen matches' rows, and if the shortlist has room, the shortest rows covering the
    next levels with common matches only; None if that would take too many levels."""
    left = [_left_out(match, picks) for match, picks in zip(matches, chosen, strict=True)]
    lists = [term.rows for match, picks in zip(matches, chosen, strict=True)
             for term, yes in zip(match, picks, strict=True) if yes]
    cand = _union(index, lists)
    if index.dead:
        cand = cand[index.col("alive")[cand]]
    cand = index.narrow(cand, q)
    cov = coverage(cand, matches, index.scratch_floats())
    if not any(left):  # every match generated candidates
        return cand, cov
    levels = _levels(left)
    if levels is None:  # too many to walk: enough only if the shortlist is full above them all
        top = np.float32(0.0)
        for terms in left:  # float32 sums in word order, as `coverage`
            top = np.float32(top + np.float32(terms[0].sim if terms else 0.0))
        return (cand, cov) if np.count_nonzero(cov > top) >= shortlist.size else None
    extra: list[np.ndarray] = []  # rows outside cand on the levels above, all of them
    got = got_partial = 0
    whole = int(np.count_nonzero(cov >= shortlist.full))
    for level, combos in levels:
        above = int(np.count_nonzero(cov > level))
        need = shortlist.size - got - above
        if level < shortlist.full:  # rows missing a word: only the best `partial` can show
            need = min(need, shortlist.partial - got_partial - (above - whole))
        if need <= 0:
            break
        fills = [_fill(index, terms, without, cand, q, need) for terms, without in combos]
        fill = np.concatenate(fills) if len(fills) > 1 else fills[0]
        if len(fills) > 1:  # equally alike combinations: the shortest `need` of them all
            keys = np.unique((index.lengths.data[fill].astype(np.int64) << 32) | fill)
            fill = keys[:need] & _SLOT
        extra.append(fill)
        got += len(fill)
        got_partial += len(fill) if level < shortlist.full else 0
        if len(fill) >= need or len(fill) + int(np.count_nonzero(cov == level)) >= need:
            break
        # fewer than `need`: every row outside cand on this level is in; on to the next
    rows = np.concatenate([cand, *extra])
    order = np.argsort(rows)
    levels_cov = [np.full(len(fill), level, dtype=np.float32)
                  for fill, (level, _) in zip(extra, levels, strict=False)]
    return rows[order], np.concatenate([cov, *levels_cov])[order]


LEVELS = 16  # combinations of common matches walked at most, past that the next threshold
Combo = tuple[list[Term], list[np.ndarray]]  # matches a row holds, and matches' rows it must not


def _levels(left: list[list[Term]]) -> list[tuple[np.float32, list[Combo]]] | None:
    """The coverages a row holding no chosen match can have, highest first, each with the
    combinations giving it: per query word one of its left-out matches (the row holding none
    more alike, nor an equally alike one listed before it) or none of them."""
    options = [[None, *range(len(terms))] for terms in left]
    if math.prod(len(opts) for opts in options) > LEVELS + 1:
        return None
    by_level: dict[np.float32, list[Combo]] = {}
    for pick in itertools.product(*options):
        if all(at is None for at in pick):
            continue  # covering nothing: not a match
        level = np.float32(0.0)
        terms: list[Term] = []
        without: list[np.ndarray] = []
        for at, word in zip(pick, left, strict=True):  # float32 sums in word order, as `coverage`
            level = np.float32(level + np.float32(0.0 if at is None else word[at].sim))
            if at is not None:
                terms.append(word[at])
            without += [term.rows for term in word[: len(word) if at is None else at]]
        by_level.setdefault(level, []).append((terms, without))
    return sorted(by_level.items(), key=lambda item: -item[0])


def _union(index: SearchIndex, lists: list[np.ndarray]) -> np.ndarray:
    """The rows in any of these ascending lists, ascending."""
    if not lists:
        return np.zeros(0, dtype=np.int64)
    if len(lists) == 1:
        return lists[0].copy()  # not a view: the index's postings must stay growable
    if sum(len(rows) for rows in lists) * 64 < index.size:
        return np.unique(np.concatenate(lists))
    mask = index.scratch_mask()  # many rows: marking them beats sorting them
    for rows in lists:
        mask[rows] = True
    cand = np.flatnonzero(mask)
    mask[cand] = False
    return cand


def _left_out(match: Match, picks: list[bool]) -> list[Term]:
    """A query word's matches not generating candidates, most alike first."""
    return sorted((term for term, yes in zip(match, picks, strict=True) if not yes),
                  key=lambda term: -term.sim)


def _fill(index: SearchIndex, terms: list[Term], without: list[np.ndarray], cand: np.ndarray,
          q: SearchQuery, need: int) -> np.ndarray:
    """Up to `need` rows passing the filters, holding all these matches, none of the rows
    `without` and none of cand, shortest text first, then the older row."""
    driver = min(terms, key=lambda term: len(term.rows))
    others = [term.rows for term in terms if term is not driver]
    keys = (index.lengths.data[driver.rows].astype(np.int64) << 32) | driver.rows
    found: list[np.ndarray] = []
    got = scanned = 0
    step = max(4 * need, 1024)
    while got < need and len(keys):
        if len(keys) > step:  # the `step` shortest left: a partition, no full sort
            keys = np.partition(keys, step - 1)
            part, keys = np.sort(keys[:step]), keys[step:]
        else:
            part, keys = np.sort(keys), keys[:0]
        rows = part & _SLOT
        scanned += len(rows)
        if index.dead:
            rows = rows[index.col("alive")[rows]]
        rows = index.narrow(rows, q)
        for other in others:
            rows = rows[holds(other, rows)]
        for other in without:
            rows = rows[~holds(other, rows)]
        rows = rows[~holds(cand, rows)]
        found.append(rows)
        got += len(rows)
        # enough for the rest at the share passing so far, with a margin: a selective filter
        # costs a few partitions rather than a sort of every row
        step = min(2 * (need - got) * scanned // max(got, 1) + 1024, 8 * scanned)
    return np.concatenate(found)[:need] if found else np.zeros(0, dtype=np.int64)


def holds(rows: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Which slots are in rows (ascending)."""
    if len(rows) == 0:
        return np.zeros(len(slots), dtype=bool)
    at = np.minimum(np.searchsorted(rows, slots), len(rows) - 1)
    return rows[at] == slots


SCATTER = 8  # a match with at most this many rows per candidate is marked, not searched


def coverage(cand: np.ndarray, matches: list[Match], dense: np.ndarray | None = None) -> np.ndarray:
    """Per row of cand (ascending), the sum over query words of the best likeness among the
    row's words: the same float32 sums, in the same order, as the index's whole-array count.

    A match with few rows beside the candidates is written into `dense` (an all-zero buffer over
    every row, left all zero again) and read back at the candidates; a match with many more
    rows is searched for the candidates instead (a common word against a few rare rows)."""
    total = np.zeros(len(cand), dtype=np.float32)
    for match in matches:
        marked = [term for term in match
                  if dense is not None and len(term.rows) <= SCATTER * len(cand)]
        searched = [term for term in match
                    if dense is None or len(term.rows) > SCATTER * len(cand)]
        if marked:
            assert dense is not None  # only a match over a buffer is marked
            for term in marked:  # least alike first: the best is written last
                dense[term.rows] = term.sim
            best = dense[cand]
            for term in marked:
                dense[term.rows] = 0.0
        else:
            best = np.zeros(len(cand), dtype=np.float32)
        for term in searched:
            hit = holds(term.rows, cand)
            best[hit] = np.maximum(best[hit], np.float32(term.sim))
        total += best
    return total
