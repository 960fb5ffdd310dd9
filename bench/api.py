"""API benchmark: an authenticated, rate-limited read of listings through `/api/v1/listings`
against a bare FastAPI endpoint reading the same rows, on the same database, served the same way.

    python bench/api.py [--listings 200] [--per-page 20] [--requests 300] [--rounds 5]
                        [--inflight 8]

One process: a scratch SQLite database brought to the newest migration, a seller with
`--listings` published listings of pellets, a company whose admin made a key with the read
scope (core.companies.api_keys, as /apikeys makes it). Two servers on 127.0.0.1, each uvicorn
in this event loop: Agora's whole web application (its middleware, the API mounted at `/api/v1`:
the key looked up on every request, its rate limit counted — set high enough never to refuse —
the answer a pydantic model with exact amounts) and a bare FastAPI application whose one route
reads the same page of listings through the same core query and the same model, with no key,
no limit and no middleware. The client (httpx, `--inflight` requests at a time, a client of
its own per burst) asks each `--requests` times per round, the bare one first, then the API,
for `--rounds` rounds: taking turns spreads this machine's swings over both alike. Every
answer must be 200 with the same listings.

Printed: a line per round (both rates), then `api rps=… p95_ms=… ratio_vs_bare=…`: the API's
requests per second (the median round) and its 95th percentile latency over every round, and
the median of the rounds' API-over-bare rates (1.0: the API costs nothing over a bare read)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from fastapi import FastAPI

from bots.api import models
from bots.server import create_app
from config.container import Container, build
from config.settings import Settings
from core.catalog.listing_card import listing_card
from core.catalog.query import SearchQuery
from core.companies import api_keys
from core.companies import service as companies
from core.public import listings as public
from core.storage.schema import upgrade
from tests.catalog.helpers import make_account, publish
from tests.support.servers import serve

Ask = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def seeded(app: Container, listings: int) -> str:
    """A seller's listings and a company's read key; the key."""
    seller = await make_account(app, "seller", roles=("seller",))
    admin = await make_account(app, "admin", roles=("buyer",))
    for n in range(listings):
        await publish(app, seller, quantity=str(100 + n), title=f"Wood pellets lot {n}")
    async with app.uow() as uow:
        await companies.found(uow, admin.id, "Bench Heat AS")
        made = await api_keys.create(uow, admin.id, "bench", ["read"])
        await uow.commit()
    return made.token


def bare_app(app: Container, per_page: int) -> FastAPI:
    """The same page of listings, read the same way, with nothing around it."""
    bare = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @bare.get("/listings", response_model=models.Listings)
    async def listings() -> models.Listings:
        assert app.catalog is not None
        async with app.uow() as uow:
            found = await public.latest(uow, app.catalog, SearchQuery(sort="newest"), 0,
                                        per_page)
        return models.Listings(listings=[models.Listing.of(listing_card(r.listing))
                                         for r in found.results],
                               page=models.Page(total=found.total, page=found.page + 1,
                                                pages=found.pages))

    return bare


def client(inflight: int) -> httpx.AsyncClient:
    """A client of its own for each burst: a connection left idle while the other side's burst
    ran may be closed by the server (uvicorn keeps one alive 5 s) as it is used again."""
    return httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=inflight))


async def burst(ask: Ask, requests: int, inflight: int, expected: list[int]
                ) -> tuple[float, list[float]]:
    """(requests a second, each request's seconds), every answer checked."""
    took: list[float] = []
    async with client(inflight) as http:
        gate = asyncio.Semaphore(inflight)

        async def one() -> None:
            async with gate:
                started = time.perf_counter()
                answer = await ask(http)
                took.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
            assert [item["id"] for item in answer.json()["listings"]] == expected

        started = time.perf_counter()
        await asyncio.gather(*(one() for __ in range(requests)))
    return requests / (time.perf_counter() - started), took


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/bench.db"
        await upgrade(url)
        settings = Settings(database_url=url, environment="test",  # type: ignore[call-arg]
                            data_dir=f"{scratch}/files", api_requests_per_minute=1_000_000)
        app = build(settings)
        try:
            token = await seeded(app, args.listings)
            query = {"per_page": str(args.per_page)}
            headers = {"Authorization": f"Bearer {token}"}
            async with serve(create_app(app, run_workers=False)) as api_url, \
                    serve(bare_app(app, args.per_page)) as bare_url, \
                    client(args.inflight) as http:

                async def api(client: httpx.AsyncClient) -> httpx.Response:
                    return await client.get(f"{api_url}/api/v1/listings", params=query,
                                            headers=headers)

                async def bare(client: httpx.AsyncClient) -> httpx.Response:
                    return await client.get(f"{bare_url}/listings")

                first = (await bare(http)).json()["listings"]
                expected = [item["id"] for item in first]
                assert len(expected) == min(args.per_page, args.listings)
                assert (await api(http)).json()["listings"] == first  # the same rows
                ratios, api_rates, api_took = [], [], []
                for round_ in range(1, args.rounds + 1):
                    bare_rps, __ = await burst(bare, args.requests, args.inflight, expected)
                    api_rps, took = await burst(api, args.requests, args.inflight, expected)
                    ratios.append(api_rps / bare_rps)
                    api_rates.append(api_rps)
                    api_took += took
                    print(f"round {round_}: bare {bare_rps:.0f}/s, api {api_rps:.0f}/s")
        finally:
            await app.close()
    result = {"rps": statistics.median(api_rates), "p95_ms": percentile(api_took, 0.95) * 1000,
              "ratio": statistics.median(ratios)}
    print(f"api rps={result['rps']:.0f} p95_ms={result['p95_ms']:.1f} "
          f"ratio_vs_bare={result['ratio']:.2f}")
    return result


async def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=200)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--inflight", type=int, default=8)
    return await run(parser.parse_args(argv))


if __name__ == "__main__":
    asyncio.run(main())
