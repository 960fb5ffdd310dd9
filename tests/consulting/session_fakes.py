"""The sessions' logbook in memory (`core.consulting.sessions.logbook.Logbook`): who may join,
post, end, extend, review and reply, and a session's moves, run on it without a database.
`test_logbook_contract.py` holds it to what the SQL logbook does. The money (authorisations,
captures, extensions paid) is the database's alone: a session made here is simply authorised.
`MemoryTally` reads a consultant's figures from such a logbook
(`core.consulting.profiles.tally.Tally`, its contract in `test_tally_contract.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.consulting.bookings.rules import meeting_room
from core.consulting.profiles.figures import Held, Review
from core.consulting.sessions import service as sessions
from core.consulting.sessions.from_booking import reference
from core.consulting.sessions.lifecycle import ENDED, SESSION_PROCESS, deadlines
from core.consulting.sessions.logbook import Joined
from core.consulting.sessions.rules import STARTED, free_window, parse_free_rule
from core.consulting.sessions.tables import (
    ConsultSession,
    SessionExtension,
    SessionMessage,
    SessionReview,
)
from core.events import Event
from core.money.model import CommissionRule, Money
from core.process.bookings import CONSULTANT

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass
class MemoryLogbook:
    """Sessions, reviews and standings in dicts, messages and extensions in lists, the running
    timers by (session, state), the clock standing still at `at` (tests move it), events kept
    in a list. `free_rule` is the policy's `AGORA_FREE_MINUTES_RULE` (“once per pair …” counts
    the pair's sessions started free, within its days if it names them)."""

    at: datetime = START
    free_rule: str = "once per pair"
    meeting_base: str = "https://meet.example"
    recap_costs: str = "0"  # AGORA_RECAP_PRICE
    people: dict[int, str] = field(default_factory=dict)  # account id → display name
    admins: set[int] = field(default_factory=set)
    sessions: dict[int, ConsultSession] = field(default_factory=dict)
    rooms: dict[int, str] = field(default_factory=dict)  # booking id → its meeting link
    posted: list[SessionMessage] = field(default_factory=list)
    asked: list[SessionExtension] = field(default_factory=list)
    reviews: dict[int, SessionReview] = field(default_factory=dict)
    standings: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # x100, reviews, held
    timers: dict[tuple[int, str], dict[str, datetime]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def advance(self, **delta: float) -> None:
        """The clock moves on (as `FakeClock.advance`)."""
        self.at += timedelta(**delta)

    def running(self, session_id: int) -> dict[str, datetime]:
        """The session's running timers: what fires → when it is due."""
        return {fires: due for (s, __), by in self.timers.items() if s == session_id
                for fires, due in by.items()}

    def now(self) -> datetime:
        return self.at

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def session(self, session_id: int, *, fresh: bool = False) -> ConsultSession | None:
        return self.sessions.get(session_id)

    async def of_booking(self, booking_id: int) -> ConsultSession | None:
        return next((s for s in self.sessions.values() if s.booking_id == booking_id), None)

    async def reload(self, session: ConsultSession) -> None:
        return None  # the session given is the one kept: nothing else holds another copy

    async def move(self, session: ConsultSession, source: str, changes: dict[str, object]
                   ) -> bool:
        stored = self.sessions.get(session.id)
        if stored is None or stored.status != source:
            return False
        for target in {id(stored): stored, id(session): session}.values():
            for name, value in changes.items():
                setattr(target, name, value)
        return True

    async def stop_timers(self, session_id: int, state: str) -> None:
        self.timers.pop((session_id, state), None)

    async def restart_timers(self, session_id: int, state: str,
                             due: dict[str, datetime]) -> None:
        timers = SESSION_PROCESS.timers_in(state)
        if timers:
            self.timers[(session_id, state)] = {
                t.fires: due.get(t.fires) or self.at + (t.every or t.after) for t in timers}

    async def mark_joined(self, session: ConsultSession, role: str, at: datetime
                          ) -> Joined | None:
        name = "consultant_joined_at" if role == CONSULTANT else "seeker_joined_at"
        stored = self.sessions[session.id]
        if getattr(stored, name) is not None:
            return None
        setattr(stored, name, at)
        setattr(session, name, at)
        return stored.seeker_joined_at, stored.consultant_joined_at

    async def free_minutes(self, seeker_id: int | None, consultant_id: int,
                           excluding: int | None = None) -> int:
        rule = parse_free_rule(self.free_rule)
        since = self.at - timedelta(days=rule.days) if rule.days is not None else None
        used = sum(1 for s in self.sessions.values()
                   if (s.seeker_id, s.consultant_id) == (seeker_id, consultant_id)
                   and s.id != excluding and s.free_used and s.status in STARTED
                   and (since is None or (s.started_at is not None and s.started_at >= since)))
        return free_window(rule, used if rule.kind == "once" else 0)

    async def booking_room(self, session: ConsultSession) -> str:
        return self.rooms.get(session.booking_id) or meeting_room(self.meeting_base, "new-room")

    async def add_message(self, message: SessionMessage) -> SessionMessage:
        message.id = len(self.posted) + 1
        self.posted.append(message)
        return message

    async def message(self, message_id: int) -> SessionMessage | None:
        return next((m for m in self.posted if m.id == message_id), None)

    async def messages(self, session_id: int) -> list[SessionMessage]:
        return [m for m in self.posted if m.session_id == session_id]

    async def extensions(self, session_id: int) -> list[SessionExtension]:
        return sorted((e for e in self.asked if e.session_id == session_id),
                      key=lambda e: e.number)

    async def add_extension(self, extension: SessionExtension) -> SessionExtension:
        extension.id = len(self.asked) + 1
        self.asked.append(extension)
        return extension

    async def add_review(self, review: SessionReview) -> bool:
        if any(r.session_id == review.session_id for r in self.reviews.values()):
            return False
        review.id = max(self.reviews, default=0) + 1
        self.reviews[review.id] = review
        return True

    async def review(self, review_id: int) -> SessionReview | None:
        return self.reviews.get(review_id)

    async def review_of(self, session_id: int) -> int | None:
        return next((r.id for r in self.reviews.values() if r.session_id == session_id), None)

    async def reply_once(self, review: SessionReview, text: str, at: datetime) -> bool:
        stored = self.reviews[review.id]
        if stored.reply is not None:
            return False
        for target in {id(stored): stored, id(review): review}.values():
            target.reply, target.replied_at = text, at
        return True

    async def reviews_of(self, consultant_id: int, limit: int, offset: int
                         ) -> list[SessionReview]:
        mine = sorted((r for r in self.reviews.values() if r.consultant_id == consultant_id),
                      key=lambda r: r.id, reverse=True)
        return mine[max(offset, 0):max(offset, 0) + limit]

    async def standing(self, consultant_id: int) -> tuple[int, int, int, Decimal | None]:
        stars = [r.stars for r in self.reviews.values() if r.consultant_id == consultant_id]
        held = sum(1 for s in self.sessions.values()
                   if s.consultant_id == consultant_id and s.status in ENDED)
        every = [r.stars for r in self.reviews.values()]
        return sum(stars), len(stars), held, Decimal(sum(every)) / len(every) if every else None

    async def keep_standing(self, consultant_id: int, rating_x100: int, reviews: int,
                            sessions: int) -> None:
        self.standings[consultant_id] = (rating_x100, reviews, sessions)

    def recap_price(self, currency: str) -> Money:
        return Money.parse(self.recap_costs, currency)

    async def grant_recap(self, session_id: int, at: datetime) -> bool:
        session = self.sessions[session_id]
        if session.recap_granted_at is not None:
            return False
        session.recap_granted_at = at
        return True

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.people[a] for a in set(account_ids) if a in self.people}

    def emit(self, event: Event) -> None:
        self.events.append(event)


