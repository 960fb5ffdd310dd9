"""Search benchmark: the real index against brute-force rapidfuzz over every title and against
PostgreSQL pg_trgm, same listings, same queries, same run.

    python bench/search.py [--n 100000] [--queries 300] [--seed 7] [--pg URL | --no-pg]
    python bench/search.py --million     # 1,000,000 listings, 100 queries, no PostgreSQL,
                                         # the brute force on every core (speed-up against that)

Prints p50/p95 latency of both, the speed-up, recall@10 against the brute-force top 10, the
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rapidfuzz import process

from bench import search_pg
from core.catalog.gazetteer import haversine_km, major
from core.catalog.query import SearchQuery
from core.catalog.search_index import MIN_SCORE, SCORER, Doc, SearchIndex, tokens
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES

TYPE_CODES = list(TYPES)
CERT_BIT = search_pg.CERT_BIT
CITIES = major()  # European places of 100,000 people or more
WORDS = ["premium", "bulk", "bagged", "dry", "certified", "industrial", "fresh", "kiln",
         "sawmill", "forest", "export", "local", "big", "bags", "pallet", "spot", "contract"]


def make_doc(i: int, rng: random.Random) -> Doc:
    """One synthetic listing, worded the way sellers write titles."""
    kind = rng.choice(list(TYPES.values()))
    place = rng.choice(CITIES)
    grade = rng.choice(kind.grades) if kind.grades else ""
    certs = tuple(rng.sample(list(CERTIFICATIONS), rng.randint(0, 2)))
    title = " ".join(w for w in (grade, rng.choice(WORDS), kind.label, rng.choice(WORDS)) if w)
    text = " ".join([title, " ".join(CERTIFICATIONS[c] for c in certs), place.city])
    price = rng.randint(50, 500) * 100
    return Doc(id=i, text=text, product_type=kind.code, quantity=float(rng.randint(1, 5000)),
               price_minor=price, price_mwh_minor=price // 5, currency="EUR", lat=place.lat,
               lon=place.lon, certifications=certs, delivery=tuple(rng.sample(list(DELIVERY), 2)),
               negotiable=rng.random() < 0.4, rating=rng.randint(30, 50) / 10,
               published=float(i))


def typo(word: str, rng: random.Random) -> str:
    """Swap, drop or double one letter (words of 4+ letters)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if how == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def make_query(rng: random.Random) -> SearchQuery:
    """Typos, word order, and now and then filters and a distance."""
    kind = rng.choice(list(TYPES.values()))
    place = rng.choice(CITIES)
    words = [rng.choice(kind.label.split()), place.city.split()[0]]
    if kind.grades and rng.random() < 0.5:
        words.insert(0, rng.choice(kind.grades).split()[0])
    rng.shuffle(words)
    text = " ".join(typo(w.lower(), rng) if rng.random() < 0.6 else w.lower() for w in words)
    extra: dict[str, object] = {}
    roll = rng.random()
    if roll < 0.25:
        extra["product_type"] = kind.code
    elif roll < 0.45:
        extra["price_max"] = rng.randint(100, 400) * 100
    elif roll < 0.65:
        extra.update(max_km=float(rng.choice((200, 500, 1000))), lat=place.lat, lon=place.lon)
    elif roll < 0.75:
        extra["certification"] = rng.choice(list(CERTIFICATIONS))
    return SearchQuery(text=text, **extra)  # type: ignore[arg-type]


class Listings:
    """The brute force's copy of the listings: folded texts and numpy columns for the filters
    (the Doc objects themselves are not kept: at a million they would outweigh the index)."""

    def __init__(self, n: int) -> None:
        self.texts: list[str] = []
        self.type = np.zeros(n, dtype=np.int16)
        self.price = np.zeros(n, dtype=np.int64)
        self.certs = np.zeros(n, dtype=np.int64)
        self.lat = np.zeros(n, dtype=np.float64)
        self.lon = np.zeros(n, dtype=np.float64)

    def add(self, doc: Doc) -> None:
        i = len(self.texts)
        self.texts.append(" ".join(tokens(doc.text)))
        self.type[i] = TYPE_CODES.index(doc.product_type)
        self.price[i] = doc.price_minor
        self.certs[i] = sum(CERT_BIT[c] for c in doc.certifications)
        self.lat[i], self.lon[i] = doc.lat, doc.lon

    def passes(self, i: int, q: SearchQuery) -> bool:
        """The filters, one listing at a time (the brute-force side)."""
        if q.product_type and TYPE_CODES[self.type[i]] != q.product_type:
            return False
        if q.price_max is not None and self.price[i] > q.price_max:
            return False
        if q.certification and not self.certs[i] & CERT_BIT[q.certification]:
            return False
        if q.max_km is not None and q.lat is not None and q.lon is not None:
            return haversine_km(q.lat, q.lon, float(self.lat[i]), float(self.lon[i])) <= q.max_km
        return True


