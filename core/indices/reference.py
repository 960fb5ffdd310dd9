"""The value an indexed contract's call-off is priced from: the index's latest published week
at the moment the call-off is made (weeks are published only once ended, so it is the last
full week published before). None when the index has published no week yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from core.indices.definitions import INDICES, IndexDef
from core.indices.tables import IndexValue
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Reference:
    index: IndexDef
    week: date  # its Monday
    per_t: Money


async def reference(uow: UnitOfWork, code: str) -> Reference | None:
    """The index's latest published week that has ended by now, with its value per tonne."""
    index = INDICES.get(code)
    if index is None:
        return None
    ended_by = uow.clock.now().date() - timedelta(weeks=1)
    row = (await uow.session.execute(select(IndexValue.week, IndexValue.per_t_minor).where(
        IndexValue.index_code == code, IndexValue.per_t_minor.is_not(None),
        IndexValue.week <= ended_by).order_by(IndexValue.week.desc()).limit(1))).first()
    if row is None or row.per_t_minor is None:
        return None
    return Reference(index, row.week, Money(row.per_t_minor, index.currency))