SEEKER_ID, CONSULTANT_ID, EVE, ROOT = 1, 2, 3, 4  # Ann seeks, Jānis consults; Root is an admin


def logbook(**given: Any) -> MemoryLogbook:
    """A logbook whose admin is Root."""
    book = MemoryLogbook(**given)
    book.admins.add(ROOT)
    return book


def book(logbook: MemoryLogbook, seeker: int = SEEKER_ID, consultant: int = CONSULTANT_ID, *,
         booking_id: int = 1, rate: str = "60.00", unit: str = "session30", minutes: int = 30,
         starts_in: timedelta = timedelta(0), authorised: bool = True,
         prepaid_as: str | None = None) -> int:
    """A booked session waiting for both to join, its maximum authorised (as
    `tests.consulting.session_support.book`, in memory: `from_booking.create_for_booking`'s
    row, the authorisation confirmed)."""
    price = Money.parse(rate, "EUR")
    session = ConsultSession(
        id=len(logbook.sessions) + 1, booking_id=booking_id, consultant_id=consultant,
        seeker_id=seeker, rate_minor=price.amount, currency="EUR", rate_unit=unit,
        booked_minutes=minutes, extended_minutes=0,
        authorised_minor=sessions.max_charge(price, unit, minutes).amount if authorised else 0,
        escrow_ref=prepaid_as or reference(booking_id), status=SESSION_PROCESS.initial,
        starts_at=logbook.at + starts_in, consultant_joined_at=None, seeker_joined_at=None,
        started_at=None, paid_from=None, ended_at=None, ended_by=None, charged_minor=None,
        free_used=False, call_link=None, recap_notes=None, recap_granted_at=None,
        created_at=logbook.at, updated_at=logbook.at)
    logbook.sessions[session.id] = session
    logbook.timers[(session.id, session.status)] = {"no-show": deadlines(session)["no-show"]}
    return session.id


