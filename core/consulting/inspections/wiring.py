"""Inspections' notices, in the moving transaction (the fee's money:
payments.wiring.inspection_money)."""

from __future__ import annotations

from core.consulting.inspections import notices
from core.consulting.inspections.events import InspectionBooked, InspectionMoved
from core.events import EventBus
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Who hears of a booking and of every move."""
    bus.during_commit(InspectionBooked, notices.on_booked)
    bus.during_commit(InspectionMoved, notices.on_moved)
