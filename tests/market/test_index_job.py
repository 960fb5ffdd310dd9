"""The weekly price-index job on the database (SQLite and PostgreSQL): each ended week stored
once with its value, a week of too few parties stored as not published, a rerun storing and
telling nothing twice, and a follower told the newest week once, in their language."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from sqlalchemy import select

from core.indices.definitions import INDICES
from core.indices.tables import IndexValue
from core.market import index_follow
from core.market.index_publish import publish_due
from core.market.index_rules import FIRST_WEEKS
from tests.market.helpers import baltic_pellets, index_trade
from tests.support.outbox import told_texts

WEEK_45 = datetime(2026, 11, 4, 12, tzinfo=UTC)  # the app's clock stands on 20 Nov (week 47)
WEEK_46 = datetime(2026, 11, 11, 12, tzinfo=UTC)
BALTIC = INDICES["pellets-a1-baltic-fca"]


async def _weeks(app) -> dict[date, IndexValue]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(IndexValue).where(
            IndexValue.index_code == BALTIC.code))).scalars()
        return {r.week: r for r in rows}


async def test_the_job_stores_each_ended_week_once_and_tells_a_follower_once(app):
    ids = await baltic_pellets(app, {WEEK_45: ["200", "210", "220"],
                                     WEEK_46: ["210", "212", "214"]})
    # A DAP deal and one far from the week's prices are not in week 46's value.
    await index_trade(app, ids["listing0"], ids["buyer1"], "400", 10, WEEK_46)
    await index_trade(app, ids["listing0"], ids["buyer1"], "150", 10, WEEK_46, incoterm="DAP")
    async with app.uow() as uow:
        await index_follow.follow(uow, ids["buyer0"], BALTIC)
        await index_follow.follow(uow, ids["buyer0"], BALTIC)  # twice is once
        await uow.commit()

    stored = await publish_due(app.uow)
    assert stored == FIRST_WEEKS * len(INDICES)
    weeks = await _weeks(app)
    w45, w46 = weeks[date(2026, 11, 2)], weeks[date(2026, 11, 9)]
    assert (w45.per_t_minor, w45.per_mwh_minor, w45.deals) == (21000, 4375, 3)  # 210 ÷ 4.8
    assert (w46.per_t_minor, w46.deals, w46.dropped, w46.tonnes_milli) == (21200, 3, 1, 30000)
    assert weeks[date(2026, 10, 26)].per_t_minor is None  # no trades
    assert date(2026, 11, 16) not in weeks  # the running week waits for its end
    [notice] = await told_texts(app, ids["buyer0"], "ENplus A1")
    assert notice == ("📈 Wood pellets ENplus A1, Baltic, FCA, week of 9 Nov 2026: "  # a Latvian's
                      "212,00\xa0€/t · 44,17\xa0€/MWh; +1% on the week before. 30 t in 3 trades.")

    app.clock.advance(days=7)  # week 47 ended: one seller alone traded
    await index_trade(app, ids["listing0"], ids["buyer0"], "230", 30,
                      datetime(2026, 11, 18, 12, tzinfo=UTC))
    # Two runs at once (a second leader) store each week once between them; a rerun, nothing.
    assert sum(await asyncio.gather(publish_due(app.uow), publish_due(app.uow))) == len(INDICES)
    assert await publish_due(app.uow) == 0
    w47 = (await _weeks(app))[date(2026, 11, 16)]
    assert (w47.per_t_minor, w47.unpublished) == (None, "few-parties")
    assert len(await told_texts(app, ids["buyer0"], "ENplus A1")) == 1  # nothing new told
