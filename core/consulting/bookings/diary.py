"""The consultants' bookings' storage, behind their use cases: a repository protocol (`Diary`),
as the learning context's `Shelf` (`core.learning.shelf`) and support's `Desk` are. Its SQL
implementation, `SqlDiary`, works inside the caller's unit of work
(`core.consulting.bookings.sql_diary`); the tests' `MemoryDiary`
(`tests/consulting/booking_fakes.py`) runs the use cases without a database, and
`tests/consulting/test_diary_contract.py` holds the two alike.

A booking and a consultant's profile travel as the `Booking` and `ConsultantProfile` entities:
the use cases hand them to callers (flows, the sessions, the money bridge) that read them as
before, and outside a session they are plain objects the fake keeps in its dicts. Everything
else (a held time, a proposed time) is a plain value.

What stays on the database alone: the lock on the consultant's profile that serialises two
seekers racing for one slot (`profile(lock=True)`), and the money a booking moves (a package's
reserved session, the free minutes a confirmation reads) — proven in
`tests/consulting/test_double_booking.py`, `test_booking_paths.py` and `test_booking_endings.py`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.consulting.calendars.service import CalendarSync
from core.consulting.packages.balances import Balance
from core.consulting.packages.tables import Retainer
from core.consulting.tables import Booking, ConsultantProfile
from core.events import Event
from core.policy import BookingPolicy

Span = tuple[datetime, datetime]  # an aware start and end


@dataclass(frozen=True)
class Held:
    """A booking holding a consultant's time: which one, whose, from when, for how long."""

    booking_id: int
    consultant_id: int
    seeker_id: int
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class Proposal:
    """One time a party proposed in one round of a booking."""

    id: int
    booking_id: int
    round: int
    starts_at: datetime
    proposed_by: str


class Diary(Protocol):
    """What the bookings' use cases ask of storage, of who is an admin, of the clock and the
    bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def policy(self) -> BookingPolicy:
        """The booking policy (join window, notice, fees, meeting server)."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        """Whether the account is an administrator."""
        ...

    async def booking(self, booking_id: int) -> Booking | None:
        """The booking, as this transaction holds it."""
        ...

    async def profile(self, consultant_id: int, *, lock: bool = False) -> ConsultantProfile:
        """The consultant's profile; NotFound if none. `lock`: held until the transaction
        ends, so that only one booking at a time is checked against the consultant's times."""
        ...

    async def held(self, start: datetime, end: datetime, *,
                   consultants: Iterable[int] = (), seeker: int | None = None) -> list[Held]:
        """The bookings holding a slot (`HOLDS_SLOT`) of these consultants, or of this seeker,
        that start after a day before `start` and before `end`."""
        ...

    async def calendar_busy(self, consultants: Iterable[int], start: datetime,
                            end: datetime) -> dict[int, list[Span]]:
        """Each consultant's busy times read from their own calendar, overlapping
        [start, end)."""
        ...

    async def ensure_calendar_fresh(self, calendars: CalendarSync, consultant_id: int) -> None:
        """Before a confirmation: the consultant's calendar read again first if it is stale
        (`CalendarSync.ensure_fresh`)."""
        ...

    async def add(self, booking: Booking) -> Booking:
        """Store a new booking; it has its id from now on."""
        ...

    async def reserve_package(self, booking: Booking) -> None:
        """Draw the new booking's session from the seeker's package with the consultant, when
        they hold one (setting its `package_purchase_id` and `max_minor`)."""
        ...

    async def check_package_start(self, booking: Booking, starts_at: datetime) -> None:
        """DomainError when the booking is drawn from a package that expires by `starts_at`."""
        ...

    async def propose(self, booking_id: int, round_: int, times: Iterable[datetime],
                      role: str) -> None:
        """Record one party's times of a round, proposed now."""
        ...

    async def proposals(self, booking_id: int, round_: int) -> list[Proposal]:
        """The times of this round of the booking, earliest first."""
        ...

    async def proposal(self, proposal_id: int) -> Proposal | None:
        """One proposed time, whichever booking it belongs to."""
        ...

    async def move(self, booking: Booking, source: str, values: dict[str, Any]) -> bool:
        """Write these values (the status among them) only if the booking is still in
        `source`; False when it moved meanwhile. The booking given holds them after."""
        ...

    async def mark_joined(self, booking: Booking, role: str, at: datetime) -> None:
        """The party's (consultant or seeker) first join, once; the booking given is read
        again after."""
        ...

    async def stop_timers(self, booking_id: int, state: str) -> None:
        """Stop the running timers of `state` for this booking."""
        ...

    async def schedule_timers(self, booking_id: int, state: str,
                              due: dict[str, datetime]) -> None:
        """Run these timers of `state` (what fires → when it is due) for this booking."""
        ...

    async def count_completed(self, consultant_id: int) -> None:
        """One more completed session on the consultant's profile (their rank)."""
        ...

    async def zone_of(self, account_id: int) -> str:
        """The account's time zone (UTC when it has none)."""
        ...

    async def bookings_of(self, account_id: int, limit: int) -> list[Booking]:
        """The bookings the account is a party to, newest (highest id) first."""
        ...

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The display names of those accounts that exist."""
        ...

    async def emails(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The email addresses of those accounts that have one (a calendar invite's parties)."""
        ...

    async def offers_packages(self, consultant_id: int) -> bool:
        """Whether the consultant offers session packages now (a profile page says so)."""
        ...

    async def packages_held(self, account_id: int) -> tuple[list[Retainer], list[Balance]]:
        """The retainers and the paid session packages this account holds or gives that still
        run, oldest first (what its bookings are listed with)."""
        ...

    async def online_now(self, other_than: int) -> list[ConsultantProfile]:
        """The live consultants online now (by this clock) but `other_than`, those with the
        most sessions completed first (“talk now” nobody answered offers some of them)."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...
