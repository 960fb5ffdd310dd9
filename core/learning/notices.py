"""Notices of gatherings, written to the outbox in the emitting transaction (handlers declared
in core.learning.wiring): at the start a webinar's registrants get the join link (an event's
people are told it begins), as declared on the `start` transition (core.process.gatherings) and
sent by GATHERINGS; a recording reaches the registrants when it is added."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.i18n import N_, _
from core.learning import gatherings, rules
from core.learning.events import GatheringStarted, RecordingAdded
from core.learning.intents import LearningIntent
from core.learning.tables import Gathering
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.gatherings import ATTENDEE, GATHERING_PROCESS
from core.process.notices import Moved, NoticeBook, Said
from core.storage.uow import UnitOfWork


async def _started(uow: UnitOfWork, event: GatheringStarted) -> Moved | None:
    """Its attendees: a webinar's registrants going, an event's people going or maybe."""
    gathering = await uow.get(Gathering, event.gathering_id)
    if gathering is None:
        return None
    people = await gatherings.attendees(uow, gathering.id, rules.attending(gathering.kind))
    return Moved("start", gathering, {ATTENDEE: tuple(people)}, "scheduled", "started", event)


async def started(uow: UnitOfWork, moved: Moved, role: str, person: int) -> Said:
    """The join link, at the start (urgent: quiet hours don't hold it)."""
    gathering = moved.subject
    if gathering.kind == "webinar":
        text = _("🔴 “{title}” starts now. Join here: {url}", title=gathering.title,
                 url=gathering.join_url)
    else:
        text = _("📍 “{title}” begins now at {place}.", title=gathering.title, place=gathering.place)
    return Said(text, urgent=True, dedupe_key=f"gathering-start:{gathering.id}:{person}")


async def details(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[Action(LearningIntent.VIEW_GATHERING, N_("📅 Details"), str(moved.subject.id))]]


# The gathering's notices as declared in core.process.gatherings, made sendable.
GATHERINGS = NoticeBook(GATHERING_PROCESS, _started, texts={"started": started},
                        buttons={"details": details}, roles=(ATTENDEE,))


async def on_recording(uow: UnitOfWork, event: RecordingAdded) -> None:
    """The recording link to the webinar's registrants."""
    gathering = await uow.get(Gathering, event.gathering_id)
    if gathering is None:
        return
    people = await gatherings.attendees(uow, gathering.id)
    await recipients(uow, set(people))
    for person in people:
        async with addressed_to(uow, person):
            await notify(uow, person, _("🎥 The recording of “{title}” is ready: {url}",
                                        title=gathering.title, url=gathering.recording_url))
