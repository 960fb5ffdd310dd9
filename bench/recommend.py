"""Recommendations benchmark: hit rate of held-out deals on the demo data, against popularity.

    python bench/recommend.py [--listings 240]

Seeds a scratch SQLite database as `agora demo seed` does (sellers and listings across Europe,
then demo buyers with a year of closed deals, bots/demo_buyers.py). For every buyer with at
least two deals, the latest deal is held out: the recommender reads only what happened before
it (deals, searches, saved searches, watchlist, sessions — `before=`), with the clock at that
moment, and proposes 5 listings. A hit is the held-out deal's listing among them. The baseline,
in the same process on the same data: the 5 listings bought most often in every deal but the
held-out ones (the same 5 for everyone).

The last line is `recommend users=… hit_rate_at_5=… baseline_popular_hit_rate_at_5=… ratio=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.escrow import fresh_schema
from bots.demo import seed
from config.container import build
from config.settings import Settings
from core.catalog.media import FileStore
from core.deals.tables import Deal
from core.recommend.picks import recommend

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
K = 5


class Clock:
    """A clock the benchmark sets to each held-out deal's moment."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def main(argv: list[str] | None = None) -> tuple[int, float, float]:
    args = _args(argv)
    folder = tempfile.mkdtemp(prefix="agora-bench-recommend-")
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    await fresh_schema(url)
    clock = Clock(NOW)
    app = build(Settings(database_url=url, environment="test", data_dir=folder),  # type: ignore[call-arg]
                clock=clock)
    try:
        async with app.uow() as uow:
            await seed(uow, FileStore(folder), count=args.listings)  # with the demo buyers
            await uow.commit()
        async with app.uow() as uow:
            deals = list((await uow.session.execute(
                select(Deal.id, Deal.buyer_id, Deal.listing_id, Deal.created_at)
                .order_by(Deal.buyer_id, Deal.created_at, Deal.id))).all())
        held = _held_out(deals)
        popular = Counter(d.listing_id for d in deals if d.id not in {h.id for h in held})
        top = [listing for listing, _ in popular.most_common(K)]
        hits = base_hits = 0
        for deal in held:
            clock.at = deal.created_at
            async with app.uow() as uow:
                picks = await recommend(uow, deal.buyer_id, limit=K, consultants=0,
                                        before=deal.created_at)
            hits += deal.listing_id in {p.item_id for p in picks}
            base_hits += deal.listing_id in top
    finally:
        await app.close()
    users = len(held)
    rate, base = hits / max(1, users), base_hits / max(1, users)
    ratio = f"{rate / base:.2f}" if base else "inf"
    print(f"recommend users={users} hit_rate_at_{K}={rate:.3f} "
          f"baseline_popular_hit_rate_at_{K}={base:.3f} ratio={ratio}")
    return users, rate, base


def _held_out(deals: list[Any]) -> list[Any]:
    """Each buyer's latest deal, for buyers with at least two."""
    by_buyer: dict[int, list[Any]] = {}
    for deal in deals:
        by_buyer.setdefault(deal.buyer_id, []).append(deal)
    return [rows[-1] for rows in by_buyer.values() if len(rows) >= 2]


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=240)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main())
