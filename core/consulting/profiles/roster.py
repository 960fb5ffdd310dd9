"""Consultants' profiles in storage, behind their use cases: a repository protocol (`Roster`)
and its SQL implementation on the unit of work (`SqlRoster`). The use cases in
`core.consulting.profiles.service` ask only this, so they run as well on an in-memory roster
(the tests' `MemoryRoster`, `tests/consulting/fakes.py`) as on the database;
`tests/consulting/test_roster_contract.py` runs one set of tests against both, so the two
cannot drift apart.

A profile is written in the form it is kept in (the fields of `ConsultantProfile`, checked by
`checks`) and read back as the frozen `ProfileView`. A roster lives inside one unit of work:
what it writes is committed, or rolled back, with the rest of the use case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import update

from core.accounts.tables import Account
from core.companies import billing as company_billing
from core.consulting.profiles.view import ProfileView, profile_view
from core.consulting.tables import ConsultantProfile
from core.events import Event
from core.operators import roles
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Member:
    """What a new profile takes from its consultant's account: where they live, what they pay in."""

    timezone: str | None
    currency: str | None


class Roster(Protocol):
    """What the profiles' use cases ask of storage, of who people are, and of the policy."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def online_for(self) -> timedelta:
        """How long “online now” lasts after the last activity (the booking policy's)."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account administers Agora (who may take any profile down)."""
        ...

    async def member(self, account_id: int) -> Member | None:
        """The account a profile would belong to; None when there is no such account."""
        ...

    async def billed(self, account_id: int) -> bool:
        """Whether the account's billing details (its receipts' issuer) are kept."""
        ...

    async def profile(self, account_id: int) -> ProfileView | None:
        ...

    async def create(self, fields: Mapping[str, Any]) -> ProfileView:
        """Store a new profile, every field given (`account_id` among them)."""
        ...

    async def change(self, account_id: int, fields: Mapping[str, Any]) -> ProfileView:
        """Write these fields of an existing profile; returns it as it now is."""
        ...

    async def add_rating(self, account_id: int, stars: int, at: datetime) -> None:
        """Count one more published rating of `stars` (nothing for a profile not kept)."""
        ...

    async def renew_online(self, account_id: int, now: datetime, until: datetime) -> bool:
        """Move “online now” on to `until` only if it still runs past `now` (a compare-and-set);
        whether it did."""
        ...

    def emit(self, event: Event) -> None:
        """An event, published with the unit of work's commit."""
        ...


class SqlRoster(SqlStore):
    """The roster in the database, inside `uow`'s transaction (the rows it writes are the ones
    the rest of the transaction reads: the unit of work's identity map)."""

    def online_for(self) -> timedelta:
        return self._uow.policy.booking.online_for

    async def is_admin(self, account_id: int) -> bool:
        return await roles.is_admin(self._uow, account_id)

    async def member(self, account_id: int) -> Member | None:
        account = await self._uow.get(Account, account_id)
        return Member(account.timezone, account.currency) if account is not None else None

    async def billed(self, account_id: int) -> bool:
        return not await company_billing.missing(self._uow, account_id)

    async def profile(self, account_id: int) -> ProfileView | None:
        row = await self._uow.get(ConsultantProfile, account_id)
        return profile_view(row) if row is not None else None

    async def create(self, fields: Mapping[str, Any]) -> ProfileView:
        return profile_view(await self._uow.insert(ConsultantProfile(**fields)))

    async def change(self, account_id: int, fields: Mapping[str, Any]) -> ProfileView:
        row = await self._uow.get(ConsultantProfile, account_id)
        assert row is not None, "a profile is changed once read"
        for name, value in fields.items():
            setattr(row, name, value)
        return profile_view(row)

    async def add_rating(self, account_id: int, stars: int, at: datetime) -> None:
        await self._uow.session.execute(update(ConsultantProfile).where(
            ConsultantProfile.account_id == account_id).values(
            stars_total=ConsultantProfile.stars_total + stars,
            ratings=ConsultantProfile.ratings + 1, updated_at=at))

    async def renew_online(self, account_id: int, now: datetime, until: datetime) -> bool:
        renewed = await self._uow.session.execute(update(ConsultantProfile).where(
            ConsultantProfile.account_id == account_id, ConsultantProfile.online_until > now)
            .values(online_until=until).execution_options(synchronize_session=False))
        return renewed.rowcount == 1  # type: ignore[attr-defined]

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def roster_of(uow: UnitOfWork | Roster) -> Roster:
    """The profiles' roster in this unit of work: the database's, or the roster given (a
    test's in-memory one)."""
    return store_of(uow, Roster, SqlRoster)
