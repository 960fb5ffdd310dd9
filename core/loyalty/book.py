"""Loyalty's storage, behind its use cases: a repository protocol (`PointsBook`) and its SQL
implementation on the unit of work (`SqlPointsBook`), as the learning context's `Shelf` is
(`core.learning.shelf`). The book holds the points ledger (journals of legs, once per key),
the members (a referral code, a referrer) and the redemptions waiting to come off a commission.
The use cases in `core.loyalty.points`, `earning` and `service` ask only this; the tests'
`MemoryPointsBook` (`tests/loyalty/fakes.py`) runs them without a database, and
`tests/loyalty/test_book_contract.py` holds the two alike.

The rules stay with the use cases: a journal balances, a member never goes below zero, a
redemption is worth so much. The book records what it is given; its guarded writes (a journal
once per key, a referrer set once, what remains of a redemption taken once) answer whether they
wrote. It lives inside one unit of work (`async with uow:` … `await uow.commit()` stays the
caller's)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select, text, update

from core.loyalty.tables import LoyaltyMember, PointsEntry, PointsJournal, Redemption
from core.storage.stores import SqlStore, store_of
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert, per_dialect


@dataclass(frozen=True)
class Movement:
    when: datetime
    points: int
    kind: str
    reason: str


@dataclass(frozen=True)
class Member:
    """A member of the loyalty scheme: their referral code and who referred them."""

    account_id: int
    code: str
    referred_by: int | None


class PointsBook(Protocol):
    """What loyalty's use cases ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def record(self, key: str, kind: str, account_id: int, reason: str,
                     legs: Sequence[tuple[str, int]]) -> int | None:
        """A journal and its legs (those moving points), now; its id, or None when a journal
        with this key was recorded before (then nothing is written)."""
        ...

    async def balance(self, holder: str) -> int:
        """The sum of the holder's legs."""
        ...

    async def earned_since(self, account_id: int, since: datetime) -> int:
        """The member's legs into their account (points > 0) in journals from `since` on."""
        ...

    async def history(self, account_id: int, limit: int) -> list[Movement]:
        """The member's legs, the newest journal first."""
        ...

    async def has_kind(self, account_id: int, kinds: Sequence[str]) -> bool:
        """Whether a journal of one of these kinds is about the account."""
        ...

    async def unbalanced_journals(self) -> list[int]:
        """Journals whose legs do not sum to zero."""
        ...

    async def enrol(self, account_id: int, code: str, *, lock: bool = False) -> Member:
        """The member, made with `code` unless they are one already (safe when two make them
        at once); `lock` holds them until commit, so their redemptions queue."""
        ...

    async def member_by_code(self, code: str) -> int | None:
        """The account whose referral code this is."""
        ...

    async def referrers(self, account_ids: Sequence[int]) -> dict[int, int | None]:
        """Member → who referred them, for those of the accounts who are members."""
        ...

    async def refer(self, account_id: int, referrer: int) -> bool:
        """Set the member's referrer, only if they have none: False otherwise."""
        ...

    async def redeemed(self, account_id: int, points: int, currency: str, value: int) -> int:
        """A redemption, its whole value (minor units) remaining; its id."""
        ...

    async def pending(self, account_id: int) -> int:
        """What the member's redemptions have remaining, together (minor units)."""
        ...

    async def open_redemptions(self, account_id: int, currency: str) -> list[tuple[int, int]]:
        """(id, remaining) of the member's redemptions in `currency` with some left, oldest
        first."""
        ...

    async def use(self, redemption_id: int, was: int, left: int, reference: str) -> bool:
        """What remains goes from `was` to `left` for this payment, only if it still was `was`
        (two payments never use the same euro): False otherwise."""
        ...


_JOURNALS = table_of(PointsJournal)
# Built once, run on the transaction's connection: posting is on the path of every payment.
_JOURNAL = per_dialect(lambda insert: insert(_JOURNALS).values(
    {name: bindparam(name) for name in ("key", "kind", "account_id", "reason", "created_at")})
    .on_conflict_do_nothing().returning(_JOURNALS.c.id))
_ENTRIES = table_of(PointsEntry).insert()
_REDEMPTIONS = table_of(Redemption)
_WAITING = (select(_REDEMPTIONS.c.id, _REDEMPTIONS.c.remaining)
            .where(_REDEMPTIONS.c.account_id == bindparam("r_account"),
                   _REDEMPTIONS.c.currency == bindparam("r_currency"),
                   _REDEMPTIONS.c.remaining > 0).order_by(_REDEMPTIONS.c.id))
_USE = (update(_REDEMPTIONS).where(_REDEMPTIONS.c.id == bindparam("r_id"),
                                   _REDEMPTIONS.c.remaining == bindparam("r_was"))
        .values(remaining=bindparam("r_left"), last_reference=bindparam("r_reference"),
                used_at=bindparam("r_at")))


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


@functools.cache
def _referrers(parties: int) -> Any:
    # Built once per number of parties (two, for every deal and session that completes).
    members = table_of(LoyaltyMember)
    return select(members.c.account_id, members.c.referred_by).where(
        members.c.account_id.in_([bindparam(f"id{n}") for n in range(parties)]))


