"""Webinars' event handlers: the join link at the start, the recording when added."""

from __future__ import annotations

from core.events import EventBus
from core.learning import notices
from core.learning.events import GatheringStarted, RecordingAdded
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Registrants' notices, in the transaction."""
    bus.during_commit(GatheringStarted, notices.GATHERINGS.on_moved)
    bus.during_commit(RecordingAdded, notices.on_recording)
