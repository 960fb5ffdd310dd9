"""Community events: past-tense facts of boards (their notices are handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class BoardPostAdded(Event):
    """A post or a reply was written: it is relayed to the board's subscribers."""

    post_id: int


@dataclass(frozen=True)
class BoardPostReported(Event):
    """Someone reported a post: the admins read it with the reason."""

    post_id: int
    reporter_id: int


@dataclass(frozen=True)
class BoardPostHidden(Event):
    """An admin hid a post: its author is told why."""

    post_id: int
    admin_id: int