class SqlPointsBook(SqlStore):
    """The book in the database, inside `uow`'s transaction."""

    async def record(self, key: str, kind: str, account_id: int, reason: str,
                     legs: Sequence[tuple[str, int]]) -> int | None:
        conn = await self._uow.core()
        row = {"key": key, "kind": kind, "account_id": account_id, "reason": reason,
               "created_at": self.now()}
        entries = [(holder, points) for holder, points in legs if points]
        if conn.dialect.name == "postgresql" and entries:  # journal and entries: one round trip
            row |= {f"{k}{n}": v for n, leg in enumerate(entries)
                    for k, v in zip("hp", leg, strict=True)}
            journal: int | None = (await conn.execute(_posting(len(entries)), row)).scalar()
            return journal
        journal = (await conn.execute(_JOURNAL[conn.dialect.name], row)).scalar()
        if journal is None:
            return None
        await conn.execute(_ENTRIES, [{"journal_id": journal, "holder": holder, "points": points}
                                      for holder, points in entries])
        return journal

    async def balance(self, holder: str) -> int:
        return int((await self._uow.session.execute(select(func.coalesce(
            func.sum(PointsEntry.points), 0)).where(PointsEntry.holder == holder))).scalar_one())

    async def earned_since(self, account_id: int, since: datetime) -> int:
        stmt = (select(func.coalesce(func.sum(PointsEntry.points), 0))
                .join(PointsJournal, PointsJournal.id == PointsEntry.journal_id)
                .where(PointsEntry.holder == member(account_id), PointsEntry.points > 0,
                       PointsJournal.created_at >= since))
        return int((await self._uow.session.execute(stmt)).scalar_one())

    async def history(self, account_id: int, limit: int) -> list[Movement]:
        stmt = (select(PointsJournal.created_at, PointsEntry.points, PointsJournal.kind,
                       PointsJournal.reason)
                .join(PointsJournal, PointsJournal.id == PointsEntry.journal_id)
                .where(PointsEntry.holder == member(account_id))
                .order_by(PointsJournal.id.desc()).limit(limit))
        return [Movement(*row) for row in (await self._uow.session.execute(stmt)).all()]

    async def has_kind(self, account_id: int, kinds: Sequence[str]) -> bool:
        return (await self._uow.session.execute(select(PointsJournal.id).where(
            PointsJournal.account_id == account_id, PointsJournal.kind.in_(kinds)).limit(1))
        ).first() is not None

    async def unbalanced_journals(self) -> list[int]:
        return list((await self._uow.session.execute(
            select(PointsEntry.journal_id).group_by(PointsEntry.journal_id)
            .having(func.sum(PointsEntry.points) != 0))).scalars())

    async def enrol(self, account_id: int, code: str, *, lock: bool = False) -> Member:
        # PostgreSQL locks with FOR UPDATE; SQLite's write lock is taken at BEGIN IMMEDIATE.
        await self._uow.session.execute(dialect_insert(self._uow, LoyaltyMember).values(
            account_id=account_id, code=code, created_at=self.now()).on_conflict_do_nothing())
        stmt = select(LoyaltyMember).where(LoyaltyMember.account_id == account_id)
        if lock:
            stmt = stmt.with_for_update()
        row = (await self._uow.session.execute(
            stmt.execution_options(populate_existing=True))).scalar_one()
        return Member(row.account_id, row.code, row.referred_by)

    async def member_by_code(self, code: str) -> int | None:
        return (await self._uow.session.execute(select(LoyaltyMember.account_id).where(
            LoyaltyMember.code == code))).scalar_one_or_none()

    async def referrers(self, account_ids: Sequence[int]) -> dict[int, int | None]:
        return dict((await (await self._uow.core()).execute(  # all in one read
            _referrers(len(account_ids)), {f"id{n}": a for n, a in enumerate(account_ids)}))
            .all())

    async def refer(self, account_id: int, referrer: int) -> bool:
        moved = await self._uow.session.execute(update(LoyaltyMember).where(
            LoyaltyMember.account_id == account_id, LoyaltyMember.referred_by.is_(None))
            .values(referred_by=referrer))
        return bool(moved.rowcount == 1)  # type: ignore[attr-defined]

    async def redeemed(self, account_id: int, points: int, currency: str, value: int) -> int:
        row = Redemption(account_id=account_id, points=points, currency=currency, value=value,
                         remaining=value, created_at=self.now())
        return (await self._uow.insert(row)).id

    async def pending(self, account_id: int) -> int:
        return int((await self._uow.session.execute(select(func.coalesce(
            func.sum(Redemption.remaining), 0)).where(Redemption.account_id == account_id))
        ).scalar_one())

    async def open_redemptions(self, account_id: int, currency: str) -> list[tuple[int, int]]:
        # Asked at every release: Core statements built once, on the transaction's connection.
        rows = await (await self._uow.core()).execute(_WAITING, {"r_account": account_id,
                                                                  "r_currency": currency})
        return [(redemption_id, remaining) for redemption_id, remaining in rows.all()]

    async def use(self, redemption_id: int, was: int, left: int, reference: str) -> bool:
        moved = await (await self._uow.core()).execute(_USE, {
            "r_id": redemption_id, "r_was": was, "r_left": left, "r_reference": reference,
            "r_at": self.now()})
        return bool(moved.rowcount == 1)


def member(account_id: int) -> str:
    """A member's holder on the ledger."""
    return f"account:{account_id}"


def book_of(uow: UnitOfWork | PointsBook) -> PointsBook:
    """Loyalty's book in this unit of work: the database's, or the book given (a test's
    in-memory one)."""
    return store_of(uow, PointsBook, SqlPointsBook)

