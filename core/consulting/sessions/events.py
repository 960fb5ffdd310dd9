"""Session events: past-tense facts of live sessions, reviews and recaps (notices and the
money bridge are their handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class SessionCreated(Event):
    """A booking's session exists, waiting for both parties to join."""

    session_id: int


@dataclass(frozen=True)
class SessionJoined(Event):
    session_id: int
    account_id: int


@dataclass(frozen=True)
class SessionMoved(Event):
    """The session took a transition of its process (started, paid, extended, ended…)."""

    session_id: int
    transition: str
    source: str
    target: str


@dataclass(frozen=True)
class SessionMessagePosted(Event):
    """A session message to relay to `recipient_id` on their own channel."""

    session_id: int
    message_id: int
    sender_id: int
    recipient_id: int


@dataclass(frozen=True)
class ExtensionRequested(Event):
    """The seeker asked for more time: the money layer opens the larger authorisation."""

    session_id: int
    extension_id: int


@dataclass(frozen=True)
class CallLinkSet(Event):
    session_id: int


@dataclass(frozen=True)
class SessionReviewed(Event):
    review_id: int


@dataclass(frozen=True)
class ReviewReplied(Event):
    review_id: int


@dataclass(frozen=True)
class RecapRequested(Event):
    """The seeker asked for a priced recap: the money layer charges it."""

    session_id: int
    seeker_id: int
    price: Money


@dataclass(frozen=True)
class RecapGranted(Event):
    """The seeker may have the recap (free, or paid): it is sent to them."""

    session_id: int
