"""Support's event handlers: operators hear of new tickets, answers and breached deadlines; the
asker hears an operator's answer on the channel they asked from."""

from __future__ import annotations

from core.events import EventBus
from core.support import notices
from core.support.events import TicketMessagePosted, TicketMoved, TicketOpened
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Tickets' notices, in the transaction."""
    bus.during_commit(TicketOpened, notices.on_opened)
    bus.during_commit(TicketMessagePosted, notices.on_message)
    bus.during_commit(TicketMoved, notices.TICKETS.on_moved)  # as declared
