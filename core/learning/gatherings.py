"""Webinars and events as use cases, each taking the acting account: admins publish them (and
add a webinar's recording); members answer going / maybe / not (a webinar's registration is
“going”) and get a calendar invite. The start is a process timer: reminders go 24 h and 15 min
before (core.learning.due), and at the start a webinar's registrants get the join link.

They hand back frozen read models (`GatheringView`, `GatheringCard`), never the rows, which
stay in core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from core.community import rules as community_rules
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import _
from core.learning import rules
from core.learning.events import GatheringStarted, RecordingAdded
from core.learning.rules import ANSWERS
from core.learning.rules import parse_when as parse_when  # the publishing flow and console ask here
from core.learning.tables import Gathering, GatheringRsvp
from core.operators import audit
from core.operators.roles import is_admin, require_admin
from core.process import timers
from core.process.gatherings import GATHERING_PROCESS, GatheringState
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


def gathering_view(row: Gathering) -> GatheringView:
    """The read model of a gathering's row."""
    return GatheringView(
        id=row.id, kind=row.kind, status=row.status, title=row.title,
        description=row.description, starts_at=row.starts_at, minutes=row.minutes,
        place=row.place, join_url=row.join_url, recording_url=row.recording_url,
        publisher_id=row.publisher_id, sequence=row.sequence)


@dataclass(frozen=True)
class GatheringCard:
    gathering: GatheringView
    going: int
    maybe: int
    mine: str | None


async def publish(uow: UnitOfWork, admin_id: int | None, *, kind: str, title: str,
                  starts_at: datetime, minutes: int, description: str = "",
                  join_url: str | None = None, place: str | None = None) -> GatheringView:
    """An admin publishes a webinar (with its join link) or an event (with its place)."""
    await require_admin(uow, admin_id)
    assert admin_id is not None
    now = uow.clock.now()
    rules.check_gathering(kind, starts_at, minutes, now)
    words = rules.checked_words(kind, title, description, join_url, place)
    row = Gathering(kind=kind, status=GATHERING_PROCESS.initial, title=words.title,
                    description=words.description, starts_at=starts_at, minutes=minutes,
                    place=words.place, join_url=words.join_url, publisher_id=admin_id,
                    sequence=0, created_at=now)
    await uow.insert(row)
    await timers.schedule(uow, GATHERING_PROCESS, row.id, row.status, {"start": starts_at})
    await audit.record(uow, admin_id, "gathering-published", f"gathering:{row.id}", kind=kind,
                       title=row.title, starts_at=starts_at.isoformat())
    return gathering_view(row)


async def get(uow: UnitOfWork, gathering_id: int) -> GatheringView:
    """A webinar or event; NotFound when there is none."""
    return gathering_view(await _row(uow, gathering_id))


async def _row(uow: UnitOfWork, gathering_id: int) -> Gathering:
    found = await uow.get(Gathering, gathering_id)
    if found is None:
        raise NotFound(_("That webinar or event doesn't exist."))
    return found


async def listed(uow: UnitOfWork, viewer_id: int | None, limit: int = 20) -> list[GatheringCard]:
    """Gatherings not yet over (the soonest first), then those of the last 90 days with a
    recording — with the counts and the reader's own answer."""
    now = uow.clock.now()
    found = list((await uow.session.execute(select(Gathering).where(
        Gathering.starts_at >= now - timedelta(days=5)).order_by(Gathering.starts_at)
        .limit(limit * 2))).scalars())
    recorded = list((await uow.session.execute(select(Gathering).where(
        Gathering.recording_url.is_not(None), Gathering.starts_at >= now - timedelta(days=90))
        .order_by(Gathering.starts_at.desc()).limit(limit))).scalars())
    return await cards(uow, rules.shown(found, recorded, now, limit), viewer_id)


async def latest(uow: UnitOfWork, limit: int = 50) -> list[GatheringCard]:
    """Every gathering, the latest start first (the console's list, past ones included)."""
    found = list((await uow.session.execute(select(Gathering).order_by(
        Gathering.starts_at.desc()).limit(limit))).scalars())
    return await cards(uow, found, None)


