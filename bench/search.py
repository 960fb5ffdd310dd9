"""Search benchmark: the real index against brute-force rapidfuzz over every text and against
PostgreSQL pg_trgm, same listings, same queries, same run.

Listings' texts are built by `core.catalog.documents.search_text` (title, product, grade,
certifications, town, country); queries are words of a listing as people mistype them (a letter
swapped, dropped, doubled or wrong, two slips in a long word, or only its first letters), now and
then with filters. Recall is measured against the word-level ground truth a person expects, worked
out here one listing at a time with its own edit distance: a listing is a right answer when every
query word has a look-alike among its words (the same word, a prefix of 3+ letters, one slip in a
word of 4-5 letters, up to two from 6), and more, then closer, matches rank first.

    python bench/search.py [--n 100000] [--queries 300] [--seed 7] [--pg URL | --no-pg]
    python bench/search.py --million     # 1,000,000 listings, 100 queries, no PostgreSQL,
                                         # the brute force on every core (speed-up against that)

Prints p50/p95 latency of both, the speed-up, recall@10 against the ground truth's top 10, the
time to add one listing, the index build time and the process's peak memory; then each pg_trgm
variant's p50/p95 and recall@10 (bench/search_pg.py) and the best of them; and ends with one line:
`search n=… p50_ms=… p95_ms=… speedup=… recall10=… add_ms=… build_s=… rss_mb=…
pg_trgm_p95_ms=… vs_pg_trgm=…` (vs_pg_trgm: the best pg_trgm variant's p95 over the index's).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import time
from functools import cache
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rapidfuzz import process

from bench import search_pg
from core.catalog.documents import search_text
from core.catalog.gazetteer import major
from core.catalog.index_rows import Doc, tokens
from core.catalog.query import SearchQuery
from core.catalog.search_index import MIN_SCORE, SCORER, SearchIndex
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES

TYPE_CODES = list(TYPES)
CERT_BIT = search_pg.CERT_BIT
CITIES = major()  # European places of 100,000 people or more
WORDS = ["premium", "bulk", "bagged", "dry", "certified", "industrial", "fresh", "kiln",
         "sawmill", "forest", "export", "local", "big", "bags", "pallet", "spot", "contract"]


def make_doc(i: int, rng: random.Random) -> Doc:
    """One synthetic listing, worded the way sellers write titles, its text as search builds it."""
    kind = rng.choice(list(TYPES.values()))
    place = rng.choice(CITIES)
    grade = rng.choice(kind.grades) if kind.grades and rng.random() < 0.7 else None
    certs = rng.sample(list(CERTIFICATIONS), rng.randint(0, 2))
    title = " ".join(w for w in (rng.choice(WORDS), kind.label, rng.choice(WORDS)) if w)
    row = SimpleNamespace(title=title, product_type=kind.code, grade=grade, certifications=certs,
                          city=place.city, country=place.country)
    price = rng.randint(50, 500) * 100
    return Doc(id=i, text=search_text(row), product_type=kind.code,  # type: ignore[arg-type]
               quantity=float(rng.randint(1, 5000)), price_minor=price,
               price_mwh_minor=price // 5, currency="EUR", lat=place.lat, lon=place.lon,
               certifications=tuple(certs), delivery=tuple(rng.sample(list(DELIVERY), 2)),
               negotiable=rng.random() < 0.4, rating=rng.randint(30, 50) / 10,
               published=float(i))


ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def mistype(word: str, rng: random.Random) -> str:
    """How people mistype a word of 4+ letters: a swapped pair, a dropped, doubled or wrong
    letter, two of those in a word of 6+, or only its first letters (typing still)."""
    if len(word) < 4:
        return word
    how = rng.choice(("swap", "drop", "double", "wrong", "two", "prefix"))
    if how == "prefix":
        return word[:rng.randint(3, len(word) - 1)]
    if how == "two":
        if len(word) < 6:
            how = "swap"
        else:
            return slip(slip(word, rng, rng.choice(("drop", "double", "wrong"))), rng, "swap")
    return slip(word, rng, how)


def slip(word: str, rng: random.Random, how: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if how == "drop":
        return word[:i] + word[i + 1:]
    if how == "wrong":
        return word[:i] + rng.choice(ALPHABET.replace(word[i], "")) + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def make_query(rng: random.Random, docs: list[Doc]) -> SearchQuery:
    """One to three words of a listing (its product, grade, certification or town), mostly
    mistyped, in any order; now and then filters and a distance."""
    doc = rng.choice(docs)
    words = tokens(doc.text)
    picked = rng.sample(words, min(len(words), rng.choice((1, 2, 2, 3))))
    text = " ".join(mistype(w, rng) if rng.random() < 0.7 else w for w in picked)
    extra: dict[str, object] = {}
    roll = rng.random()
    if roll < 0.25:
        extra["product_type"] = doc.product_type
    elif roll < 0.45:
        extra["price_max"] = rng.randint(100, 400) * 100
    elif roll < 0.65:
        extra.update(max_km=float(rng.choice((200, 500, 1000))), lat=doc.lat, lon=doc.lon)
    elif roll < 0.75:
        extra["certification"] = rng.choice(list(CERTIFICATIONS))
    return SearchQuery(text=text, **extra)  # type: ignore[arg-type]


class Listings:
    """The baselines' copy of the listings: folded texts, each text's words as vocabulary ids
    (for the ground truth) and numpy columns for the filters (the Doc objects themselves are not
    kept: at a million they would outweigh the index)."""

    WIDTH = 32  # words per text at most (the synthetic texts have about 15)

    def __init__(self, n: int) -> None:
        self.texts: list[str] = []
        self.vocab: dict[str, int] = {}
        self.words = np.full((n, self.WIDTH), -1, dtype=np.int16)  # -1: no word
        self.type = np.zeros(n, dtype=np.int16)
        self.price = np.zeros(n, dtype=np.int64)
        self.certs = np.zeros(n, dtype=np.int64)
        self.lat = np.zeros(n, dtype=np.float64)
        self.lon = np.zeros(n, dtype=np.float64)

    def add(self, doc: Doc) -> None:
        i = len(self.texts)
        words = tokens(doc.text)
        self.texts.append(" ".join(words))
        ids = [self.vocab.setdefault(w, len(self.vocab)) for w in dict.fromkeys(words)]
        self.words[i, : len(ids)] = ids[: self.WIDTH]
        self.type[i] = TYPE_CODES.index(doc.product_type)
        self.price[i] = doc.price_minor
        self.certs[i] = sum(CERT_BIT[c] for c in doc.certifications)
        self.lat[i], self.lon[i] = doc.lat, doc.lon

    def passing(self, q: SearchQuery) -> np.ndarray:
        """Which listings pass the query's filters (a mask over all of them)."""
        ok = np.ones(len(self.texts), dtype=bool)
        if q.product_type:
            ok &= self.type[: len(ok)] == TYPE_CODES.index(q.product_type)
        if q.price_max is not None:
            ok &= self.price[: len(ok)] <= q.price_max
        if q.certification:
            ok &= (self.certs[: len(ok)] & CERT_BIT[q.certification]) != 0
        if q.max_km is not None and q.lat is not None and q.lon is not None:
            ok &= km_from(q.lat, q.lon, self.lat[: len(ok)], self.lon[: len(ok)]) <= q.max_km
        return ok


