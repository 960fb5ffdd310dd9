"""The directory's storage, behind its search: a repository protocol (`Listing`) and its SQL
implementation on the unit of work (`SqlListing`). `core.consulting.profiles.directory` asks
only this, so the search, its filters, sorts and featured places run as well on an in-memory
listing (the tests' `MemoryListing`, `tests/consulting/fakes.py`) as on the database;
`tests/consulting/test_listing_contract.py` holds the two alike.

The directory reads what changes rarely once per profile change (`live`, the market's
reputation) and what changes by the minute per search (who is online, who is booked, who is
featured); the impressions it counts are written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.consulting.bookings import slots
from core.consulting.profiles import promotions
from core.consulting.profiles.view import Listed, listed
from core.consulting.tables import ConsultantProfile
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork

Span = tuple[datetime, datetime]


class Listing(Protocol):
    """What the directory asks of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def reputation_totals(self) -> tuple[int, int]:
        """Every profile's stars and ratings added up: the market's mean, for the ranking."""
        ...

    async def live(self, ids: set[int] | None) -> list[Listed]:
        """The live profiles of unsuspended accounts (among `ids`, or all), in account order:
        equal relevance then ranks the older consultant first on every database."""
        ...

    async def changed_since(self, since: datetime) -> set[int]:
        """The profiles updated at or after `since` (live or not)."""
        ...

    async def online(self, ids: list[int], now: datetime) -> set[int]:
        """Those of `ids` whose “online now” runs past `now`."""
        ...

    async def busy(self, ids: list[int], start: datetime, end: datetime) -> dict[int, list[Span]]:
        """Each consultant's held times (and calendars' busy times) overlapping [start, end)."""
        ...

    async def featured(self, ids: Iterable[int], category: str | None) -> dict[int, int]:
        """Consultant id → the running promotion that features them (in `category`, or any);
        of two, the one that ends last."""
        ...

    async def shown(self, promotion_ids: list[int]) -> None:
        """These promotions were shown featured once more."""
        ...

    async def viewed(self, consultant_id: int) -> None:
        """The consultant's profile page was viewed: each of their running promotions counts
        it."""
        ...


class SqlListing(SqlStore):
    """The listing in the database, inside `uow`'s transaction."""

    async def reputation_totals(self) -> tuple[int, int]:
        total, count = (await self._uow.session.execute(select(
            func.coalesce(func.sum(ConsultantProfile.stars_total), 0),
            func.coalesce(func.sum(ConsultantProfile.ratings), 0)))).one()
        return int(total), int(count)

    async def live(self, ids: set[int] | None) -> list[Listed]:
        query = select(ConsultantProfile, Account.display_name).join(
            Account, Account.id == ConsultantProfile.account_id).where(
            ConsultantProfile.live.is_(True), Account.suspended_at.is_(None))
        if ids is not None:
            query = query.where(ConsultantProfile.account_id.in_(ids))
        # PostgreSQL returns a join in no set order.
        query = query.order_by(ConsultantProfile.account_id)
        return [listed(p, n) for p, n in (await self._uow.session.execute(query)).all()]

    async def changed_since(self, since: datetime) -> set[int]:
        changed = select(ConsultantProfile.account_id).where(ConsultantProfile.updated_at >= since)
        return set((await self._uow.session.execute(changed)).scalars())

    async def online(self, ids: list[int], now: datetime) -> set[int]:
        if not ids:
            return set()
        return set((await self._uow.session.execute(select(ConsultantProfile.account_id).where(
            ConsultantProfile.account_id.in_(ids), ConsultantProfile.online_until > now)))
            .scalars())

    async def busy(self, ids: list[int], start: datetime, end: datetime) -> dict[int, list[Span]]:
        return await slots.busy_of_many(self._uow, ids, start, end)

    async def featured(self, ids: Iterable[int], category: str | None) -> dict[int, int]:
        return await promotions.running(self._uow, ids, category)

    async def shown(self, promotion_ids: list[int]) -> None:
        await promotions.shown(self._uow, promotion_ids)

    async def viewed(self, consultant_id: int) -> None:
        await promotions.viewed(self._uow, consultant_id)


def listing_of(uow: UnitOfWork | Listing) -> Listing:
    """The directory's listing in this unit of work: the database's, or the listing given (a
    test's in-memory one), or the one a test's engine in memory holds."""
    return store_of(uow, Listing, SqlListing)
