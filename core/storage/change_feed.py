"""The catalogue change feed: which listings, sellers and consultant profiles changed, as rows
of one increasing sequence written in the changing transaction. Every worker follows it to keep
its in-process search indexes in step (PostgreSQL only: NOTIFY wakes the workers when the
transaction commits; the table lets a worker that missed notifications catch up).

Sequence numbers are taken in order but committed in any order, and a rolled-back transaction
leaves a hole, so a follower applies every row it has not applied yet and only moves its
settled mark past a missing number once that number has been missing for `GAP_WAIT` seconds."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, String, delete, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId
from core.storage.uow import UnitOfWork

CHANNEL = "agora_catalog"
GAP_WAIT = 10.0  # seconds a missing sequence number is waited for (a slow transaction)
KEEP = timedelta(days=2)  # changes older than this are pruned; a follower further behind reloads

Apply = Callable[[UnitOfWork, dict[str, set[int]]], Awaitable[None]]
Reload = Callable[[UnitOfWork], Awaitable[None]]


class CatalogChange(Base):
    """One change: `kind` is "listing", "account" (suspended or restored) or "consultant"."""

    __tablename__ = "catalog_changes"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(index=True)


_RECORD = text(
    "WITH c AS (INSERT INTO catalog_changes (kind, ref_id, created_at) "
    "VALUES (:kind, :ref_id, :at) RETURNING seq) "
    f"SELECT pg_notify('{CHANNEL}', seq::text) FROM c")


async def record(uow: UnitOfWork, kind: str, ref_ids: Iterable[int]) -> None:
    """Write changes in this transaction; their NOTIFY is delivered only if it commits."""
    conn = await uow.core()
    for ref_id in ref_ids:
        await conn.execute(_RECORD, {"kind": kind, "ref_id": ref_id, "at": uow.clock.now()})


async def prune(uow: UnitOfWork) -> None:
    """Forget changes every follower has long applied."""
    await uow.session.execute(delete(CatalogChange).where(
        CatalogChange.created_at < uow.clock.now() - KEEP))


class ChangeFeed:
    """A follower of the sequence: every change applied once, whatever the commit order."""

    def __init__(self, apply: Apply, reload: Reload, gap_wait: float = GAP_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.apply, self.reload = apply, reload
        self.gap_wait, self.clock = gap_wait, clock
        self.settled = 0  # every change up to this one has been applied (or given up on)
        self.applied: set[int] = set()  # changes above `settled` already applied
        self.gaps: dict[int, float] = {}  # a missing number -> when it was first missed

    async def start(self, uow: UnitOfWork) -> None:
        """Follow from now on: call before the indexes are loaded, so nothing falls between."""
        latest = (await uow.session.execute(select(func.max(CatalogChange.seq)))).scalar()
        self.settled, self.applied, self.gaps = latest or 0, set(), {}

    @property
    def waiting(self) -> bool:
        """Whether a missing number may still arrive (look again soon)."""
        return bool(self.gaps)

    async def catch_up(self, uow: UnitOfWork, after_outage: bool = False) -> int:
        """Apply the changes not applied yet; how many. After an outage, a follower whose next
        change was pruned reloads its indexes instead."""
        if after_outage and await self._pruned_past(uow):
            await self.start(uow)
            await self.reload(uow)
            return 0
        rows = (await uow.session.execute(
            select(CatalogChange.seq, CatalogChange.kind, CatalogChange.ref_id)
            .where(CatalogChange.seq > self.settled).order_by(CatalogChange.seq))).all()
        fresh = [row for row in rows if row.seq not in self.applied]
        if fresh:
            changes: dict[str, set[int]] = {}
            for row in fresh:
                changes.setdefault(row.kind, set()).add(row.ref_id)
            await self.apply(uow, changes)
            self.applied.update(row.seq for row in fresh)
        self._settle()
        return len(fresh)

    async def _pruned_past(self, uow: UnitOfWork) -> bool:
        oldest = (await uow.session.execute(select(func.min(CatalogChange.seq)))).scalar()
        return self.settled > 0 and oldest is not None and oldest > self.settled + 1

    def _settle(self) -> None:
        """Move the settled mark over applied changes and over gaps waited out."""
        now, mark = self.clock(), self.settled
        top = max(self.applied, default=mark)
        while mark < top:
            following = mark + 1
            if following in self.applied:
                self.applied.discard(following)
                self.gaps.pop(following, None)
            elif now - self.gaps.setdefault(following, now) >= self.gap_wait:
                del self.gaps[following]
            else:
                break
            mark = following
        self.settled = mark
