"""The carbon records' storage: a protocol (`CarbonBook`) and its SQL implementation on the unit
of work (`SqlCarbonBook`), as loyalty's `PointsBook` is. The tests' `MemoryCarbonBook`
(`tests/deals/carbon_fakes.py`) runs the use cases without a database, and
`tests/deals/test_carbon_book_contract.py` holds the two alike. A record is kept once per deal:
the unique key decides, so a completion handled twice (or two at once) keeps one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import or_, select

from core.accounts.tables import Account
from core.deals.carbon.tables import CarbonRecord
from core.deals.carbon.totals import CarbonEntry
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert


class CarbonBook(Protocol):
    """What the carbon use cases ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def keep(self, entry: CarbonEntry) -> bool:
        """Keep the deal's record unless it has one; False then (nothing is written)."""
        ...

    async def entries(self, account_id: int) -> list[CarbonEntry]:
        """The records of the member's deals, as buyer or seller, oldest first."""
        ...

    async def shown_publicly(self, account_id: int) -> bool:
        """Whether the member lets the public site show their figure (off by default)."""
        ...


def _entry(row: CarbonRecord) -> CarbonEntry:
    return CarbonEntry(row.deal_id, row.buyer_id, row.seller_id, row.product_type,
                       Decimal(row.quantity_milli) / 1000, row.unit,
                       Decimal(row.energy_mwh_per_unit), row.end_use,
                       Decimal(row.comparator_g_mj), Decimal(row.product_g_mj),
                       Decimal(row.avoided_g) / 1000, row.completed_at)


class SqlCarbonBook(SqlStore):
    """The book in the database, inside `uow`'s transaction."""

    async def keep(self, entry: CarbonEntry) -> bool:
        done = await self._uow.session.execute(dialect_insert(self._uow, CarbonRecord).values(
            deal_id=entry.deal_id, buyer_id=entry.buyer_id, seller_id=entry.seller_id,
            product_type=entry.product_type, quantity_milli=int(entry.quantity * 1000),
            unit=entry.unit, energy_mwh_per_unit=str(entry.energy_mwh_per_unit),
            end_use=entry.end_use, comparator_g_mj=str(entry.comparator_g_mj),
            product_g_mj=str(entry.product_g_mj), avoided_g=int(entry.avoided_kg * 1000),
            completed_at=entry.completed_at, created_at=self.now(),
        ).on_conflict_do_nothing(index_elements=["deal_id"]))
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def entries(self, account_id: int) -> list[CarbonEntry]:
        rows = (await self._uow.session.execute(select(CarbonRecord).where(or_(
            CarbonRecord.buyer_id == account_id, CarbonRecord.seller_id == account_id))
            .order_by(CarbonRecord.completed_at, CarbonRecord.deal_id))).scalars()
        return [_entry(row) for row in rows]

    async def shown_publicly(self, account_id: int) -> bool:
        return bool((await self._uow.session.execute(select(Account.carbon_public).where(
            Account.id == account_id))).scalar_one_or_none())


def carbon_book_of(uow: UnitOfWork | CarbonBook) -> CarbonBook:
    """The carbon book in this unit of work: the database's, or the book given (a test's)."""
    return store_of(uow, CarbonBook, SqlCarbonBook)
