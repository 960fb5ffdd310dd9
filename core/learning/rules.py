"""The gatherings' rules, on plain values (no database): the kinds and answers, how far ahead
and how long a gathering may be, when it is over, and which answers a webinar takes."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import Conflict, DomainError
from core.i18n import N_, _

KINDS = {"webinar": N_("🎙 Webinar"), "trade_show": N_("🏛 Trade show"), "meetup": N_("🤝 Meetup")}
ANSWERS = {"going": N_("✅ Going"), "maybe": N_("🤔 Maybe"), "not": N_("✖ Not going")}
MAX_AHEAD = timedelta(days=730)
MINUTES = range(15, 60 * 24 * 5 + 1)  # a webinar of 15 minutes to a five-day trade show


def check_gathering(kind: str, starts_at: datetime, minutes: int, now: datetime) -> None:
    """A gathering an admin may publish: a known kind, a start in the future at most two
    years ahead, 15 minutes to five days long."""
    if kind not in KINDS:
        raise DomainError(_("A gathering is a webinar, a trade show or a meetup."))
    if starts_at <= now or starts_at > now + MAX_AHEAD:
        raise DomainError(_("The start must be in the future, at most two years ahead."))
    if minutes not in MINUTES:
        raise DomainError(_("The length must be between 15 minutes and five days."))


def ends_at(starts_at: datetime, minutes: int) -> datetime:
    return starts_at + timedelta(minutes=minutes)


def over(starts_at: datetime, minutes: int, now: datetime) -> bool:
    """A gathering is over from the moment it ends."""
    return ends_at(starts_at, minutes) <= now


def check_answer(kind: str, answer: str, starts_at: datetime, minutes: int,
                 now: datetime) -> None:
    """Going, maybe or not — until it is over; a webinar takes no “maybe”."""
    if answer not in ANSWERS:
        raise DomainError(_("Answer going, maybe or not going."))
    if over(starts_at, minutes, now):
        raise Conflict(_("That one is over; answers are closed."))
    if kind == "webinar" and answer == "maybe":
        raise DomainError(_("A webinar takes a registration (going) or none."))
