"""The weekly job: each index's ended weeks computed once and stored for good, and the
followers told of a published week. Idempotent per (index, week): the row's primary key is
the claim, so a rerun, a late run or a second worker stores and tells nothing twice.

Revision policy: a stored week is never recomputed or changed. A trade recorded after its
week was computed (it cannot be, but for a correction by hand) does not move that week."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core.indices.definitions import INDICES, IndexDef
from core.indices.tables import IndexValue
from core.market import index_follow
from core.market.index_rules import week_value, weeks_due
from core.market.index_trades import trades_of
from core.market.index_view import index_view
from core.storage.uow import UnitOfWork, UowFactory
from core.storage.upsert import dialect_insert


async def publish_due(uow_factory: UowFactory) -> int:
    """Every index's ended weeks not yet stored (one transaction per index); how many stored."""
    stored = 0
    for index in INDICES.values():
        async with uow_factory() as uow:
            last = (await uow.session.execute(select(func.max(IndexValue.week)).where(
                IndexValue.index_code == index.code))).scalar()
            due = weeks_due(last, uow.clock.now())
            for week in due:  # followers hear of the newest week only, not of a backlog
                stored += await publish_week(uow, index, week, tell=week == due[-1])
            await uow.commit()
    return stored


async def publish_week(uow: UnitOfWork, index: IndexDef, week: date, *, tell: bool = True
                       ) -> bool:
    """Compute and store one week (False: it was stored already); a published latest week is
    told to the index's followers in the same transaction."""
    value = week_value(await trades_of(uow, index, week))
    inserted = await uow.session.execute(dialect_insert(uow, IndexValue).values(
        index_code=index.code, week=week, currency=index.currency,
        per_t_minor=value.per_t_minor, per_mwh_minor=value.per_mwh_minor,
        tonnes_milli=int(value.tonnes * 1000), deals=value.deals, dropped=value.dropped,
        unpublished=value.unpublished.value if value.unpublished else None,
        published_at=uow.clock.now()).on_conflict_do_nothing())
    if inserted.rowcount != 1:  # type: ignore[attr-defined]
        return False
    if tell and value.per_t_minor is not None:
        view = await index_view(uow, index.code)
        if view.latest is not None and view.latest.week == week:
            await index_follow.tell_followers(uow, view)
    return True
