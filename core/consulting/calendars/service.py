"""A consultant's own calendar: connecting it, reading its busy times into `calendar_busy`
(every few minutes, and again before a booking is confirmed), and telling the consultant once
when it fails. Calls to the calendar (the port) never run inside a transaction: a use case
reads what it needs, lets the transaction go, asks the calendar, then writes what it learnt."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, or_, select

from core.actions import Action
from core.consulting.calendars.port import (
    CalendarAccess,
    CalendarFound,
    Calendars,
    CalendarStatus,
    CalendarUnreachable,
    Kind,
    OwnBusy,
    Problem,
    Span,
)
from core.consulting.calendars.tables import CalendarBusy, ConnectedCalendar
from core.consulting.calendars.view import CalendarView, view_of
from core.consulting.calendars.words import MEANWHILE, REFUSED, TROUBLE
from core.consulting.events import CalendarReady
from core.consulting.intents import ConsultingIntent
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed, OutsideFirst
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify
from core.sealed import Sealer, Unsealable
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

READ_EVERY = timedelta(minutes=5)  # the reading job's pace, per calendar
FRESH = timedelta(seconds=60)  # a confirmation older than this reads the calendar again
BEHIND = timedelta(days=1)  # busy times kept from a day back…
AHEAD = timedelta(days=90)  # …to past the farthest bookable day

async def connected(uow: UnitOfWork, account_id: int) -> CalendarView | None:
    """The member's connected calendar, if any."""
    row = await uow.get(ConnectedCalendar, account_id)
    return view_of(row) if row is not None else None


async def disconnect(uow: UnitOfWork, account_id: int) -> bool:
    """Forget the calendar, its secrets and its busy times; True if there was one."""
    row = await uow.get(ConnectedCalendar, account_id)
    if row is None:
        return False
    await uow.session.execute(delete(CalendarBusy).where(CalendarBusy.account_id == account_id))
    await uow.session.delete(row)
    return True


async def stale(uow: UnitOfWork, account_id: int) -> bool:
    """Whether the consultant's calendar should be read again before a booking is confirmed:
    it is connected, working, and was last read more than `FRESH` ago. (A failing one is not
    waited for: the consultant's Agora hours still work.)"""
    row = await uow.get(ConnectedCalendar, account_id)
    if row is None or row.status != CalendarStatus.OK:
        return False
    return row.synced_at is None or uow.clock.now() - row.synced_at > FRESH


async def busy_between(uow: UnitOfWork, account_ids: list[int], start: datetime,
                       end: datetime) -> dict[int, list[Span]]:
    """Each consultant's busy times read from their calendar, overlapping [start, end)."""
    if not account_ids:
        return {}
    rows = (await uow.session.execute(select(
        CalendarBusy.account_id, CalendarBusy.starts_at, CalendarBusy.ends_at).where(
        CalendarBusy.account_id.in_(account_ids), CalendarBusy.starts_at < end,
        CalendarBusy.ends_at > start))).all()
    found: dict[int, list[Span]] = {}
    for account_id, starts, ends in rows:
        found.setdefault(account_id, []).append(OwnBusy(starts, ends))
    return found


def host_of(url: str) -> str:
    """What a person is shown of an address: its host alone (an ICS address is a secret)."""
    return (urlsplit(url.replace("webcal://", "https://", 1)).hostname or "?")[:200]


@dataclass(frozen=True)
class Attempt:
    """What connecting a calendar came to: the calendar, or why not (a sentence); `asked`
    tells the answers it was for from others."""

    asked: str
    view: CalendarView | None
    refused: str | None


