"""Search benchmark: the real index against brute-force rapidfuzz over every title, same run.

    python bench/search.py [--n 100000] [--queries 300] [--seed 7]

Prints p50/p95 latency of both, the speed-up, recall@10 against the brute-force top 10, the
time to add one listing, the index build time and the process's memory, and ends with one line:
`search n=… p50_ms=… p95_ms=… speedup=… recall10=… add_ms=… build_s=… rss_mb=…`.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import process

from core.catalog.gazetteer import haversine_km, major
from core.catalog.query import SearchQuery
from core.catalog.search_index import MIN_SCORE, SCORER, Doc, SearchIndex, tokens
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, TYPES

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


def passes(doc: Doc, q: SearchQuery) -> bool:
    """The filters, one document at a time (the brute-force side)."""
    if q.product_type and doc.product_type != q.product_type:
        return False
    if q.price_max is not None and doc.price_minor > q.price_max:
        return False
    if q.certification and q.certification not in doc.certifications:
        return False
    if q.max_km is not None and q.lat is not None and q.lon is not None:
        return haversine_km(q.lat, q.lon, doc.lat, doc.lon) <= q.max_km
    return True


def brute_force(q: SearchQuery, texts: list[str], docs: list[Doc]) -> list[tuple[int, float]]:
    """rapidfuzz.process.extract over every title, then filtering: the baseline's top 10."""
    scored = process.extract(" ".join(tokens(q.text)), texts, scorer=SCORER, processor=None,
                             limit=None, score_cutoff=MIN_SCORE)
    scored.sort(key=lambda hit: (-hit[1], hit[2]))
    top: list[tuple[int, float]] = []
    for _, score, i in scored:
        if passes(docs[i], q):
            top.append((docs[i].id, score))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = [make_doc(i, rng) for i in range(args.n)]
    texts = [" ".join(tokens(d.text)) for d in docs]
    index = SearchIndex()
    started = time.perf_counter()
    for doc in docs:
        index.add(doc)
    build_s = time.perf_counter() - started
    queries = [make_query(rng) for _ in range(args.queries)]
    fast, slow, recalls, stricts = [], [], [], []
    for q in queries:
        t0 = time.perf_counter()
        mine = [hit[0] for hit in index.search(q)[:10]]
        t1 = time.perf_counter()
        theirs = brute_force(q, texts, docs)
        t2 = time.perf_counter()
        fast.append((t1 - t0) * 1000)
        slow.append((t2 - t1) * 1000)
        if theirs:
            tie_aware, strict = recall_at_10(mine, theirs, q, texts)
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
    print(f"index:       p50 {p50:.2f} ms  p95 {p95:.2f} ms  mean {statistics.mean(fast):.2f} ms")
    print(f"brute force: p50 {statistics.median(slow):.2f} ms  p95 {pct(slow, 95):.2f} ms  "
          f"mean {statistics.mean(slow):.2f} ms")
    print(f"speed-up {speedup:.1f}x · recall@10 {recall:.3f} (strict ids: {strict:.3f}) over "
          f"{len(recalls)} queries with results · add {add_ms:.3f} ms · build {build_s:.1f} s · "
          f"rss {rss_mb():.0f} MB")
    print(f"search n={args.n} p50_ms={p50:.2f} p95_ms={p95:.2f} speedup={speedup:.1f} "
          f"recall10={recall:.3f} add_ms={add_ms:.3f} build_s={build_s:.2f} rss_mb={rss_mb():.0f}")


if __name__ == "__main__":
    main()
