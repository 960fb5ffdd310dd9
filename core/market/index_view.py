"""The price indices' read models: an index's weeks as published (typed: Money per tonne and
per MWh, tonnes, counts), its latest value and the change on the week before. The site's
pages, the CSV, the chart and the chat's card and notices all draw from these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from core.errors import NotFound
from core.i18n import _
from core.indices.definitions import BY_NUMBER, INDICES, IndexDef
from core.indices.tables import IndexValue
from core.market.index_rules import Unpublished, change_percent
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class IndexWeek:
    """One computed week: its values when published, else why not."""

    week: date  # its Monday
    per_t: Money | None
    per_mwh: Money | None
    tonnes: Decimal
    deals: int
    dropped: int
    unpublished: Unpublished | None
    published_at: datetime

    @property
    def published(self) -> bool:
        return self.per_t is not None


@dataclass(frozen=True)
class IndexView:
    index: IndexDef
    weeks: list[IndexWeek]  # oldest first

    @property
    def history(self) -> list[IndexWeek]:
        """The weeks from the first with any trade on (the weeks before it say nothing)."""
        first = next((i for i, w in enumerate(self.weeks)
                      if w.unpublished != Unpublished.NO_TRADES), len(self.weeks))
        return self.weeks[first:]

    @property
    def published(self) -> list[IndexWeek]:
        return [w for w in self.weeks if w.published]

    @property
    def latest(self) -> IndexWeek | None:
        found = self.published
        return found[-1] if found else None

    @property
    def change(self) -> Decimal | None:
        """The latest value against the published week just before it (a fraction)."""
        found = self.published
        if len(found) < 2 or found[-1].week.toordinal() - found[-2].week.toordinal() != 7:
            return None
        latest, previous = found[-1].per_t, found[-2].per_t
        assert latest is not None and previous is not None
        return change_percent(latest.amount, previous.amount)


def _week(row: IndexValue) -> IndexWeek:
    def money(minor: int | None) -> Money | None:
        return None if minor is None else Money(minor, row.currency)

    return IndexWeek(row.week, money(row.per_t_minor), money(row.per_mwh_minor),
                     Decimal(row.tonnes_milli) / 1000, row.deals, row.dropped,
                     Unpublished(row.unpublished) if row.unpublished else None, row.published_at)


def definition(code: str) -> IndexDef:
    """The index at this address (its code) or chat argument (its number)."""
    found = INDICES.get(code) or (BY_NUMBER.get(int(code)) if code.isdigit() else None)
    if found is None:
        raise NotFound(_("There is no such index."))
    return found


async def index_view(uow: UnitOfWork, code: str) -> IndexView:
    """One index with every computed week."""
    index = definition(code)
    rows = (await uow.session.execute(select(IndexValue).where(
        IndexValue.index_code == index.code).order_by(IndexValue.week))).scalars()
    return IndexView(index, [_week(r) for r in rows])


async def all_views(uow: UnitOfWork) -> list[IndexView]:
    """Every index, in the order they are defined."""
    rows = (await uow.session.execute(select(IndexValue).order_by(IndexValue.week))).scalars()
    weeks: dict[str, list[IndexWeek]] = {code: [] for code in INDICES}
    for row in rows:
        if row.index_code in weeks:
            weeks[row.index_code].append(_week(row))
    return [IndexView(INDICES[code], found) for code, found in weeks.items()]