async def card(uow: UnitOfWork, gathering_id: int, viewer_id: int | None) -> GatheringCard:
    [found] = await cards(uow, [await _row(uow, gathering_id)], viewer_id)
    return found


async def cards(uow: UnitOfWork, found: list[Gathering], viewer_id: int | None
                ) -> list[GatheringCard]:
    ids = [g.id for g in found]
    if not ids:
        return []
    counts: dict[tuple[int, str], int] = {
        (g, a): n for g, a, n in (await uow.session.execute(select(
            GatheringRsvp.gathering_id, GatheringRsvp.answer, func.count()).where(
            GatheringRsvp.gathering_id.in_(ids)).group_by(
            GatheringRsvp.gathering_id, GatheringRsvp.answer))).all()}
    mine = dict((await uow.session.execute(select(GatheringRsvp.gathering_id, GatheringRsvp.answer)
                                           .where(GatheringRsvp.gathering_id.in_(ids),
                                                  GatheringRsvp.account_id == viewer_id))).all()) \
        if viewer_id else {}
    return [GatheringCard(gathering_view(g), counts.get((g.id, "going"), 0), counts.get((g.id, "maybe"), 0),
                          mine.get(g.id)) for g in found]


async def rsvp(uow: UnitOfWork, account_id: int | None, gathering_id: int, answer: str
               ) -> GatheringView:
    """Going (a webinar's registration), maybe or not — changed at will until it is over."""
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    if answer not in ANSWERS:
        raise DomainError(_("Answer going, maybe or not going."))
    gathering = await get(uow, gathering_id)
    now = uow.clock.now()
    rules.check_answer(gathering.kind, answer, gathering.starts_at, gathering.minutes, now)
    await uow.session.execute(dialect_insert(uow, GatheringRsvp).values(
        gathering_id=gathering.id, account_id=account_id, answer=answer, created_at=now,
        updated_at=now).on_conflict_do_update(index_elements=["gathering_id", "account_id"],
                                              set_={"answer": answer, "updated_at": now}))
    return gathering


async def attendees(uow: UnitOfWork, gathering_id: int, answers: tuple[str, ...] = ("going",)
                    ) -> list[int]:
    """Who answered so (a webinar's registrants: going)."""
    return list((await uow.session.execute(select(GatheringRsvp.account_id).where(
        GatheringRsvp.gathering_id == gathering_id, GatheringRsvp.answer.in_(answers))
        .order_by(GatheringRsvp.account_id))).scalars())


async def answer_of(uow: UnitOfWork, gathering_id: int, account_id: int | None) -> str | None:
    if account_id is None:
        return None
    return (await uow.session.execute(select(GatheringRsvp.answer).where(
        GatheringRsvp.gathering_id == gathering_id,
        GatheringRsvp.account_id == account_id))).scalar()


async def add_recording(uow: UnitOfWork, actor_id: int | None, gathering_id: int, url: str
                        ) -> GatheringView:
    """The publisher (or an admin) adds a webinar's recording once it has started; the
    registrants are told."""
    gathering = await _row(uow, gathering_id)
    if actor_id is None or (actor_id != gathering.publisher_id and not await is_admin(uow, actor_id)):
        raise NotAllowed(_("Only the webinar's publisher or an admin adds its recording."))
    rules.check_recording(gathering.kind, gathering.starts_at, uow.clock.now())
    gathering.recording_url = community_rules.url(url, "recording link")
    await audit.record(uow, actor_id, "recording-added", f"gathering:{gathering.id}",
                       url=gathering.recording_url)
    uow.emit(RecordingAdded(gathering.id))
    return gathering_view(gathering)


async def start(uow: UnitOfWork, gathering_id: int) -> bool:
    """The system's step at the start time: scheduled → started, once (a guarded update);
    False when it had started already."""
    GATHERING_PROCESS.check("start", "scheduled", "system")
    moved = await uow.session.execute(update(Gathering).where(
        Gathering.id == gathering_id, Gathering.status == GatheringState.SCHEDULED)
        .values(status="started").execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    uow.emit(GatheringStarted(gathering_id))
    return True