class CalendarSync:
    """Connecting and reading consultants' calendars through the port; built once by the
    composition root (the port, the sealer for secrets at rest, a unit-of-work factory)."""

    def __init__(self, uow: Callable[[], UnitOfWork], port: Calendars, sealer: Sealer) -> None:
        self.uow = uow
        self.port = port
        self.sealer = sealer
        # A conversation's step that connects asks for it outside its transaction
        # (`OutsideFirst`) and, run again at once by the same process, takes the outcome here.
        self._attempts: dict[int, Attempt] = {}
        self._read_now: set[int] = set()

    def connect_first(self, account_id: int, kind: Kind, url: str, username: str | None,
                      password: str | None) -> Attempt:
        """For a step inside a transaction: the outcome of connecting this calendar, asked for
        outside the transaction first (raises OutsideFirst the first time)."""
        asked = hashlib.sha256("\0".join((kind, url, username or "", password or ""))
                               .encode()).hexdigest()
        done = self._attempts.pop(account_id, None)
        if done is not None and done.asked == asked:  # this step's own outcome, just made
            return done

        async def attempt() -> None:
            try:
                view = await self.connect(account_id, kind, url, username, password)
            except DomainError as exc:
                self._attempts[account_id] = Attempt(asked, None, str(exc))
            else:
                self._attempts[account_id] = Attempt(asked, view, None)
        raise OutsideFirst(attempt)

    def read_first(self, account_id: int) -> bool:
        """For a step inside a transaction: read the calendar now, outside the transaction
        (raises OutsideFirst the first time); True once it was read (or tried)."""
        if account_id in self._read_now:
            self._read_now.discard(account_id)
            return True

        async def attempt() -> None:
            await self.refresh(account_id)
            self._read_now.add(account_id)
        raise OutsideFirst(attempt)

    async def connect(self, account_id: int, kind: Kind, url: str, username: str | None = None,
                      password: str | None = None) -> CalendarView:
        """Reach the calendar, keep it (its secrets sealed) and read its busy times."""
        url = url.strip()
        if not url.startswith(("https://", "http://", "webcal://")) or len(url) > 1000:
            raise DomainError(_("A calendar address starts with https://."))
        if kind == "caldav" and not (username and password):
            raise DomainError(_("A CalDAV calendar needs its user name and an app password."))
        async with self.uow() as uow:
            if await uow.get(ConsultantProfile, account_id) is None:
                raise NotAllowed(_("Connecting a calendar is for consultants: start your "
                                   "consultant profile first."))
        access = CalendarAccess(kind, url, username if kind == "caldav" else None,
                                password if kind == "caldav" else None)
        try:
            found = await self.port.check(access)
        except CalendarUnreachable as exc:
            raise DomainError(_(REFUSED[exc.problem])) from None
        async with self.uow() as uow:
            row = await self._keep(uow, account_id, access, found)
            view = view_of(row)
            await uow.commit()
        await self.refresh(account_id)
        return view

    async def _keep(self, uow: UnitOfWork, account_id: int, access: CalendarAccess,
                    found: CalendarFound) -> ConnectedCalendar:
        row = await uow.get(ConnectedCalendar, account_id)
        if row is None:
            row = ConnectedCalendar(account_id=account_id, connected_at=uow.clock.now())
            uow.add(row)
        row.kind, row.host, row.name = access.kind, host_of(access.url), found.name[:200]
        row.address_sealed = self.sealer.seal(access.url)
        row.username = access.username
        row.password_sealed = self.sealer.seal(access.password) if access.password else None
        row.calendar_url = found.calendar_url
        row.status, row.problem, row.failing_since, row.told_at = CalendarStatus.OK, None, None, None
        row.synced_at = None
        await uow.session.execute(delete(CalendarBusy).where(CalendarBusy.account_id == account_id))
        await uow.session.flush()
        return row

    def access_of(self, row: ConnectedCalendar) -> CalendarAccess:
        """How to reach the calendar, its secrets opened (Unsealable if the key changed)."""
        return CalendarAccess(row.kind, self.sealer.open(row.address_sealed),  # type: ignore[arg-type]
                              row.username,
                              self.sealer.open(row.password_sealed) if row.password_sealed else None,
                              row.calendar_url)

    async def refresh(self, account_id: int) -> bool:
        """Read the consultant's busy times now; False when the calendar failed (they are told
        once) or none is connected."""
        async with self.uow() as uow:
            row = await uow.get(ConnectedCalendar, account_id)
            if row is None:
                return False
            try:
                access = self.access_of(row)
            except Unsealable:
                access = None
            now = uow.clock.now()
        if access is None:
            await self.failed(account_id, "auth")
            return False
        try:
            spans = await self.port.busy(access, now - BEHIND, now + AHEAD)
        except CalendarUnreachable as exc:
            await self.failed(account_id, exc.problem)
            return False
        await self._read(account_id, spans)
        return True

    async def _read(self, account_id: int, spans: list[Span]) -> None:
        """Replace the consultant's busy times with what the calendar said."""
        async with self.uow() as uow:
            # Locked first: two readings of one calendar at once (the job, a confirmation)
            # replace its busy times one after the other, never interleaved.
            row = await uow.get(ConnectedCalendar, account_id, with_for_update=True,
                                        populate_existing=True)
            if row is None:  # disconnected meanwhile
                return
            await uow.session.execute(delete(CalendarBusy).where(
                CalendarBusy.account_id == account_id))
            if spans:
                await uow.session.execute(insert(table_of(CalendarBusy)), [
                    {"account_id": account_id, "starts_at": s, "ends_at": e} for s, e in spans])
            back = row.status != CalendarStatus.OK or row.synced_at is None  # failing, or just connected
            was_failing = row.failing_since is not None
            row.status, row.problem, row.failing_since, row.told_at = CalendarStatus.OK, None, None, None
            row.synced_at = uow.clock.now()
            if back:
                uow.emit(CalendarReady(account_id))
            if was_failing:
                async with addressed_to(uow, account_id):
                    await notify(uow, account_id, _(
                        "✅ Your calendar {name} is read again: its busy times count once more.",
                        name=row.name))
            await uow.commit()

    async def failed(self, account_id: int, problem: Problem) -> None:
        """Mark the calendar failing and tell the consultant, once for this failure."""
        async with self.uow() as uow:
            row = await uow.get(ConnectedCalendar, account_id)
            if row is None:
                return
            now = uow.clock.now()
            if row.status != CalendarStatus.FAILING:
                row.status, row.failing_since = CalendarStatus.FAILING, now
            row.problem = problem
            row.synced_at = now  # read again at the job's pace, not at every confirmation
            if row.told_at is None:
                row.told_at = now
                async with addressed_to(uow, account_id):
                    await notify(uow, account_id, _(TROUBLE[problem], name=row.name,
                                                    host=row.host) + "\n" + _(MEANWHILE),
                                 buttons=[[Action(ConsultingIntent.CALENDAR, N_("📅 My calendar"))]])
            await uow.commit()

    async def refresh_due(self) -> int:
        """The reading job: every calendar not read for `READ_EVERY`; how many were read."""
        async with self.uow() as uow:
            due = list((await uow.session.execute(select(ConnectedCalendar.account_id).where(
                or_(ConnectedCalendar.synced_at.is_(None),
                    ConnectedCalendar.synced_at < uow.clock.now() - READ_EVERY)))).scalars())
        return sum([await self.refresh(account_id) for account_id in due])

    async def ensure_fresh(self, uow: UnitOfWork, account_id: int) -> None:
        """Before a booking of this consultant is confirmed: if their calendar was not read in
        the last minute, ask the entry point to read it first (outside the transaction), then
        run the confirmation again on what it said."""
        if await stale(uow, account_id):
            raise OutsideFirst(lambda: self.refresh(account_id))

