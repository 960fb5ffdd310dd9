"""What happens to a deal's transport, in the past tense (handled by its notices and by
payments' freight bridge)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class FreightAsked(Event):
    """A party asked for transport; `invited`: the hauliers who serve the route."""

    request_id: int
    invited: tuple[int, ...]


@dataclass(frozen=True)
class FreightQuoted(Event):
    quote_id: int


@dataclass(frozen=True)
class FreightBooked(Event):
    """A quote accepted: the freight joins the deal and its payer is asked to pay it."""

    request_id: int
    quote_id: int
    reference: str  # the freight's escrow, "freight:<request>"
    payer_id: int
    haulier_id: int
    amount: Money


@dataclass(frozen=True)
class FreightMoved(Event):
    """The transport moved: paid, loaded, on the way, delivered, completed, cancelled, closed."""

    request_id: int
    state: str


@dataclass(frozen=True)
class FreightSettled(Event):
    """The freight's money moves: `release` to the haulier, or `refund` to the payer."""

    request_id: int
    reference: str
    outcome: str  # release | refund
