"""The points ledger: journals of entries that sum to zero, as the money ledger keeps money.

Points are issued from `platform:issued` into a member's `account:<id>` and spent into
`platform:redeemed`. A journal's key is unique (`ON CONFLICT (key) DO NOTHING`), so an event
posted twice earns once. Balances are sums of entries; no row holds a count.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text

from core.loyalty.rules import TIER_YEAR
from core.loyalty.tables import PointsEntry, PointsJournal
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import per_dialect

ISSUED, REDEEMED = "platform:issued", "platform:redeemed"
MAY_GO_NEGATIVE = {ISSUED}  # the source of every point


class UnbalancedPoints(ValueError):
    pass


class NotEnoughPoints(ValueError):
    pass


def member(account_id: int) -> str:
    return f"account:{account_id}"


@dataclass(frozen=True)
class Movement:
    when: datetime
    points: int
    kind: str
    reason: str


async def post(uow: UnitOfWork, key: str, kind: str, account_id: int, reason: str,
               legs: Sequence[tuple[str, int]]) -> int | None:
    """Record one journal; its id, or None when the key was recorded before."""
    if sum(points for _, points in legs):
        raise UnbalancedPoints(f"points do not sum to zero: {list(legs)}")
    conn = await uow.core()
    row = {"key": key, "kind": kind, "account_id": account_id, "reason": reason[:200],
           "created_at": uow.clock.now()}
    entries = [(holder, points) for holder, points in legs if points]
    if conn.dialect.name == "postgresql" and entries:  # journal and entries: one round trip
        row |= {f"{k}{n}": v for n, leg in enumerate(entries) for k, v in zip("hp", leg, strict=True)}
        journal = (await conn.execute(_posting(len(entries)), row)).scalar()
        if journal is None:
            return None
    else:
        journal = (await conn.execute(_JOURNAL[conn.dialect.name], row)).scalar()
        if journal is None:
            return None
        await conn.execute(_ENTRIES, [{"journal_id": journal, "holder": holder, "points": points}
                                      for holder, points in entries])
    for holder, points in legs:
        if points < 0 and holder not in MAY_GO_NEGATIVE and await balance(uow, holder) < 0:
            raise NotEnoughPoints(f"journal {key} would take {holder} below zero")
    return journal


# Built once, run on the transaction's connection: posting is on the path of every payment.
_JOURNALS = table_of(PointsJournal)
_JOURNAL = per_dialect(lambda insert: insert(_JOURNALS).values(
    {name: bindparam(name) for name in ("key", "kind", "account_id", "reason", "created_at")})
    .on_conflict_do_nothing().returning(_JOURNALS.c.id))
_ENTRIES = table_of(PointsEntry).insert()


@functools.cache
def _posting(entries: int) -> Any:
    # PostgreSQL: the journal (once per key) and its entries in one statement, per number of legs.
    values = ", ".join(f"(CAST(:h{n} AS VARCHAR), CAST(:p{n} AS INTEGER))" for n in range(entries))
    return text(
        "WITH journal AS (INSERT INTO points_journals (key, kind, account_id, reason, created_at) "
        "VALUES (:key, :kind, :account_id, :reason, :created_at) ON CONFLICT DO NOTHING "
        "RETURNING id), entries AS (INSERT INTO points_entries (journal_id, holder, points) "
        f"SELECT journal.id, legs.holder, legs.points FROM journal, (VALUES {values}) "
        "AS legs (holder, points)) SELECT id FROM journal")


async def earn(uow: UnitOfWork, key: str, kind: str, account_id: int, points: int,
               reason: str) -> bool:
    """Issue points to a member for one event; False when that event earned before."""
    return await post(uow, key, kind, account_id, reason,
                      [(ISSUED, -points), (member(account_id), points)]) is not None


async def balance(uow: UnitOfWork, holder: str) -> int:
    """The holder's points: the sum of its entries."""
    return int((await uow.session.execute(select(func.coalesce(func.sum(PointsEntry.points), 0))
                                          .where(PointsEntry.holder == holder))).scalar_one())


async def earned_since(uow: UnitOfWork, account_id: int, since: datetime) -> int:
    """Points earned (not spent) since a moment: what tiers are measured by."""
    stmt = (select(func.coalesce(func.sum(PointsEntry.points), 0))
            .join(PointsJournal, PointsJournal.id == PointsEntry.journal_id)
            .where(PointsEntry.holder == member(account_id), PointsEntry.points > 0,
                   PointsJournal.created_at >= since))
    return int((await uow.session.execute(stmt)).scalar_one())


async def earned_in_year(uow: UnitOfWork, account_id: int) -> int:
    return await earned_since(uow, account_id, uow.clock.now() - TIER_YEAR)


async def history(uow: UnitOfWork, account_id: int, limit: int = 10) -> list[Movement]:
    """The member's newest movements, with their reasons."""
    stmt = (select(PointsJournal.created_at, PointsEntry.points, PointsJournal.kind,
                   PointsJournal.reason)
            .join(PointsJournal, PointsJournal.id == PointsEntry.journal_id)
            .where(PointsEntry.holder == member(account_id))
            .order_by(PointsJournal.id.desc()).limit(limit))
    return [Movement(*row) for row in (await uow.session.execute(stmt)).all()]


async def has_kind(uow: UnitOfWork, account_id: int, kinds: Sequence[str]) -> bool:
    return (await uow.session.execute(select(PointsJournal.id).where(
        PointsJournal.account_id == account_id, PointsJournal.kind.in_(kinds)).limit(1))
    ).first() is not None


async def unbalanced_journals(uow: UnitOfWork) -> list[int]:
    """Journals whose entries do not sum to zero (should always be empty)."""
    return list((await uow.session.execute(select(PointsEntry.journal_id)
                                           .group_by(PointsEntry.journal_id)
                                           .having(func.sum(PointsEntry.points) != 0))).scalars())
