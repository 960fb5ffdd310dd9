"""The gatherings' storage, behind their use cases: a repository protocol (`Agenda`) and its SQL
implementation on the unit of work (`SqlAgenda`), as the library's `Shelf` is
(`core.learning.shelf`). The use cases in `core.learning.gatherings` ask only this; the tests'
`MemoryAgenda` (`tests/learning/fakes.py`) runs them without a database, and
`tests/learning/test_agenda_contract.py` holds the two alike — the start taken once, an answer
changed in place, among them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update

from core.events import Event
from core.learning.on_unit_of_work import OnUnitOfWork
from core.learning.tables import Gathering, GatheringRsvp
from core.operators import audit
from core.process import timers
from core.process.gatherings import GATHERING_PROCESS, GatheringState
from core.storage.stores import store_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert


@dataclass(frozen=True)
class GatheringView:
    """A webinar or an event as people read it; times are aware datetimes (UTC)."""

    id: int
    kind: str  # webinar | trade_show | meetup (core.learning.rules.KINDS)
    status: str  # scheduled | started
    title: str
    description: str
    starts_at: datetime
    minutes: int
    place: str | None  # an event's
    join_url: str | None  # a webinar's; sent to registrants at the start only
    recording_url: str | None
    publisher_id: int
    sequence: int  # its calendar invites' SEQUENCE


@dataclass(frozen=True)
class NewGathering:
    """A gathering to publish, checked; the agenda gives it its id and its start's timer."""

    kind: str
    title: str
    description: str
    starts_at: datetime
    minutes: int
    place: str | None
    join_url: str | None
    publisher_id: int
    created_at: datetime


