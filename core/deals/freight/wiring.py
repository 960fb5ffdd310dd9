"""Freight's handlers: its notices in the moving transaction, and a deal's delivery
confirmed carried to its transport (the freight's money: payments.wiring.freight_money)."""

from __future__ import annotations

from core.deals.events import DealMoved
from core.deals.freight import notices
from core.deals.freight.events import FreightAsked, FreightBooked, FreightMoved, FreightQuoted
from core.events import EventBus
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Notices of requests, quotes, bookings and moves; a deal confirmed releases its freight."""
    bus.during_commit(FreightAsked, notices.on_asked)
    bus.during_commit(FreightQuoted, notices.on_quoted)
    bus.during_commit(FreightBooked, notices.on_booked)
    bus.during_commit(FreightMoved, notices.on_moved)
    bus.during_commit(DealMoved, notices.on_deal_moved)
