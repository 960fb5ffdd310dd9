"""Loyalty's book in memory (`core.loyalty.book.PointsBook`): the points ledger, the members and
the redemptions, so that loyalty's use cases run without a database. `test_book_contract.py`
holds it to what the SQL book does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.loyalty.book import Member, Movement, member

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass(frozen=True)
class Journal:
    id: int
    key: str
    kind: str
    account_id: int
    reason: str
    created_at: datetime
    legs: tuple[tuple[str, int], ...]  # those moving points


@dataclass
class Kept:
    """A redemption: what it was worth and what remains of it (minor units)."""

    account_id: int
    points: int
    currency: str
    value: int
    remaining: int
    last_reference: str | None = None
    used_at: datetime | None = None


@dataclass
class MemoryPointsBook:
    """Journals by key, members and redemptions in dicts, the clock standing still at `at`
    (tests move it)."""

    at: datetime = START
    journals: dict[str, Journal] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    redemptions: dict[int, Kept] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)  # members held for a redemption

    def now(self) -> datetime:
        return self.at

    async def record(self, key: str, kind: str, account_id: int, reason: str,
                     legs: Sequence[tuple[str, int]]) -> int | None:
        if key in self.journals:
            return None
        journal = Journal(len(self.journals) + 1, key, kind, account_id, reason, self.now(),
                          tuple((holder, points) for holder, points in legs if points))
        self.journals[key] = journal
        return journal.id

    def _legs(self, holder: str) -> list[tuple[Journal, int]]:
        return [(j, points) for j in self.journals.values() for h, points in j.legs if h == holder]

    async def balance(self, holder: str) -> int:
        return sum(points for __, points in self._legs(holder))

    async def earned_since(self, account_id: int, since: datetime) -> int:
        return sum(points for j, points in self._legs(member(account_id))
                   if points > 0 and j.created_at >= since)

    async def history(self, account_id: int, limit: int) -> list[Movement]:
        found = sorted(self._legs(member(account_id)), key=lambda leg: leg[0].id, reverse=True)
        return [Movement(j.created_at, points, j.kind, j.reason) for j, points in found[:limit]]

    async def has_kind(self, account_id: int, kinds: Sequence[str]) -> bool:
        return any(j.account_id == account_id and j.kind in kinds
                   for j in self.journals.values())

    async def unbalanced_journals(self) -> list[int]:
        return [j.id for j in self.journals.values()
                if j.legs and sum(points for __, points in j.legs)]

    async def enrol(self, account_id: int, code: str, *, lock: bool = False) -> Member:
        if lock:
            self.locked.add(account_id)
        return self.members.setdefault(account_id, Member(account_id, code, None))

    async def member_by_code(self, code: str) -> int | None:
        return next((m.account_id for m in self.members.values() if m.code == code), None)

    async def referrers(self, account_ids: Sequence[int]) -> dict[int, int | None]:
        return {a: self.members[a].referred_by for a in account_ids if a in self.members}

    async def refer(self, account_id: int, referrer: int) -> bool:
        found = self.members.get(account_id)
        if found is None or found.referred_by is not None:
            return False
        self.members[account_id] = Member(account_id, found.code, referrer)
        return True

    async def redeemed(self, account_id: int, points: int, currency: str, value: int) -> int:
        redemption_id = len(self.redemptions) + 1
        self.redemptions[redemption_id] = Kept(account_id, points, currency, value, value)
        return redemption_id

    async def pending(self, account_id: int) -> int:
        return sum(r.remaining for r in self.redemptions.values() if r.account_id == account_id)

    async def open_redemptions(self, account_id: int, currency: str) -> list[tuple[int, int]]:
        return [(i, r.remaining) for i, r in sorted(self.redemptions.items())
                if r.account_id == account_id and r.currency == currency and r.remaining > 0]

    async def use(self, redemption_id: int, was: int, left: int, reference: str) -> bool:
        found = self.redemptions.get(redemption_id)
        if found is None or found.remaining != was:
            return False
        found.remaining, found.last_reference, found.used_at = left, reference, self.now()
        return True
