"""Claiming outbox rows for a dispatcher: the due rows, the first open row of each chat, leased
in one short transaction (PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`); rows in their
recipient's quiet hours are moved to its end instead. `core.notifications.dispatcher` runs it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnClause, exists, literal_column, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from core.accounts.tables import Account
from core.clock import Clock
from core.notifications.quiet_hours import quiet_until
from core.notifications.tables import OutboxMessage, OutboxStatus


class Claimed(NamedTuple):
    """A row this dispatcher holds the lease of."""

    id: int
    channel: str
    address: str
    payload: dict[str, Any]
    attempts: int
    account_id: int | None = None  # its recipient, for whom its files are drawn


class Claiming:
    """A dispatcher's claims: which due rows it leases now (`OutboxDispatcher` holds the state)."""

    _sessions: async_sessionmaker[AsyncSession]
    _clock: Clock
    senders: dict[str, Any]
    _accept: Callable[[str, str, int | None], bool]
    worker: str

    async def _claim_batch(self, limit: int) -> tuple[list[Claimed], bool]:
        """Lease up to `limit` due rows, the first open row of each chat; rows in their
        recipient's quiet hours are moved to its end instead. Returns the rows and whether
        anything changed (nothing: the due rows are all taken or not this dispatcher's)."""
        now = self._clock.now()
        o = OutboxMessage
        async with self._sessions() as session, session.begin():
            found = (await session.execute(
                select(o.id, o.channel, o.address, o.account_id, o.urgent)
                .where(o.status == OutboxStatus.PENDING, o.available_at <= now,
                       # Two values at least: a lone `channel = …` would let PostgreSQL's
                       # planner push it into the chat check and compare every pair of rows.
                       o.channel.in_([*self.senders, ""]), _first_of_its_chat(now))
                # Urgent rows (verification codes) first: a backlog of alerts never holds
                # a code up; otherwise oldest first.
                .order_by(o.urgent.desc(), o.id).limit(max(limit, 1))
                .with_for_update(skip_locked=True, of=o)
            )).all()
            rows = [r for r in found if self._accept(r.channel, r.address, r.account_id)]
            held = await self._quiet(session, rows)
            for row_id, until in held.items():
                await session.execute(update(o).where(o.id == row_id).values(available_at=until))
            ready = [r.id for r in rows if r.id not in held]
            if not ready:
                return [], bool(held)
            claimed = (await session.execute(
                update(o)
                .where(o.id.in_(ready), o.status == OutboxStatus.PENDING, _first_of_its_chat(now))
                .values(status=OutboxStatus.SENDING, attempts=o.attempts + 1, claimed_by=self.worker,
                        claimed_at=now)
                .returning(o.id, o.channel, o.address, o.payload, o.attempts, o.account_id)
                .execution_options(synchronize_session=False)
            )).all()
        rows_claimed = sorted(Claimed(*r) for r in claimed)
        return rows_claimed, bool(rows_claimed or held)

    async def _quiet(self, session: AsyncSession, rows: Sequence[Any]) -> dict[int, datetime]:
        """Rows to hold until their recipient's quiet hours end (urgent ones never wait)."""
        ids = {r.account_id for r in rows if not r.urgent and r.account_id is not None}
        if not ids:
            return {}
        accounts = {a.id: a for a in (await session.execute(
            select(Account.id, Account.quiet_start, Account.quiet_end, Account.timezone)
            .where(Account.id.in_(ids)))).all()}
        now, held = self._clock.now(), {}
        for row in rows:
            account = None if row.urgent else accounts.get(row.account_id)
            if account is None:
                continue
            until = quiet_until(now, account.quiet_start, account.quiet_end,
                                account.timezone or "UTC")
            if until is not None:
                held[row.id] = until
        return held


def _first_of_its_chat(now: datetime) -> Any:
    """No earlier row of the same chat is being sent or due: one row in flight per chat, in id
    order (a row waiting for its back-off or quiet hours does not hold the chat up)."""
    o, earlier = OutboxMessage, aliased(OutboxMessage)
    return ~exists().where(
        earlier.channel == o.channel, earlier.address == o.address, earlier.id < o.id,
        earlier.status.in_(_OPEN),  # literally the partial index's condition, so it is used
        or_(earlier.status == OutboxStatus.SENDING, earlier.available_at <= now))


_OPEN: tuple[ColumnClause[str], ...] = (literal_column("'pending'"), literal_column("'sending'"))