async def live(logbook: MemoryLogbook, seeker: int = SEEKER_ID,
               consultant: int = CONSULTANT_ID, **booking: Any) -> int:
    """A booked session both parties joined: it is running."""
    session_id = book(logbook, seeker, consultant, **booking)
    await sessions.join(logbook, session_id, consultant)
    await sessions.join(logbook, session_id, seeker)
    return session_id


async def held(logbook: MemoryLogbook, seeker: int = SEEKER_ID,
               consultant: int = CONSULTANT_ID, booking_id: int = 1, minutes: int = 20) -> int:
    """A session that ran `minutes` and the seeker ended."""
    session_id = await live(logbook, seeker, consultant, booking_id=booking_id)
    logbook.advance(minutes=minutes)
    await sessions.end(logbook, session_id, seeker)
    return session_id


@dataclass
class MemoryTally:
    """A consultant's figures read from an in-memory logbook (its sessions and reviews), the
    bookings asked of each consultant (when asked, when confirmed), each account's zone and
    currency, and the consulting commission."""

    logbook: MemoryLogbook
    rule: CommissionRule = field(  # as the tests' policy: 15 %, at least 2.00
        default_factory=lambda: CommissionRule(Decimal(15), Decimal(2)))
    asked: dict[int, list[tuple[datetime, datetime | None]]] = field(default_factory=dict)
    accounts: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.logbook.now()

    def commission(self) -> CommissionRule:
        return self.rule

    async def is_admin(self, account_id: int) -> bool:
        return await self.logbook.is_admin(account_id)

    async def held(self, consultant_id: int) -> list[Held]:
        ended = sorted((s for s in self.logbook.sessions.values()
                        if s.consultant_id == consultant_id and s.status in ENDED),
                       key=lambda s: s.ended_at or s.created_at)
        return [Held(s.started_at, s.ended_at, s.charged_minor, s.currency) for s in ended]

    async def reviews(self, consultant_id: int) -> list[Review]:
        return [Review(r.stars, r.created_at) for r in self.logbook.reviews.values()
                if r.consultant_id == consultant_id]

    async def requests(self, consultant_id: int) -> tuple[int, list[timedelta]]:
        mine = self.asked.get(consultant_id, [])
        return len(mine), [done - at for at, done in mine if done is not None]

    async def account(self, account_id: int) -> tuple[str | None, str | None]:
        return self.accounts.get(account_id, (None, None))
