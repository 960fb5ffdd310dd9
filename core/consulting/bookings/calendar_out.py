"""Bookings written into the consultant's own CalDAV calendar: created once a time is agreed,
moved when it is rescheduled, removed when it is called off — always by the booking's one UID
(core.consulting.bookings.calendar.uid).

A move that changes the agreed time writes an outbox row for the channel `calendar` (address
`calendar:<consultant>`), so the write happens after commit, in order per calendar, retried
with back-off like a chat message. The writer does not replay the move: it makes the calendar
show the booking as it stands at delivery, so a late or repeated row is harmless."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.accounts.tables import Account
from core.consulting.bookings import calendar
from core.consulting.calendars.port import CalendarUnreachable
from core.consulting.calendars.service import CalendarSync
from core.consulting.calendars.tables import ConnectedCalendar
from core.consulting.events import BookingMoved, CalendarReady
from core.consulting.tables import Booking
from core.money.reading import reading
from core.notifications.delivery import Attachment
from core.notifications.outbox import to_machine
from core.sealed import Unsealable
from core.storage.uow import UnitOfWork

CHANNEL = "calendar"
# The moves after which the calendar shows something else: a time agreed or moved, or gone.
WRITES_ON = frozenset({"accept-request", "accept-proposal", "accept-reschedule", "move", "cancel",
                       "call-off", "release-unpaid"})
GONE = frozenset({"cancelled", "released", "declined", "expired"})


async def on_moved(uow: UnitOfWork, event: BookingMoved) -> None:
    """During commit: after a move that changes the agreed time, write the calendar (later)."""
    if event.transition not in WRITES_ON:
        return
    booking = await uow.get(Booking, event.booking_id)
    if booking is None:
        return
    own = await uow.get(ConnectedCalendar, booking.consultant_id)
    if own is None or own.kind != "caldav":
        return
    to_machine(uow, CHANNEL, f"calendar:{booking.consultant_id}", {"booking": booking.id})


async def on_ready(uow: UnitOfWork, event: CalendarReady) -> None:
    """During commit: a calendar connected or working again shows every upcoming booking (what
    failed to be written meanwhile too)."""
    own = await uow.get(ConnectedCalendar, event.account_id)
    if own is None or own.kind != "caldav":
        return
    upcoming = (await uow.session.execute(select(Booking.id).where(
        Booking.consultant_id == event.account_id, Booking.confirmed_at.is_not(None),
        Booking.starts_at > uow.clock.now() - timedelta(days=1),
        Booking.status.not_in(GONE)).order_by(Booking.starts_at))).scalars()
    for booking_id in upcoming:
        to_machine(uow, CHANNEL, f"calendar:{event.account_id}", {"booking": booking_id})


def shown(booking: Booking) -> bool:
    """Whether the booking is an event in the consultant's calendar now."""
    return (booking.starts_at is not None and booking.confirmed_at is not None
            and booking.status not in GONE)


def as_resource(invite: bytes) -> bytes:
    """A booking's invite as a calendar object resource: CalDAV forbids METHOD in one."""
    from icalendar import Calendar

    cal = Calendar.from_ical(invite)
    cal.pop("METHOD", None)
    return bytes(cal.to_ical())


class CalendarWriter:
    """The outbox's sender for the `calendar` channel (see the module's docstring)."""

    def __init__(self, uow: Callable[[], UnitOfWork], sync: CalendarSync) -> None:
        self.uow = uow
        self.sync = sync

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        booking_id = int(payload["booking"])
        async with self.uow() as uow:
            booking = await uow.get(Booking, booking_id)
            own = await uow.get(ConnectedCalendar, booking.consultant_id) if booking else None
            if booking is None or own is None or own.kind != "caldav":
                return None  # gone, or disconnected since: nothing to write
            account_id = own.account_id
            try:
                access = self.sync.access_of(own)
            except Unsealable:
                access = None
            event = None
            if access is not None and shown(booking):
                with reading(await uow.get(Account, booking.consultant_id)):
                    event = as_resource((await calendar.booking_invite(
                        uow, booking.id, "REQUEST")).content)
        if access is None:
            await self.sync.failed(account_id, "auth")
            return None
        await self._write(account_id, access, calendar.uid(booking_id), event)
        return None

    async def _write(self, account_id: int, access: Any, uid: str, event: bytes | None) -> None:
        try:
            if event is not None:
                await self.sync.port.put_event(access, uid, event)
            else:
                await self.sync.port.remove_event(access, uid)
        except CalendarUnreachable as exc:
            await self.sync.failed(account_id, exc.problem)  # told once
            raise  # and the row is tried again later, with back-off
