"""Support events: past-tense facts of tickets (their notices are handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class TicketOpened(Event):
    """A new ticket waits for an operator's first answer."""

    ticket_id: int


@dataclass(frozen=True)
class TicketMessagePosted(Event):
    """A message to relay: an operator's answer to the asker, or the asker's to operators."""

    ticket_id: int
    message_id: int
    author_role: str  # asker | operator


@dataclass(frozen=True)
class TicketMoved(Event):
    """A ticket took a transition (closed, reopened, rated, escalated…)."""

    ticket_id: int
    transition: str
    source: str
    target: str
    actor_id: int | None  # None: the system (the SLA timer)
