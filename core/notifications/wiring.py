"""The accounts' notices (core.notifications.account_notices): the accounts context writes no
notice itself and never imports notifications, so its handlers are declared here."""

from __future__ import annotations

from core.accounts.events import IdentityLinked, VerificationCodeIssued
from core.events import EventBus
from core.notifications import account_notices
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """A verification code by email; a new channel linked."""
    bus.during_commit(VerificationCodeIssued, account_notices.email_code)
    bus.during_commit(IdentityLinked, account_notices.channel_linked)
