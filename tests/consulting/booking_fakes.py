"""The bookings' diary in memory (`core.consulting.bookings.diary.Diary`): the bookings' use
cases, the slots and the agenda run on it without a database. `test_diary_contract.py` holds it
to what the SQL diary does. (Named apart from a `fakes.py`, which the consultants' profiles
may have of their own.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.consulting.bookings import service as bookings
from core.consulting.bookings.diary import Held, Proposal, Span
from core.consulting.calendars.service import CalendarSync
from core.consulting.packages.balances import Balance, balance_of
from core.consulting.packages.retainers import RUNNING
from core.consulting.packages.rules import PackageState
from core.consulting.packages.tables import PackagePurchase, Retainer
from core.consulting.tables import Booking, ConsultantProfile
from core.errors import DomainError, NotFound
from core.events import Event
from core.i18n import _, present
from core.policy import BookingPolicy
from core.process.bookings import CONSULTANT, HOLDS_SLOT

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock: a Friday
EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass
class MemoryDiary:
    """Bookings and profiles in dicts (the entities, as plain objects), proposals in a list,
    the running timers by (booking, state), the clock standing still at `at` (tests move it),
    events kept in a list; who was locked, and whose calendar was asked to be fresh, too."""

    at: datetime = START
    booking_policy: BookingPolicy = field(default_factory=BookingPolicy)
    people: dict[int, str] = field(default_factory=dict)  # account id → display name
    zones: dict[int, str] = field(default_factory=dict)
    addresses: dict[int, str] = field(default_factory=dict)  # account id → email
    admins: set[int] = field(default_factory=set)
    profiles: dict[int, ConsultantProfile] = field(default_factory=dict)
    bookings: dict[int, Booking] = field(default_factory=dict)
    proposed: list[Proposal] = field(default_factory=list)
    calendars: dict[int, list[Span]] = field(default_factory=dict)  # own calendars' busy times
    package_ends: dict[int, datetime] = field(default_factory=dict)  # purchase id → expiry
    timers: dict[tuple[int, str], dict[str, datetime]] = field(default_factory=dict)
    packaged: set[int] = field(default_factory=set)  # consultants offering packages now
    retainers: list[Retainer] = field(default_factory=list)
    purchases: list[PackagePurchase] = field(default_factory=list)  # packages bought
    locked: list[int] = field(default_factory=list)
    refreshed: list[int] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def person(self, account_id: int, name: str, *, zone: str | None = None,
               admin: bool = False) -> int:
        """Someone the diary knows (what registration does for the SQL one)."""
        self.people[account_id] = name
        if zone:
            self.zones[account_id] = zone
        if admin:
            self.admins.add(account_id)
        return account_id

    def consultant(self, account_id: int, name: str, **changes: Any) -> ConsultantProfile:
        """A consultant with a live profile, as `tests.consulting.helpers.consultant` makes
        one: €80.00 for 60 minutes, 09:00 to 17:00 in Riga every day, two hours' notice, a
        15-minute buffer, six sessions a day at most (`changes` override)."""
        self.person(account_id, name, zone=changes.get("timezone", "Europe/Riga"))
        fields: dict[str, Any] = {
            "rate_kind": "session", "session_minutes": 60, "price_minor": 8000,
            "currency": "EUR", "timezone": "Europe/Riga", "weekly_hours": EVERY_DAY,
            "notice_minutes": 120, "buffer_minutes": 15, "daily_max": 6, "days_off": [],
            "horizon_days": 60, "slot_minutes": 30, "meeting_url": None, "online_until": None,
            "live": True, "sessions_completed": 0}
        profile = ConsultantProfile(account_id=account_id, **(fields | changes))
        self.profiles[account_id] = profile
        return profile

    def running(self, booking_id: int) -> dict[str, datetime]:
        """The booking's running timers: what fires → when it is due."""
        return {fires: due for (b, __), by in self.timers.items() if b == booking_id
                for fires, due in by.items()}

    def now(self) -> datetime:
        return self.at

    def policy(self) -> BookingPolicy:
        return self.booking_policy

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def booking(self, booking_id: int) -> Booking | None:
        return self.bookings.get(booking_id)

    async def profile(self, consultant_id: int, *, lock: bool = False) -> ConsultantProfile:
        if consultant_id not in self.profiles:
            raise NotFound(_("That consultant has no profile."))
        if lock:
            self.locked.append(consultant_id)
        return self.profiles[consultant_id]

    async def held(self, start: datetime, end: datetime, *,
                   consultants: Iterable[int] = (), seeker: int | None = None) -> list[Held]:
        wanted = set(consultants)
        return [Held(b.id, b.consultant_id, b.seeker_id, b.starts_at, b.minutes)
                for b in self.bookings.values()
                if (b.seeker_id == seeker if seeker is not None else b.consultant_id in wanted)
                and b.status in HOLDS_SLOT and b.starts_at is not None
                and start - timedelta(hours=24) < b.starts_at < end]

    async def calendar_busy(self, consultants: Iterable[int], start: datetime,
                            end: datetime) -> dict[int, list[Span]]:
        found: dict[int, list[Span]] = {}
        for consultant_id in consultants:
            for s, e in self.calendars.get(consultant_id, []):
                if s < end and e > start:
                    found.setdefault(consultant_id, []).append((s, e))
        return found

    async def ensure_calendar_fresh(self, calendars: CalendarSync, consultant_id: int) -> None:
        self.refreshed.append(consultant_id)

    async def add(self, booking: Booking) -> Booking:
        booking.id = max(self.bookings, default=0) + 1
        self.bookings[booking.id] = booking
        return booking

    async def reserve_package(self, booking: Booking) -> None:
        return None  # nobody holds a package here: packages are proven on the database

    async def check_package_start(self, booking: Booking, starts_at: datetime) -> None:
        ends = self.package_ends.get(booking.package_purchase_id or 0)
        if ends is not None and starts_at >= ends:
            raise DomainError(_("Your package expires {when}: choose a time before then.",
                                when=present.day(ends)))

    async def propose(self, booking_id: int, round_: int, times: Iterable[datetime],
                      role: str) -> None:
        for moment in times:
            self.proposed.append(Proposal(len(self.proposed) + 1, booking_id, round_, moment,
                                          role))

    async def proposals(self, booking_id: int, round_: int) -> list[Proposal]:
        return sorted((p for p in self.proposed if (p.booking_id, p.round) == (booking_id, round_)),
                      key=lambda p: p.starts_at)

    async def proposal(self, proposal_id: int) -> Proposal | None:
        return next((p for p in self.proposed if p.id == proposal_id), None)

    async def move(self, booking: Booking, source: str, values: dict[str, Any]) -> bool:
        stored = self.bookings.get(booking.id)
        if stored is None or stored.status != source:
            return False
        for target in {id(stored): stored, id(booking): booking}.values():
            for name, value in values.items():
                setattr(target, name, value)
        return True

    async def mark_joined(self, booking: Booking, role: str, at: datetime) -> None:
        name = "consultant_joined_at" if role == CONSULTANT else "seeker_joined_at"
        if getattr(self.bookings[booking.id], name) is None:
            setattr(self.bookings[booking.id], name, at)

    async def stop_timers(self, booking_id: int, state: str) -> None:
        self.timers.pop((booking_id, state), None)

    async def schedule_timers(self, booking_id: int, state: str,
                              due: dict[str, datetime]) -> None:
        if due:
            self.timers.setdefault((booking_id, state), {}).update(due)

    async def count_completed(self, consultant_id: int) -> None:
        profile = self.profiles[consultant_id]
        profile.sessions_completed = (profile.sessions_completed or 0) + 1

    async def zone_of(self, account_id: int) -> str:
        return self.zones.get(account_id) or "UTC"

    async def bookings_of(self, account_id: int, limit: int) -> list[Booking]:
        mine = [b for b in self.bookings.values() if account_id in (b.seeker_id, b.consultant_id)]
        return sorted(mine, key=lambda b: b.id, reverse=True)[:limit]

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.people[a] for a in set(account_ids) if a in self.people}

    async def emails(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.addresses[a] for a in set(account_ids) if a in self.addresses}

    async def offers_packages(self, consultant_id: int) -> bool:
        return consultant_id in self.packaged

    async def packages_held(self, account_id: int) -> tuple[list[Retainer], list[Balance]]:
        def mine(p: Retainer | PackagePurchase) -> bool:
            return account_id in (p.seeker_id, p.consultant_id)

        return ([r for r in sorted(self.retainers, key=lambda r: r.id)
                 if mine(r) and r.status in RUNNING],
                [balance_of(p) for p in sorted(self.purchases, key=lambda p: p.id)
                 if mine(p) and p.status == PackageState.ACTIVE])

    async def online_now(self, other_than: int) -> list[ConsultantProfile]:
        online = [p for p in self.profiles.values() if p.live and p.account_id != other_than
                  and p.online_until is not None and p.online_until > self.at]
        return sorted(online, key=lambda p: -(p.sessions_completed or 0))

    def emit(self, event: Event) -> None:
        self.events.append(event)


ANN, BOB, EVE, ROOT = 1, 2, 3, 4  # Ann consults, Bob and Eve seek, Root is an admin


def staffed(**given: Any) -> MemoryDiary:
    """A diary that knows Ann (a live consultant, as the helpers make her), Bob and Eve
    (seekers in Riga) and Root (an admin)."""
    diary = MemoryDiary(**given)
    diary.consultant(ANN, "Ann")
    diary.person(BOB, "Bob", zone="Europe/Riga")
    diary.person(EVE, "Eve", zone="Europe/Riga")
    diary.person(ROOT, "Root", admin=True)
    return diary


async def booked(diary: MemoryDiary, seeker_id: int, consultant_id: int, at: datetime,
                 minutes: int | None = None) -> Booking:
    """A request for a free slot (`tests.consulting.helpers.booked`, in memory)."""
    return await bookings.request_slot(diary, seeker_id, consultant_id, at, minutes)


async def confirmed(diary: MemoryDiary, seeker_id: int, consultant_id: int,
                    at: datetime) -> Booking:
    """A slot requested and accepted."""
    booking = await booked(diary, seeker_id, consultant_id, at)
    return await bookings.accept(diary, booking.id, consultant_id)
