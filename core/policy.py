"""Tunable rules of the core, filled from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from core.money.model import CommissionRule


@dataclass(frozen=True)
class BookingPolicy:
    join_window: timedelta = timedelta(minutes=2)  # a consultant answers “talk now” within it
    free_cancel: timedelta = timedelta(hours=24)  # cancelling earlier than this costs nothing
    late_fee_percent: int = 50  # of the booked amount, for a seeker's later cancellation
    no_show_fee_percent: int = 100  # what a consultant may charge a seeker who did not come
    online_for: timedelta = timedelta(minutes=30)  # “online now” lasts this long after activity
    meeting_base: str = "https://meet.jit.si"  # the Jitsi Meet server of generated rooms


@dataclass(frozen=True)
class Policy:
    email_code_ttl_minutes: int = 15
    email_code_attempts: int = 5
    link_code_ttl_minutes: int = 10
    listing_moderation: bool = False  # new listings wait for an admin's approval
    listing_days: int = 30  # how long a renewed listing stays up
    # Commission per market, as the payments layer charges it (shown on offer cards).
    commission: dict[str, CommissionRule] = field(default_factory=dict)
    # Consultant sessions: how often a seeker gets the free first minutes with one consultant
    # (core.consulting.sessions.rules), and the recap's price in major units of the session's
    # currency (0: free).
    free_minutes_rule: str = "once per pair"
    recap_price: Decimal = Decimal(0)
    booking: BookingPolicy = field(default_factory=BookingPolicy)  # consultants' bookings
    support_sla: timedelta = timedelta(hours=4)  # an operator's first answer to a ticket is due
    # The operator console: where links point, how long a sign-in link and a session last.
    public_url: str = "http://127.0.0.1:8000"
    console_link_minutes: int = 10
    console_session_hours: int = 12