def km_from(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    p1, l1, p2, l2 = np.radians(lat0), np.radians(lon0), np.radians(lat), np.radians(lon)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


# --- the ground truth: the look-alike rule as a person states it, worked out independently ------

def slips(a: str, b: str) -> int:
    """Edits from a to b (a letter wrong, missing or extra, or two neighbours swapped)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def look_alike(word: str, term: str) -> float:
    """0 when term does not look like word; else how closely: the same word 4, a prefix of 3+
    letters 3, one slip 2, two slips 1. Words of 4-5 letters may slip once, from 6 twice; one
    of 3 only by a letter left out of a 4-letter word."""
    if word == term:
        return 4.0
    if len(word) >= 3 and term.startswith(word):
        return 3.0
    if len(word) == 3 and len(term) == 4 and word[0] == term[0] and slips(word, term) == 1:
        return 2.0  # a three-letter word may miss one letter after the first: "wod" for "wood"
    allowed = 2 if len(word) >= 6 else 1 if len(word) >= 4 else 0
    if allowed == 0 or abs(len(word) - len(term)) > allowed:
        return 0.0
    return {1: 2.0, 2: 1.0}.get(slips(word, term), 0.0) if slips(word, term) <= allowed else 0.0


class Truth:
    """Per query, every listing whose words look like all the query's words, ranked by how
    closely (then, in a tie, any of them is as right)."""

    CHUNK = 65_536

    def __init__(self, listings: Listings) -> None:
        self.listings = listings
        self.terms = sorted(listings.vocab, key=listings.vocab.__getitem__)

    @cache  # noqa: B019 - one Truth per run
    def closeness(self, word: str) -> np.ndarray:
        """Per vocabulary id (and a last 0 for "no word"), how closely it matches word."""
        return np.array([look_alike(word, t) for t in self.terms] + [0.0], dtype=np.float32)

    def ranked(self, q: SearchQuery) -> tuple[np.ndarray, np.ndarray]:
        """The right listings (positions, ids alike) and their closeness sums, best first."""
        words = self.listings.words[: len(self.listings.texts)]
        total = np.zeros(len(words), dtype=np.float32)
        ok = self.listings.passing(q)
        for word in tokens(q.text):
            near = self.closeness(word)
            for start in range(0, len(words), self.CHUNK):  # a bounded temporary at a million
                rows = slice(start, start + self.CHUNK)
                best = near[words[rows]].max(axis=1)  # -1 reads the last: 0
                ok[rows] &= best > 0
                total[rows] += best
        right = np.flatnonzero(ok)
        order = np.lexsort((right, -total[right]))
        return right[order], total[right[order]]

    def recall_at_10(self, mine: list[int], q: SearchQuery) -> float | None:
        """Share of the truth's top 10 found in the first results; any listing as close as the
        truth's 10th is an equally right answer (None: nothing is right for this query)."""
        right, total = self.ranked(q)
        if len(right) == 0:
            return None
        want = min(10, len(right))
        floor = total[want - 1]
        good = dict(zip(right.tolist(), total.tolist(), strict=True))
        return sum(1 for i in mine[:want] if good.get(i, -1.0) >= floor) / want


def brute_force(q: SearchQuery, listings: Listings, workers: int = 1) -> np.ndarray:
    """The naive search the index replaces, timed as the speed-up's baseline: WRatio over every
    text, then the filters."""
    scores = process.cdist([" ".join(tokens(q.text))], listings.texts, scorer=SCORER,
                           processor=None, score_cutoff=MIN_SCORE, dtype=np.float64,
                           workers=workers)[0]
    hits = np.flatnonzero((scores >= MIN_SCORE) & listings.passing(q))
    return hits[np.lexsort((hits, -scores[hits]))][:10]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=None, help="300 (100 with --million)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--million", action="store_true",
                        help="1,000,000 listings, 100 queries, no PostgreSQL, brute force on every core")
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
                        help="server for the pg_trgm comparison (a scratch database is made)")
    parser.add_argument("--no-pg", action="store_true", help="skip the pg_trgm comparison")
    args = parser.parse_args(argv)
    workers = 1  # the brute force on one core, like the index
    if args.million:
        args.n, args.no_pg, workers = 1_000_000, True, -1  # the truth in half the time
    if args.queries is None:
        args.queries = 100 if args.million else 300
    rng = random.Random(args.seed)
    index, listings = SearchIndex(), Listings(args.n)
    build_s = 0.0
    seeds: list[Doc] = []  # listings the queries are typed from, from every part of the range
    for start in range(0, args.n, 10_000):
        docs = [make_doc(i, rng) for i in range(start, min(args.n, start + 10_000))]
        t0 = time.perf_counter()
        for doc in docs:
            index.add(doc)
        build_s += time.perf_counter() - t0
        for doc in docs:
            listings.add(doc)
        seeds += rng.sample(docs, min(len(docs), 64))
    del docs
    truth = Truth(listings)
    queries = [make_query(rng, seeds) for _ in range(args.queries)]
    fast, cpu, slow, recalls = [], [], [], []
    for q in queries:
        c0, t0 = time.thread_time(), time.perf_counter()
        mine = [hit[0] for hit in index.search(q)[:10]]
        t1 = time.perf_counter()
        cpu.append((time.thread_time() - c0) * 1000)
        brute_force(q, listings, workers)
        t2 = time.perf_counter()
        fast.append((t1 - t0) * 1000)
        slow.append((t2 - t1) * 1000)
        r = truth.recall_at_10(mine, q)  # listing ids are their positions
        if r is not None:
            recalls.append(r)
    extra = [make_doc(args.n + i, rng) for i in range(1000)]
    t0 = time.perf_counter()
    for doc in extra:
        index.add(doc)
    add_ms = (time.perf_counter() - t0) / len(extra) * 1000
    p50, p95 = statistics.median(fast), pct(fast, 95)
    speedup = statistics.mean(slow) / statistics.mean(fast)
    recall = statistics.mean(recalls) if recalls else 1.0
    rss = rss_mb()  # before the pg_trgm side, which adds only its client's rows
    print(f"index:       p50 {p50:.2f} ms  p95 {p95:.2f} ms  mean {statistics.mean(fast):.2f} ms  "
          f"(CPU time of the searching thread: p50 {statistics.median(cpu):.2f} ms  "
          f"p95 {pct(cpu, 95):.2f} ms)")
    cores = "every core" if workers == -1 else "one core"
    print(f"brute force ({cores}): p50 {statistics.median(slow):.2f} ms  p95 {pct(slow, 95):.2f} ms  "
          f"mean {statistics.mean(slow):.2f} ms")
    print(f"speed-up {speedup:.1f}x · word-level recall@10 {recall:.3f} over "
          f"{len(recalls)} queries with right answers · add {add_ms:.3f} ms · build {build_s:.1f} s · "
          f"rss {rss:.0f} MB", flush=True)
    result = {"n": args.n, "p50_ms": p50, "p95_ms": p95, "speedup": speedup, "recall10": recall,
              "add_ms": add_ms, "build_s": build_s, "rss_mb": rss}
    line = (f"search n={args.n} p50_ms={p50:.2f} p95_ms={p95:.2f} speedup={speedup:.1f} "
            f"recall10={recall:.3f} add_ms={add_ms:.3f} build_s={build_s:.2f} rss_mb={rss:.0f}")
    if not args.no_pg:
        best = asyncio.run(pg_trgm(args.pg, listings, queries, truth))
        result.update(pg_trgm_p95_ms=best.p95, vs_pg_trgm=best.p95 / p95,
                      pg_trgm_recall10=best.recall)
        line += f" pg_trgm_p95_ms={best.p95:.2f} vs_pg_trgm={best.p95 / p95:.1f}"
    print(line)
    return result


