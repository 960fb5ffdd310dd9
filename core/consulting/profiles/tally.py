"""What a consultant's figures are read from, behind `metrics.consultant_metrics`: a
repository protocol (`Tally`), as the sessions' `Logbook` is. `SqlTally` reads the sessions,
reviews and bookings inside the caller's unit of work; the tests' `MemoryTally`
(`tests/consulting/session_fakes.py`) reads an in-memory logbook, and
`tests/consulting/test_tally_contract.py` holds the two alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.consulting.profiles.figures import Held, Review
from core.consulting.sessions.lifecycle import ENDED
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.consulting.tables import Booking
from core.money.model import CommissionRule
from core.operators.roles import is_admin
from core.storage.stores import SqlStore
from core.storage.uow import UnitOfWork


class Tally(Protocol):
    """What the figures ask of storage, of who is an admin, of the policy and the clock."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def commission(self) -> CommissionRule:
        """The consulting market's commission (none when the policy names none)."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account is an administrator."""
        ...

    async def held(self, consultant_id: int) -> list[Held]:
        """The consultant's sessions that took place, the earliest ended first."""
        ...

    async def reviews(self, consultant_id: int) -> list[Review]:
        """The stars of the consultant's reviews and when they were written."""
        ...

    async def requests(self, consultant_id: int) -> tuple[int, list[timedelta]]:
        """Requests received (every booking asked of the consultant) and the times taken to
        confirm the ones they confirmed."""
        ...

    async def account(self, account_id: int) -> tuple[str | None, str | None]:
        """The account's time zone and currency, as it set them (None when it did not)."""
        ...


class SqlTally(SqlStore):
    """The tally in the database, inside `uow`'s transaction."""

    def commission(self) -> CommissionRule:
        return self._uow.policy.commission.get("consulting", CommissionRule(Decimal(0)))

    async def is_admin(self, account_id: int) -> bool:
        return await is_admin(self._uow, account_id)

    async def held(self, consultant_id: int) -> list[Held]:
        rows = (await self._uow.session.execute(select(
            ConsultSession.started_at, ConsultSession.ended_at, ConsultSession.charged_minor,
            ConsultSession.currency).where(ConsultSession.consultant_id == consultant_id,
                                           ConsultSession.status.in_(ENDED))
            .order_by(ConsultSession.ended_at))).all()
        return [Held(*row) for row in rows]

    async def reviews(self, consultant_id: int) -> list[Review]:
        rows = (await self._uow.session.execute(select(
            SessionReview.stars, SessionReview.created_at).where(
            SessionReview.consultant_id == consultant_id))).all()
        return [Review(stars, at) for stars, at in rows]

    async def requests(self, consultant_id: int) -> tuple[int, list[timedelta]]:
        count = (await self._uow.session.execute(select(func.count(Booking.id)).where(
            Booking.consultant_id == consultant_id))).scalar_one()
        pairs = (await self._uow.session.execute(select(Booking.created_at, Booking.confirmed_at)
                                                 .where(Booking.consultant_id == consultant_id,
                                                        Booking.confirmed_at.is_not(None)))).all()
        return int(count), [done - asked for asked, done in pairs if done is not None]

    async def account(self, account_id: int) -> tuple[str | None, str | None]:
        found = await self._uow.get(Account, account_id)
        return (found.timezone, found.currency) if found is not None else (None, None)


def tally_of(uow: UnitOfWork | Tally) -> Tally:
    """The figures' tally in this unit of work: the database's, or the tally given (a test's
    in-memory one)."""
    return SqlTally(uow) if isinstance(uow, UnitOfWork) else uow
