"""Reminders before a session, from the declared offsets (24 h and 15 min before the start):
both parties hear when it starts in their own time zone and where they meet, once per start
time and offset — a reminder that went before a reschedule was proposed does not go again while
it waits, and one whose moment had passed when the booking was confirmed never goes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select

from core.actions import Action
from core.clock import local_time
from core.consulting.bookings.notices.parties import meeting_line
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.intents import ConsultingIntent
from core.consulting.tables import Booking
from core.errors import NotFound
from core.i18n import N_, _, n_
from core.notifications.outbox import addressed_to, notify
from core.process import timers
from core.process.bookings import BOOKING_PROCESS
from core.process.tables import ProcessReminder, ProcessTimer
from core.storage.uow import UnitOfWork

HORIZON = max((o for t in BOOKING_PROCESS.timers for o in t.remind), default=timedelta(0))


async def remind(uow: UnitOfWork, timer_id: int) -> int:
    """Send the reminders now due before this timer's deadline; returns how many went."""
    timer = await uow.get(ProcessTimer, timer_id, populate_existing=True)
    now = uow.clock.now()
    if timer is None or timer.done_at is not None or timer.due_at <= now:
        return 0
    booking = await uow.get(Booking, timer.subject_id)
    if booking is None or booking.status != timer.state or booking.starts_at is None:
        return 0
    since = booking.confirmed_at or booking.created_at
    passed = [o for o in _offsets(timer) if since <= timer.due_at - o <= now]
    fresh = [o for o in passed if not await _went(uow, timer, o)
             and await timers.mark_reminded(uow, timer.id, o)]
    if not fresh:
        return 0
    await tell(uow, booking, min(fresh))
    return 2


def _offsets(timer: ProcessTimer) -> tuple[timedelta, ...]:
    for declared in BOOKING_PROCESS.timers_in(timer.state):
        if declared.fires == timer.fires:
            return declared.remind
    return ()


async def _went(uow: UnitOfWork, timer: ProcessTimer, offset: timedelta) -> bool:
    """Whether this reminder went for the same start from another state's timer."""
    return bool((await uow.session.execute(select(exists().where(
        ProcessReminder.timer_id == ProcessTimer.id, ProcessTimer.id != timer.id,
        ProcessTimer.process == timer.process, ProcessTimer.subject_id == timer.subject_id,
        ProcessTimer.fires == timer.fires, ProcessTimer.due_at == timer.due_at,
        ProcessReminder.offset_seconds == int(offset.total_seconds()))))).scalar())


def _text(offset: timedelta, length: int, other: str, when: str) -> str:
    """“⏰ Your 60-minute session with Anna starts in 15 minutes: Mon 24 Nov, 14:00 (…)”."""
    minutes = int(offset.total_seconds() // 60)
    if minutes % 60:
        return n_("⏰ Your {length}-minute session with {name} starts in {n} minute: {when}.",
                  "⏰ Your {length}-minute session with {name} starts in {n} minutes: {when}.",
                  minutes, length=length, name=other, when=when)
    if minutes == 60:
        return _("⏰ Your {length}-minute session with {name} starts in an hour: {when}.",
                 length=length, name=other, when=when)
    return n_("⏰ Your {length}-minute session with {name} starts in {n} hour: {when}.",
              "⏰ Your {length}-minute session with {name} starts in {n} hours: {when}.",
              minutes // 60, length=length, name=other, when=when)


async def tell(uow: UnitOfWork, booking: Booking, offset: timedelta) -> None:
    """Both parties hear that the session starts `offset` from now, in their own zones (the
    consultant's is their profile's), and where they meet: read from the diary, so the words
    are tested without a database (the timers that decide when, on it)."""
    assert booking.starts_at is not None
    diary = diary_of(uow)
    names = await diary.names([booking.consultant_id, booking.seeker_id])
    if booking.consultant_id not in names or booking.seeker_id not in names:
        return
    try:
        consultant_zone = (await diary.profile(booking.consultant_id)).timezone
    except NotFound:
        consultant_zone = await diary.zone_of(booking.consultant_id)
    zones = {booking.consultant_id: consultant_zone,
             booking.seeker_id: await diary.zone_of(booking.seeker_id)}
    others = {booking.consultant_id: names[booking.seeker_id],
              booking.seeker_id: names[booking.consultant_id]}
    button = [[Action(ConsultingIntent.VIEW_BOOKING, N_("📅 View the booking"), str(booking.id))]]
    for party in (booking.seeker_id, booking.consultant_id):
        async with addressed_to(uow, party):  # the start written as this party reads days
            when = local_time(booking.starts_at, zones[party])
            text = _text(offset, booking.minutes, others[party], when)
            if booking.meeting_url:
                text += "\n" + meeting_line(booking.meeting_url)
            await notify(uow, party, text, buttons=button, urgent=offset <= timedelta(hours=1))


def reminder_moments(starts_at: datetime) -> list[datetime]:
    """When the reminders of a session starting then go."""
    return [starts_at - o for o in HORIZON_OFFSETS]


HORIZON_OFFSETS = tuple(sorted({o for t in BOOKING_PROCESS.timers for o in t.remind},
                               reverse=True))
