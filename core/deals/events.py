"""Deal events: past-tense facts of offers and deals (their notices are handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class DealMoved(Event):
    deal_id: int
    transition: str
    source: str
    target: str


@dataclass(frozen=True)
class MessagePosted(Event):
    """A thread message to relay to `recipient_id` on their own channel."""

    thread_id: int
    message_id: int
    sender_id: int
    recipient_id: int


@dataclass(frozen=True)
class OfferExpired(Event):
    """An open offer was left unanswered until its deadline and closed itself."""

    offer_id: int
    buyer_id: int
    seller_id: int
