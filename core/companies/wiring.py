"""Companies' event handlers: members joining, asking to join, refused; terms approved."""

from __future__ import annotations

from core.accounts.events import AccountRegistered
from core.companies import notices
from core.companies.events import JoinRefused, JoinRequested, MemberJoined, TermsApproved
from core.events import EventBus
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """The company's admins and the joining member hear, in the transaction."""
    bus.during_commit(MemberJoined, notices.on_joined)
    bus.during_commit(TermsApproved, notices.on_terms_approved)
    bus.during_commit(JoinRequested, notices.on_join_requested)
    bus.during_commit(JoinRefused, notices.on_join_refused)
    bus.during_commit(AccountRegistered, notices.on_registered)
