"""What happens to an inspection, in the past tense (told by its notices; its fee moved by
payments' inspection bridge)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class InspectionBooked(Event):
    """A party booked an inspector: the fee is to be authorised by that party."""

    inspection_id: int
    reference: str  # "inspection:<id>"
    payer_id: int
    inspector_id: int
    fee: Money


@dataclass(frozen=True)
class InspectionMoved(Event):
    """Authorised (booked), accepted, declined, delivered or lapsed."""

    inspection_id: int
    state: str


@dataclass(frozen=True)
class InspectionSettled(Event):
    """The fee moves: `capture` (the results are in) or `void` (declined, or too late)."""

    inspection_id: int
    reference: str
    outcome: str  # capture | void
