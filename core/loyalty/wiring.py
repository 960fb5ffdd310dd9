"""Loyalty's event handlers: points, posted in the transaction of the event that earned them.
Points for money paid are earned in payments (payments.wiring.loyalty_money)."""

from __future__ import annotations

from core.consulting.sessions.events import SessionMoved, SessionReviewed
from core.consulting.sessions.lifecycle import POINTS, SESSION_PROCESS
from core.deals.events import DealMoved, DealRated
from core.events import EventBus
from core.loyalty import earning
from core.process.deals import DEAL_PROCESS
from core.process.effects import During
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """A deal or session completed, a rating or review given."""
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "earn-points", earning.on_deal_completed))
    bus.during_commit(DealRated, earning.on_deal_rated)
    bus.during_commit(SessionMoved, During(SESSION_PROCESS, POINTS, earning.on_session_took_place))
    bus.during_commit(SessionReviewed, earning.on_session_reviewed)
