"""Company events: past-tense facts that colleagues hear about."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class MemberJoined(Event):
    company_id: int
    account_id: int


@dataclass(frozen=True)
class JoinRequested(Event):
    """A colleague of the company's Slack workspace asks to join (an admin lets them in)."""

    company_id: int
    account_id: int


@dataclass(frozen=True)
class JoinRefused(Event):
    company_id: int
    account_id: int


@dataclass(frozen=True)
class ApprovalsChatChosen(Event):
    """An admin chose the team chat approval cards are posted in (None: approvers' DMs)."""

    company_id: int
    chat: str | None


@dataclass(frozen=True)
class TermsApproved(Event):
    """Agora's finance let the company pay on terms of up to `days` (None: withdrawn)."""

    company_id: int
    days: int | None