def brute_force(q: SearchQuery, listings: Listings, workers: int = 1) -> list[tuple[int, float]]:
    """WRatio over every title, then filtering: the baseline's top 10."""
    scores = process.cdist([" ".join(tokens(q.text))], listings.texts, scorer=SCORER,
                           processor=None, score_cutoff=MIN_SCORE, dtype=np.float64,
                           workers=workers)[0]
    hits = np.flatnonzero(scores >= MIN_SCORE)
    hits = hits[np.lexsort((hits, -scores[hits]))]
    top: list[tuple[int, float]] = []
    for i in hits.tolist():
        if listings.passes(i, q):
            top.append((i, float(scores[i])))  # listing ids are their positions
            if len(top) == 10:
                break
    return top


def recall_at_10(mine: list[int], theirs: list[tuple[int, float]], q: SearchQuery,
                 texts: list[str]) -> tuple[float, float]:
    """(tie-aware, strict) recall of the baseline's top 10.

    WRatio gives many listings exactly the same score; any of them is an equally right 10th
    result, so tie-aware recall counts a result as found when its baseline score reaches the
    baseline's 10th score. Strict recall compares ids, ties broken by position.
    """
    strict = len(set(mine) & {i for i, _ in theirs}) / len(theirs)
    floor = theirs[-1][1]
    query = " ".join(tokens(q.text))
    good = sum(1 for i in mine[: len(theirs)] if SCORER(query, texts[i], processor=None) >= floor)
    return good / len(theirs), strict


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
    for start in range(0, args.n, 10_000):
        docs = [make_doc(i, rng) for i in range(start, min(args.n, start + 10_000))]
        t0 = time.perf_counter()
        for doc in docs:
            index.add(doc)
        build_s += time.perf_counter() - t0
        for doc in docs:
            listings.add(doc)
    del docs
    queries = [make_query(rng) for _ in range(args.queries)]
    fast, cpu, slow, recalls, stricts = [], [], [], [], []
    truths: list[list[tuple[int, float]]] = []
    for q in queries:
        c0, t0 = time.thread_time(), time.perf_counter()
        mine = [hit[0] for hit in index.search(q)[:10]]
        t1 = time.perf_counter()
        cpu.append((time.thread_time() - c0) * 1000)
        theirs = brute_force(q, listings, workers)
        t2 = time.perf_counter()
        fast.append((t1 - t0) * 1000)
        slow.append((t2 - t1) * 1000)
        truths.append(theirs)
        if theirs:
            tie_aware, strict = recall_at_10(mine, theirs, q, listings.texts)
            recalls.append(tie_aware)
            stricts.append(strict)
    extra = [make_doc(args.n + i, rng) for i in range(1000)]
    t0 = time.perf_counter()
    for doc in extra:
        index.add(doc)
    add_ms = (time.perf_counter() - t0) / len(extra) * 1000
    p50, p95 = statistics.median(fast), pct(fast, 95)
    speedup = statistics.mean(slow) / statistics.mean(fast)
    recall = statistics.mean(recalls) if recalls else 1.0
    strict = statistics.mean(stricts) if stricts else 1.0
    rss = rss_mb()  # before the pg_trgm side, which adds only its client's rows
    print(f"index:       p50 {p50:.2f} ms  p95 {p95:.2f} ms  mean {statistics.mean(fast):.2f} ms  "
          f"(CPU time of the searching thread: p50 {statistics.median(cpu):.2f} ms  "
          f"p95 {pct(cpu, 95):.2f} ms)")
    cores = "every core" if workers == -1 else "one core"
    print(f"brute force ({cores}): p50 {statistics.median(slow):.2f} ms  p95 {pct(slow, 95):.2f} ms  "
          f"mean {statistics.mean(slow):.2f} ms")
    print(f"speed-up {speedup:.1f}x · recall@10 {recall:.3f} (strict ids: {strict:.3f}) over "
          f"{len(recalls)} queries with results · add {add_ms:.3f} ms · build {build_s:.1f} s · "
          f"rss {rss:.0f} MB", flush=True)
    result = {"n": args.n, "p50_ms": p50, "p95_ms": p95, "speedup": speedup, "recall10": recall,
              "add_ms": add_ms, "build_s": build_s, "rss_mb": rss}
    line = (f"search n={args.n} p50_ms={p50:.2f} p95_ms={p95:.2f} speedup={speedup:.1f} "
            f"recall10={recall:.3f} add_ms={add_ms:.3f} build_s={build_s:.2f} rss_mb={rss:.0f}")
    if not args.no_pg:
        best = asyncio.run(pg_trgm(args.pg, listings, queries, truths))
        result.update(pg_trgm_p95_ms=best.p95, vs_pg_trgm=best.p95 / p95,
                      pg_trgm_recall10=best.recall)
        line += f" pg_trgm_p95_ms={best.p95:.2f} vs_pg_trgm={best.p95 / p95:.1f}"
    print(line)
    return result


async def pg_trgm(server: str, listings: Listings, queries: list[SearchQuery],
                  truths: list[list[tuple[int, float]]]) -> search_pg.Variant:
    """The same listings and queries through pg_trgm on a scratch database; the best variant:
    the fastest at p95 of those reaching recall@10 0.95, else the one with the best recall."""
    server = server.replace("postgresql+asyncpg://", "postgresql://")
    url, load_s = await search_pg.load(server, listings)
    try:
        query_texts = [" ".join(tokens(q.text)) for q in queries]

        def recall(i: int, ids: list[int]) -> float | None:
            if not truths[i]:
                return None
            return recall_at_10(ids, truths[i], queries[i], listings.texts)[0]

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
