"""The sessions' logbook in the database (`core.consulting.sessions.logbook.Logbook`), inside
the caller's unit of work: what it writes is committed, or rolled back, with the rest of the
use case (`async with uow:` … `await uow.commit()` stays the caller's)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.consulting.bookings.rules import meeting_room
from core.consulting.sessions.lifecycle import ENDED, SESSION_PROCESS
from core.consulting.sessions.logbook import Joined, Logbook
from core.consulting.sessions.money import free_window_for
from core.consulting.sessions.tables import (
    ConsultReputation,
    ConsultSession,
    SessionExtension,
    SessionMessage,
    SessionReview,
)
from core.consulting.tables import Booking
from core.events import Event
from core.money.model import Money
from core.operators.roles import is_admin
from core.process import timers
from core.process.bookings import CONSULTANT
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlLogbook(SqlStore):
    """The logbook in the database, inside `uow`'s transaction."""

    async def is_admin(self, account_id: int) -> bool:
        return await is_admin(self._uow, account_id)

    async def session(self, session_id: int, *, fresh: bool = False) -> ConsultSession | None:
        return await self._uow.get(ConsultSession, session_id, populate_existing=fresh)

    async def of_booking(self, booking_id: int) -> ConsultSession | None:
        return (await self._uow.session.execute(select(ConsultSession).where(
            ConsultSession.booking_id == booking_id))).scalar_one_or_none()

    async def reload(self, session: ConsultSession) -> None:
        await self._uow.session.refresh(session)

    async def move(self, session: ConsultSession, source: str, changes: dict[str, object]
                   ) -> bool:
        # A guarded `UPDATE … WHERE status = :source`: two steps at once move it once.
        moved = await self._uow.session.execute(update(ConsultSession).where(
            ConsultSession.id == session.id, ConsultSession.status == source)
            .values(**changes).execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for name, value in changes.items():
            set_committed_value(session, name, value)  # what the row now holds
        return True

    async def stop_timers(self, session_id: int, state: str) -> None:
        await timers.stop(self._uow, SESSION_PROCESS, session_id, state)

    async def restart_timers(self, session_id: int, state: str,
                             due: dict[str, datetime]) -> None:
        await timers.restart(self._uow, SESSION_PROCESS, session_id, state, due)

    async def mark_joined(self, session: ConsultSession, role: str, at: datetime
                          ) -> Joined | None:
        column = ConsultSession.consultant_joined_at if role == CONSULTANT \
            else ConsultSession.seeker_joined_at
        marked = (await self._uow.session.execute(update(ConsultSession).where(
            ConsultSession.id == session.id, column.is_(None)).values({column: at})
            .returning(ConsultSession.seeker_joined_at, ConsultSession.consultant_joined_at)
            .execution_options(synchronize_session=False))).first()
        if marked is None:
            return None
        # RETURNING sees the other party's commit
        set_committed_value(session, "seeker_joined_at", marked[0])
        set_committed_value(session, "consultant_joined_at", marked[1])
        return marked[0], marked[1]

    async def free_minutes(self, seeker_id: int | None, consultant_id: int,
                           excluding: int | None = None) -> int:
        return await free_window_for(self._uow, seeker_id, consultant_id, excluding)

    async def booking_room(self, session: ConsultSession) -> str:
        # Where the booking meets (set when it was confirmed); a new room on the meeting
        # server for a booking that has none.
        booking = await self._uow.get(Booking, session.booking_id)
        if booking is not None and booking.meeting_url:
            return booking.meeting_url
        return meeting_room(self._uow.policy.booking.meeting_base, secrets.token_urlsafe(16))

    async def add_message(self, message: SessionMessage) -> SessionMessage:
        await self._uow.insert(message)
        return message

    async def message(self, message_id: int) -> SessionMessage | None:
        return await self._uow.get(SessionMessage, message_id)

    async def messages(self, session_id: int) -> list[SessionMessage]:
        return list((await self._uow.session.execute(select(SessionMessage).where(
            SessionMessage.session_id == session_id).order_by(SessionMessage.id))).scalars())

    async def extensions(self, session_id: int) -> list[SessionExtension]:
        return list((await self._uow.session.execute(select(SessionExtension).where(
            SessionExtension.session_id == session_id).order_by(SessionExtension.number)))
            .scalars())

    async def add_extension(self, extension: SessionExtension) -> SessionExtension:
        await self._uow.insert(extension)
        return extension

    async def add_review(self, review: SessionReview) -> bool:
        try:
            async with self._uow.nested():
                await self._uow.insert(review)
        except IntegrityError:  # one review per session (a unique key)
            return False
        return True

    async def review(self, review_id: int) -> SessionReview | None:
        return await self._uow.get(SessionReview, review_id)

    async def review_of(self, session_id: int) -> int | None:
        return (await self._uow.session.execute(select(SessionReview.id).where(
            SessionReview.session_id == session_id))).scalar_one_or_none()

    async def reply_once(self, review: SessionReview, text: str, at: datetime) -> bool:
        done = await self._uow.session.execute(update(SessionReview).where(
            SessionReview.id == review.id, SessionReview.reply.is_(None))
            .values(reply=text, replied_at=at).execution_options(synchronize_session=False))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self._uow.session.refresh(review)
        return True

    async def reviews_of(self, consultant_id: int, limit: int, offset: int
                         ) -> list[SessionReview]:
        return list((await self._uow.session.execute(select(SessionReview).where(
            SessionReview.consultant_id == consultant_id)
            .order_by(SessionReview.id.desc()).offset(max(offset, 0)).limit(limit))).scalars())

    async def standing(self, consultant_id: int) -> tuple[int, int, int, Decimal | None]:
        mine = SessionReview.consultant_id == consultant_id
        total, count, held, mean = (await self._uow.session.execute(select(
            select(func.coalesce(func.sum(SessionReview.stars), 0)).where(mine)
            .scalar_subquery(),
            select(func.count(SessionReview.id)).where(mine).scalar_subquery(),
            select(func.count(ConsultSession.id)).where(
                ConsultSession.consultant_id == consultant_id,
                ConsultSession.status.in_(ENDED)).scalar_subquery(),
            select(func.avg(SessionReview.stars)).scalar_subquery()))).one()
        return int(total), int(count), int(held), Decimal(str(mean)) if mean else None

    async def keep_standing(self, consultant_id: int, rating_x100: int, reviews: int,
                            sessions: int) -> None:
        row = await self._uow.get(ConsultReputation, consultant_id)
        if row is None:
            row = ConsultReputation(account_id=consultant_id)
            self._uow.add(row)
        row.rating_x100, row.reviews, row.sessions = rating_x100, reviews, sessions
        row.updated_at = self.now()

    def recap_price(self, currency: str) -> Money:
        return Money.parse(self._uow.policy.recap_price, currency)

    async def grant_recap(self, session_id: int, at: datetime) -> bool:
        first = await self._uow.session.execute(update(ConsultSession).where(
            ConsultSession.id == session_id, ConsultSession.recap_granted_at.is_(None))
            .values(recap_granted_at=at).execution_options(synchronize_session=False))
        return first.rowcount == 1  # type: ignore[attr-defined]

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        rows = await self._uow.session.execute(select(Account.id, Account.display_name).where(
            Account.id.in_(set(account_ids))))
        return {account_id: name for account_id, name in rows.all()}

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def logbook_of(uow: UnitOfWork | Logbook) -> Logbook:
    """The sessions' logbook in this unit of work: the database's, or the logbook given (a
    test's in-memory one), or the one a test's engine in memory holds."""
    return store_of(uow, Logbook, SqlLogbook)
