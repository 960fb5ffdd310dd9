"""Boards' event handlers: posts and replies relayed to followers, reports to admins, hidden
posts' authors told."""

from __future__ import annotations

from core.community import notices
from core.community.events import BoardPostAdded, BoardPostHidden, BoardPostReported
from core.events import EventBus
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Boards' notices, in the transaction."""
    bus.during_commit(BoardPostAdded, notices.on_post_added)
    bus.during_commit(BoardPostReported, notices.on_reported)
    bus.during_commit(BoardPostHidden, notices.on_hidden)