class Agenda(Protocol):
    """What the gatherings' use cases ask of storage, of who people are, and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        ...

    async def put(self, new: NewGathering) -> GatheringView:
        """Store a new gathering, scheduled, with its start's timer; it has its id from now."""
        ...

    async def get(self, gathering_id: int) -> GatheringView | None:
        ...

    async def starting_from(self, since: datetime, limit: int) -> list[GatheringView]:
        """Those starting at `since` or later, the soonest first."""
        ...

    async def recorded_since(self, since: datetime, limit: int) -> list[GatheringView]:
        """Those with a recording that started at `since` or later, the latest start first."""
        ...

    async def latest(self, limit: int) -> list[GatheringView]:
        """Every gathering, the latest start first."""
        ...

    async def answer(self, gathering_id: int, account_id: int, answer: str) -> None:
        """Keep a person's answer, replacing the one they gave before."""
        ...

    async def counts(self, gathering_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        """(gathering, answer) → how many gave it."""
        ...

    async def answers_of(self, gathering_ids: Iterable[int], account_id: int) -> dict[int, str]:
        """Gathering → the person's answer, where they gave one."""
        ...

    async def attendees(self, gathering_id: int, answers: tuple[str, ...]) -> list[int]:
        """Who answered one of `answers`, by account id."""
        ...

    async def set_recording(self, gathering_id: int, url: str) -> GatheringView:
        ...

    async def start(self, gathering_id: int) -> bool:
        """Scheduled → started, once: False when it had started already (or is unknown)."""
        ...

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...


def gathering_view(row: Gathering) -> GatheringView:
    """The read model of a gathering's row."""
    return GatheringView(
        id=row.id, kind=row.kind, status=row.status, title=row.title,
        description=row.description, starts_at=row.starts_at, minutes=row.minutes,
        place=row.place, join_url=row.join_url, recording_url=row.recording_url,
        publisher_id=row.publisher_id, sequence=row.sequence)


class SqlAgenda(OnUnitOfWork):
    """The agenda in the database, inside `uow`'s transaction."""

    async def put(self, new: NewGathering) -> GatheringView:
        row = Gathering(kind=new.kind, status=GATHERING_PROCESS.initial, title=new.title,
                        description=new.description, starts_at=new.starts_at,
                        minutes=new.minutes, place=new.place, join_url=new.join_url,
                        publisher_id=new.publisher_id, sequence=0, created_at=new.created_at)
        await self._uow.insert(row)
        await timers.schedule(self._uow, GATHERING_PROCESS, row.id, row.status,
                              {"start": new.starts_at})
        return gathering_view(row)

    async def get(self, gathering_id: int) -> GatheringView | None:
        row = await self._uow.get(Gathering, gathering_id)
        return gathering_view(row) if row is not None else None

    async def starting_from(self, since: datetime, limit: int) -> list[GatheringView]:
        return await self._views(select(Gathering).where(Gathering.starts_at >= since)
                                 .order_by(Gathering.starts_at).limit(limit))

    async def recorded_since(self, since: datetime, limit: int) -> list[GatheringView]:
        return await self._views(select(Gathering).where(
            Gathering.recording_url.is_not(None), Gathering.starts_at >= since)
            .order_by(Gathering.starts_at.desc()).limit(limit))

    async def latest(self, limit: int) -> list[GatheringView]:
        return await self._views(select(Gathering).order_by(Gathering.starts_at.desc())
                                 .limit(limit))

    async def _views(self, query: Any) -> list[GatheringView]:
        return [gathering_view(row) for row in (await self._uow.session.execute(query)).scalars()]

    async def answer(self, gathering_id: int, account_id: int, answer: str) -> None:
        now = self.now()
        await self._uow.session.execute(dialect_insert(self._uow, GatheringRsvp).values(
            gathering_id=gathering_id, account_id=account_id, answer=answer, created_at=now,
            updated_at=now).on_conflict_do_update(index_elements=["gathering_id", "account_id"],
                                                  set_={"answer": answer, "updated_at": now}))

    async def counts(self, gathering_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        ids = list(gathering_ids)
        if not ids:
            return {}
        rows = await self._uow.session.execute(select(
            GatheringRsvp.gathering_id, GatheringRsvp.answer, func.count()).where(
            GatheringRsvp.gathering_id.in_(ids)).group_by(
            GatheringRsvp.gathering_id, GatheringRsvp.answer))
        return {(g, a): n for g, a, n in rows.all()}

    async def answers_of(self, gathering_ids: Iterable[int], account_id: int) -> dict[int, str]:
        ids = list(gathering_ids)
        if not ids:
            return {}
        return dict((await self._uow.session.execute(select(
            GatheringRsvp.gathering_id, GatheringRsvp.answer).where(
            GatheringRsvp.gathering_id.in_(ids), GatheringRsvp.account_id == account_id))).all())

    async def attendees(self, gathering_id: int, answers: tuple[str, ...]) -> list[int]:
        return list((await self._uow.session.execute(select(GatheringRsvp.account_id).where(
            GatheringRsvp.gathering_id == gathering_id, GatheringRsvp.answer.in_(answers))
            .order_by(GatheringRsvp.account_id))).scalars())

    async def set_recording(self, gathering_id: int, url: str) -> GatheringView:
        row = await self._uow.get(Gathering, gathering_id)
        assert row is not None  # the use case read it in this transaction
        row.recording_url = url
        return gathering_view(row)

    async def start(self, gathering_id: int) -> bool:
        # The default synchronisation: a row this transaction holds shows the new status (the
        # notices of the start, in the same transaction, read it).
        moved = await self._uow.session.execute(update(Gathering).where(
            Gathering.id == gathering_id, Gathering.status == GatheringState.SCHEDULED)
            .values(status=GatheringState.STARTED))
        return bool(moved.rowcount == 1)  # type: ignore[attr-defined]

    async def audit(self, actor_id: int, action: str, subject: str, **detail: Any) -> None:
        await audit.record(self._uow, actor_id, action, subject, **detail)

    def emit(self, event: Event) -> None:
        self._uow.emit(event)


def agenda_of(uow: UnitOfWork | Agenda) -> Agenda:
    """The gatherings' agenda in this unit of work: the database's, or the agenda given (a
    test's in-memory one)."""
    return store_of(uow, Agenda, SqlAgenda)
