"""The gatherings' rules, on plain values (no database): the kinds and answers, a start typed
in a person's zone, how far ahead and how long a gathering may be, what a webinar and an event
must say, when it is over, which answers a webinar takes, when its recording may be added,
which gatherings the list shows, and who is told of its reminders and start, and when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

from core.community import rules as community_rules
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


def parse_when(text: str, zone_name: str | None, now: datetime) -> datetime:
    """A start typed in the person's own zone (“2026-12-03 15:00”) as a UTC moment in the
    future (at most two years ahead); a polite refusal otherwise."""
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    clean = str(text or "").strip()
    if not clean or len(clean) > 40:
        raise DomainError(_("Write the start like 2026-12-03 15:00 (your own time zone)."))
    try:
        moment = dateparser.parse(clean, dayfirst=False, yearfirst=True)
    except (ValueError, OverflowError):
        raise DomainError(_("Write the start like 2026-12-03 15:00 (your own time zone).")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment <= now:
        raise DomainError(_("That time has passed; give a start in the future."))
    if moment > now + MAX_AHEAD:
        raise DomainError(_("That is more than two years ahead; give a nearer start."))
    return moment


@dataclass(frozen=True)
class Words:
    """What a published gathering says, checked and tidied."""

    title: str
    description: str
    join_url: str | None  # a webinar's, required; an event may give one
    place: str | None  # an event's, required; a webinar has none


def checked_words(kind: str, title: str, description: str, join_url: str | None,
                  place: str | None) -> Words:
    """A title of 3 to 120 characters on one line, a description of at most 1,500 (or none);
    a webinar needs its join link, an event its place (2 to 200 characters)."""
    link = community_rules.url(join_url, "join link") if kind == "webinar" or join_url else None
    where = (community_rules.text(place, "place", minimum=2, maximum=200, one_line=True)
             if kind != "webinar" else None)
    return Words(
        title=community_rules.text(title, "title", minimum=3, maximum=120, one_line=True),
        description=community_rules.text(description, "description", maximum=1500)
        if description.strip() else "", join_url=link, place=where)


def check_recording(kind: str, starts_at: datetime, now: datetime) -> None:
    """A recording is added to a webinar, once it has started."""
    if kind != "webinar":
        raise DomainError(_("Only webinars have recordings."))
    if starts_at > now:
        raise Conflict(_("The webinar hasn't started yet; add the recording afterwards."))


class Timed(Protocol):
    @property
    def starts_at(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...


Shown = TypeVar("Shown", bound=Timed)


def shown(coming: Sequence[Shown], recorded: Sequence[Shown], now: datetime, limit: int
          ) -> list[Shown]:
    """What the list of gatherings shows: those not yet over (in the order given: the soonest
    first), then past ones with a recording not among them, `limit` in all."""
    ahead = [g for g in coming if not over(g.starts_at, g.minutes, now)]
    return (ahead + [g for g in recorded if g not in ahead])[:limit]


def attending(kind: str) -> tuple[str, ...]:
    """The answers of those told of a gathering's reminders and its start: a webinar's
    registrants (going); an event's going and maybe."""
    return ("going",) if kind == "webinar" else ("going", "maybe")


def reminders_passed(published_at: datetime, starts_at: datetime, now: datetime,
                     offsets: Sequence[timedelta]) -> list[timedelta]:
    """The reminders (`offsets` before the start) whose moment has come by `now`, leaving out
    those whose moment was before the gathering was published (one published an hour ahead
    gets no 24-hour reminder)."""
    return [o for o in offsets if published_at <= starts_at - o <= now]
