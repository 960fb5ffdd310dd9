"""Notices of gatherings, written to the outbox in the emitting transaction (handlers registered
in config.event_wiring): at the start a webinar's registrants get the join link (an event's
people are told it begins); a recording reaches the registrants when it is added."""

from __future__ import annotations

from core.actions import Action, Intent
from core.learning import gatherings
from core.learning.events import GatheringStarted, RecordingAdded
from core.learning.tables import Gathering
from core.notifications.outbox import notify, recipients
from core.storage.uow import UnitOfWork


async def on_started(uow: UnitOfWork, event: GatheringStarted) -> None:
    """The join link, at the start, to everyone registered (urgent: quiet hours don't hold it)."""
    gathering = await uow.session.get(Gathering, event.gathering_id)
    if gathering is None:
        return
    webinar = gathering.kind == "webinar"
    people = await gatherings.attendees(uow, gathering.id, ("going",) if webinar else
                                        ("going", "maybe"))
    await recipients(uow, set(people))
    if webinar:
        text = f"🔴 “{gathering.title}” starts now. Join here: {gathering.join_url}"
    else:
        text = f"📍 “{gathering.title}” begins now at {gathering.place}."
    button = [[Action(Intent.VIEW_GATHERING, "📅 Details", str(gathering.id))]]
    for person in people:
        await notify(uow, person, text, buttons=button, urgent=True,
                     dedupe_key=f"gathering-start:{gathering.id}:{person}")


async def on_recording(uow: UnitOfWork, event: RecordingAdded) -> None:
    """The recording link to the webinar's registrants."""
    gathering = await uow.session.get(Gathering, event.gathering_id)
    if gathering is None:
        return
    people = await gatherings.attendees(uow, gathering.id)
    await recipients(uow, set(people))
    for person in people:
        await notify(uow, person, f"🎥 The recording of “{gathering.title}” is ready: "
                                  f"{gathering.recording_url}")
