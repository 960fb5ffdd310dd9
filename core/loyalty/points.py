"""The points ledger: journals of entries that sum to zero, as the money ledger keeps money.

Points are issued from `platform:issued` into a member's `account:<id>` and spent into
`platform:redeemed`. A journal's key is unique, so an event posted twice earns once. Balances
are sums of entries; no row holds a count. The entries are kept by loyalty's book
(`core.loyalty.book.PointsBook`): given the unit of work, the database's; given a book, that
one (the tests' in-memory book)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.loyalty.book import Movement, PointsBook, book_of, member
from core.loyalty.rules import TIER_YEAR
from core.storage.uow import UnitOfWork

__all__ = ["ISSUED", "REDEEMED", "Movement", "NotEnoughPoints", "UnbalancedPoints", "balance",
           "earn", "earned_in_year", "earned_since", "has_kind", "history", "member", "post",
           "unbalanced_journals"]

ISSUED, REDEEMED = "platform:issued", "platform:redeemed"
MAY_GO_NEGATIVE = {ISSUED}  # the source of every point


class UnbalancedPoints(ValueError):
    pass


class NotEnoughPoints(ValueError):
    pass


async def post(uow: UnitOfWork | PointsBook, key: str, kind: str, account_id: int, reason: str,
               legs: Sequence[tuple[str, int]]) -> int | None:
    """Record one journal; its id, or None when the key was recorded before. Refused when it
    does not balance, or takes a member below zero (the caller's transaction is then rolled
    back with what it wrote)."""
    if sum(points for _, points in legs):
        raise UnbalancedPoints(f"points do not sum to zero: {list(legs)}")
    book = book_of(uow)
    journal = await book.record(key, kind, account_id, reason[:200], legs)
    if journal is None:
        return None
    for holder, points in legs:
        if points < 0 and holder not in MAY_GO_NEGATIVE and await book.balance(holder) < 0:
            raise NotEnoughPoints(f"journal {key} would take {holder} below zero")
    return journal


async def earn(uow: UnitOfWork | PointsBook, key: str, kind: str, account_id: int, points: int,
               reason: str) -> bool:
    """Issue points to a member for one event; False when that event earned before."""
    return await post(uow, key, kind, account_id, reason,
                      [(ISSUED, -points), (member(account_id), points)]) is not None


async def balance(uow: UnitOfWork | PointsBook, holder: str) -> int:
    """The holder's points: the sum of its entries."""
    return await book_of(uow).balance(holder)


async def earned_since(uow: UnitOfWork | PointsBook, account_id: int, since: datetime) -> int:
    """Points earned (not spent) since a moment: what tiers are measured by."""
    return await book_of(uow).earned_since(account_id, since)


async def earned_in_year(uow: UnitOfWork | PointsBook, account_id: int) -> int:
    book = book_of(uow)
    return await book.earned_since(account_id, book.now() - TIER_YEAR)


async def history(uow: UnitOfWork | PointsBook, account_id: int, limit: int = 10
                  ) -> list[Movement]:
    """The member's newest movements, with their reasons."""
    return await book_of(uow).history(account_id, limit)


async def has_kind(uow: UnitOfWork | PointsBook, account_id: int, kinds: Sequence[str]) -> bool:
    return await book_of(uow).has_kind(account_id, kinds)


async def unbalanced_journals(uow: UnitOfWork | PointsBook) -> list[int]:
    """Journals whose entries do not sum to zero (should always be empty)."""
    return await book_of(uow).unbalanced_journals()
