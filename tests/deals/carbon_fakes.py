"""The carbon records' book in memory (`core.deals.carbon.book.CarbonBook`), so the totals and
the statement's read run without a database; `test_carbon_book_contract.py` holds it to the SQL
book."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.deals.carbon.totals import CarbonEntry

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass
class MemoryCarbonBook:
    """Records by deal, who shows their figure publicly, the clock standing still at `at`."""

    at: datetime = START
    records: dict[int, CarbonEntry] = field(default_factory=dict)
    public: set[int] = field(default_factory=set)

    def now(self) -> datetime:
        return self.at

    async def keep(self, entry: CarbonEntry) -> bool:
        if entry.deal_id in self.records:
            return False
        self.records[entry.deal_id] = entry
        return True

    async def entries(self, account_id: int) -> list[CarbonEntry]:
        return sorted((e for e in self.records.values()
                       if account_id in (e.buyer_id, e.seller_id)),
                      key=lambda e: (e.completed_at, e.deal_id))

    async def shown_publicly(self, account_id: int) -> bool:
        return account_id in self.public
