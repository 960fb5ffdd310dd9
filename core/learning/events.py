"""Learning events: past-tense facts of gatherings (their notices are handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class GatheringStarted(Event):
    """A gathering's start time came: a webinar's registrants get the join link."""

    gathering_id: int


@dataclass(frozen=True)
class RecordingAdded(Event):
    """The publisher added a webinar's recording: its registrants are told."""

    gathering_id: int
