"""Webinars and events as use cases, each taking the acting account: admins publish them (and
add a webinar's recording); members answer going / maybe / not (a webinar's registration is
“going”) and get a calendar invite. The start is a process timer: reminders go 24 h and 15 min
before (core.learning.due), and at the start a webinar's registrants get the join link.

They hand back frozen read models (`GatheringView`, `GatheringCard`), never the rows, which
stay in core. Each use case asks only the gatherings' agenda (`core.learning.agenda.Agenda`):
given the unit of work, the database's; given an agenda, that one (the tests' in-memory one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.community import rules as community_rules
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import _
from core.learning import rules
from core.learning.agenda import Agenda, GatheringView, NewGathering, agenda_of
from core.learning.events import GatheringStarted, RecordingAdded
from core.learning.rules import ANSWERS
from core.learning.rules import parse_when as parse_when  # the publishing flow and console ask here
from core.process.gatherings import GATHERING_PROCESS
from core.storage.uow import UnitOfWork

UPCOMING_SINCE = timedelta(days=5)  # the longest gathering, started this long ago, still runs
RECORDED_SINCE = timedelta(days=90)  # past gatherings listed for their recording

Work = UnitOfWork | Agenda


@dataclass(frozen=True)
class GatheringCard:
    gathering: GatheringView
    going: int
    maybe: int
    mine: str | None


async def publish(uow: Work, admin_id: int | None, *, kind: str, title: str,
                  starts_at: datetime, minutes: int, description: str = "",
                  join_url: str | None = None, place: str | None = None) -> GatheringView:
    """An admin publishes a webinar (with its join link) or an event (with its place)."""
    agenda = agenda_of(uow)
    if admin_id is None or not await agenda.is_admin(admin_id):
        raise NotAllowed(_("That is for administrators."))
    now = agenda.now()
    rules.check_gathering(kind, starts_at, minutes, now)
    words = rules.checked_words(kind, title, description, join_url, place)
    view = await agenda.put(NewGathering(
        kind=kind, title=words.title, description=words.description, starts_at=starts_at,
        minutes=minutes, place=words.place, join_url=words.join_url, publisher_id=admin_id,
        created_at=now))
    await agenda.audit(admin_id, "gathering-published", f"gathering:{view.id}", kind=kind,
                       title=view.title, starts_at=starts_at.isoformat())
    return view


async def get(uow: Work, gathering_id: int) -> GatheringView:
    """A webinar or event; NotFound when there is none."""
    found = await agenda_of(uow).get(gathering_id)
    if found is None:
        raise NotFound(_("That webinar or event doesn't exist."))
    return found


async def listed(uow: Work, viewer_id: int | None, limit: int = 20) -> list[GatheringCard]:
    """Gatherings not yet over (the soonest first), then those of the last 90 days with a
    recording — with the counts and the reader's own answer."""
    agenda = agenda_of(uow)
    now = agenda.now()
    coming = await agenda.starting_from(now - UPCOMING_SINCE, limit * 2)
    recorded = await agenda.recorded_since(now - RECORDED_SINCE, limit)
    return await cards(agenda, rules.shown(coming, recorded, now, limit), viewer_id)


async def latest(uow: Work, limit: int = 50) -> list[GatheringCard]:
    """Every gathering, the latest start first (the console's list, past ones included)."""
    agenda = agenda_of(uow)
    return await cards(agenda, await agenda.latest(limit), None)


async def card(uow: Work, gathering_id: int, viewer_id: int | None) -> GatheringCard:
    agenda = agenda_of(uow)
    [found] = await cards(agenda, [await get(agenda, gathering_id)], viewer_id)
    return found


async def cards(uow: Work, found: list[GatheringView], viewer_id: int | None
                ) -> list[GatheringCard]:
    """Each gathering with how many are going and maybe, and the viewer's own answer."""
    agenda = agenda_of(uow)
    ids = [g.id for g in found]
    if not ids:
        return []
    counts = await agenda.counts(ids)
    mine = await agenda.answers_of(ids, viewer_id) if viewer_id else {}
    return [GatheringCard(g, counts.get((g.id, "going"), 0), counts.get((g.id, "maybe"), 0),
                          mine.get(g.id)) for g in found]


async def rsvp(uow: Work, account_id: int | None, gathering_id: int, answer: str
               ) -> GatheringView:
    """Going (a webinar's registration), maybe or not — changed at will until it is over."""
    if account_id is None:
        raise NotAllowed(_("Please register first — it takes a minute."))
    if answer not in ANSWERS:
        raise DomainError(_("Answer going, maybe or not going."))
    agenda = agenda_of(uow)
    gathering = await get(agenda, gathering_id)
    rules.check_answer(gathering.kind, answer, gathering.starts_at, gathering.minutes,
                       agenda.now())
    await agenda.answer(gathering.id, account_id, answer)
    return gathering


async def attendees(uow: Work, gathering_id: int, answers: tuple[str, ...] = ("going",)
                    ) -> list[int]:
    """Who answered so (a webinar's registrants: going)."""
    return await agenda_of(uow).attendees(gathering_id, answers)


async def add_recording(uow: Work, actor_id: int | None, gathering_id: int, url: str
                        ) -> GatheringView:
    """The publisher (or an admin) adds a webinar's recording once it has started; the
    registrants are told."""
    agenda = agenda_of(uow)
    gathering = await get(agenda, gathering_id)
    if actor_id is None or (actor_id != gathering.publisher_id
                            and not await agenda.is_admin(actor_id)):
        raise NotAllowed(_("Only the webinar's publisher or an admin adds its recording."))
    rules.check_recording(gathering.kind, gathering.starts_at, agenda.now())
    link = community_rules.url(url, "recording link")
    gathering = await agenda.set_recording(gathering.id, link)
    await agenda.audit(actor_id, "recording-added", f"gathering:{gathering.id}", url=link)
    agenda.emit(RecordingAdded(gathering.id))
    return gathering


async def start(uow: Work, gathering_id: int) -> bool:
    """The system's step at the start time: scheduled → started, once (a guarded update);
    False when it had started already."""
    GATHERING_PROCESS.check("start", "scheduled", "system")
    agenda = agenda_of(uow)
    if not await agenda.start(gathering_id):
        return False
    agenda.emit(GatheringStarted(gathering_id))
    return True
