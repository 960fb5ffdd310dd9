"""The PostgreSQL pg_trgm side of bench/search.py: the same listings, queries and filters.

The listings are copied into a scratch database (created and dropped here), indexed with a GIN and
a GiST trigram index, and every query runs through each variant a competent engineer might pick:

* GIN `%` (similarity) or `<%` (word_similarity) with a threshold, best similarity first;
* GIN `<%` with its best 200 matches re-ranked in Python by the brute force's scorer (WRatio);
* GiST `<->` nearest 200, 500 or 1000 (or `<<->` nearest 200), re-ranked the same way.

Filters are SQL conditions written only for the filters a query has (one prepared statement per
combination), so the planner sees each query's real shape.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncpg
from rapidfuzz import process

from core.catalog.query import SearchQuery
from core.catalog.search_index import MIN_SCORE, SCORER
from core.catalog.taxonomy import CERTIFICATIONS, TYPES


class Listings(Protocol):
    """The columns of bench/search.py's listings this module loads (texts and numpy arrays)."""

    texts: list[str]
    type: Any
    price: Any
    certs: Any
    lat: Any
    lon: Any

CERT_BIT = {code: 1 << i for i, code in enumerate(CERTIFICATIONS)}
RERANK = 200  # candidates fetched for re-ranking with the brute force's scorer


@dataclass
class Variant:
    name: str
    index: str  # "gin" or "gist"
    operator: str  # %, <%, <->, <<->
    threshold: float | None = None  # pg_trgm.(word_)similarity_threshold for % and <%
    rerank: int = 0  # fetch this many, re-rank them with the brute force's scorer (0: don't)
    latencies: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)  # the same percentile as bench/search.py's pct
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def recall(self) -> float:
        return statistics.mean(self.recalls) if self.recalls else 1.0


def variants() -> list[Variant]:
    """Thresholds around pg_trgm's defaults (0.3 for %, 0.6 for <%) and below them."""
    out = [Variant(f"gin % t={t}", "gin", "%", t) for t in (0.2, 0.3)]
    out += [Variant(f"gin <% t={t}", "gin", "<%", t) for t in (0.4, 0.6)]
    out += [Variant(f"gin <% t=0.4 best {RERANK} re-ranked", "gin", "<%", 0.4, RERANK)]
    out += [Variant(f"gist <-> nearest {k} re-ranked", "gist", "<->", None, k)
            for k in (RERANK, 500, 1000)]
    out += [Variant(f"gist <<-> nearest {RERANK} re-ranked", "gist", "<<->", None, RERANK)]
    return out


async def load(server: str, listings: Listings) -> tuple[str, float]:
    """Create a scratch database with the listings and both trigram indexes; (url, seconds)."""
    name = f"agora_bench_search_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    started = time.perf_counter()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION pg_trgm")
        await conn.execute("CREATE UNLOGGED TABLE listing (id int PRIMARY KEY, text text NOT NULL, "
                           "product_type text NOT NULL, price bigint NOT NULL, certs int NOT NULL, "
                           "lat float8 NOT NULL, lon float8 NOT NULL)")
        types = list(TYPES)
        rows = [(i, text, types[kind], price, certs, lat, lon) for i, (text, kind, price, certs, lat, lon)
                in enumerate(zip(listings.texts, listings.type.tolist(), listings.price.tolist(),
                                 listings.certs.tolist(), listings.lat.tolist(),
                                 listings.lon.tolist(), strict=True))]
        await conn.copy_records_to_table("listing", records=rows)
        await conn.execute("SET maintenance_work_mem = '256MB'")
        await conn.execute("CREATE INDEX listing_gin ON listing USING gin (text gin_trgm_ops)")
        await conn.execute("CREATE INDEX listing_gist ON listing USING gist (text gist_trgm_ops)")
        await conn.execute("VACUUM ANALYZE listing")
    finally:
        await conn.close()
    return url, time.perf_counter() - started


async def drop(server: str, url: str) -> None:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


def _where(q: SearchQuery, args: list[object]) -> list[str]:
    """SQL conditions for the query's filters (the bench's `passes`), appending their values."""
    conds = []
    if q.product_type:
        args.append(q.product_type)
        conds.append(f"product_type = ${len(args)}")
    if q.price_max is not None:
        args.append(q.price_max)
        conds.append(f"price <= ${len(args)}")
    if q.certification:
        args.append(CERT_BIT.get(q.certification, 0))
        conds.append(f"certs & ${len(args)} <> 0")
    if q.max_km is not None and q.lat is not None and q.lon is not None:
        args += [q.lat, q.lon, q.max_km]
        la, lo, km = len(args) - 2, len(args) - 1, len(args)
        conds.append(f"6371.0 * 2 * asin(sqrt(sin(radians(lat - ${la}) / 2) ^ 2 + cos(radians(${la}))"
                     f" * cos(radians(lat)) * sin(radians(lon - ${lo}) / 2) ^ 2)) <= ${km}")
    return conds


def _sql(v: Variant, q: SearchQuery, query: str) -> tuple[str, list[object]]:
    args: list[object] = [query]
    conds = _where(q, args)
    limit = v.rerank or 10
    if v.operator == "%":
        conds.insert(0, "text % $1")
        order = "similarity(text, $1) DESC, id"
    elif v.operator == "<%":
        conds.insert(0, "$1 <% text")
        order = "word_similarity($1, text) DESC, id"
    else:
        order = f"text {v.operator} $1" if v.operator == "<->" else f"$1 {v.operator} text"
    where = f"WHERE {' AND '.join(conds)} " if conds else ""
    return f"SELECT id, text FROM listing {where}ORDER BY {order} LIMIT {limit}", args


async def run(url: str, queries: Sequence[SearchQuery], query_texts: Sequence[str],
              recall: Callable[[int, list[int]], float | None]) -> list[Variant]:
    """Every variant over every query: latency (ms, fetch and any re-ranking) and recall@10.

    `recall(i, ids)` scores query i's top ids against the brute force (None: it found nothing).
    """
    out = variants()
    conn = await asyncpg.connect(url)
    try:
        for v in out:
            setting = ("pg_trgm.similarity_threshold" if v.operator == "%"
                       else "pg_trgm.word_similarity_threshold")
            if v.threshold is not None:
                await conn.execute(f"SET {setting} = {v.threshold}")
            sql, args = _sql(v, queries[0], query_texts[0])
            await conn.fetch(sql, *args)  # untimed: plans and pages warm
            for i, (q, query) in enumerate(zip(queries, query_texts, strict=True)):
                sql, args = _sql(v, q, query)
                t0 = time.perf_counter()
                rows = await conn.fetch(sql, *args)
                if v.rerank and rows:
                    scores = process.cdist([query], [r["text"] for r in rows], scorer=SCORER,
                                           processor=None, score_cutoff=MIN_SCORE)[0]
                    scored = sorted((-s, r["id"]) for s, r in zip(scores.tolist(), rows, strict=True)
                                    if s >= MIN_SCORE)
                    ids = [i for _, i in scored[:10]]
                else:
                    ids = [r["id"] for r in rows]
                v.latencies.append((time.perf_counter() - t0) * 1000)
                r = recall(i, ids)
                if r is not None:
                    v.recalls.append(r)
            await conn.execute("RESET ALL")
    finally:
        await conn.close()
    return out