async def pg_trgm(server: str, listings: Listings, queries: list[SearchQuery],
                  truth: Truth) -> search_pg.Variant:
    """The same listings and queries through pg_trgm on a scratch database; the best variant:
    the fastest at p95 of those reaching recall@10 0.95, else the one with the best recall."""
    server = server.replace("postgresql+asyncpg://", "postgresql://")
    url, load_s = await search_pg.load(server, listings)
    try:
        query_texts = [" ".join(tokens(q.text)) for q in queries]

        def recall(i: int, ids: list[int]) -> float | None:
            return truth.recall_at_10(ids, queries[i])

        variants = await search_pg.run(url, queries, query_texts, recall)
    finally:
        await search_pg.drop(server, url)
    print(f"pg_trgm: {len(listings.texts)} rows copied and indexed (GIN and GiST) in {load_s:.1f} s")
    for v in variants:
        print(f"pg_trgm {v.name:<32} p50 {v.p50:7.2f} ms  p95 {v.p95:7.2f} ms  "
              f"recall@10 {v.recall:.3f}")
    good = [v for v in variants if v.recall >= 0.95]
    best = (min(good, key=lambda v: v.p95) if good
            else max(variants, key=lambda v: (v.recall, -v.p95)))
    print(f"pg_trgm best: {best.name} (p95 {best.p95:.2f} ms, recall@10 {best.recall:.3f})")
    return best


if __name__ == "__main__":
    main()
