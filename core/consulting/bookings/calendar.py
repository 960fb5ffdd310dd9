"""Calendar invites for bookings (iCalendar, RFC 5545/5546, written with `icalendar`): one UID per
booking for its whole life, SEQUENCE raised with every reschedule, METHOD:REQUEST when a time is
agreed and METHOD:CANCEL when it is called off; times in UTC. A notice carries the invite as a
reference rendered at delivery, so it always shows the booking as it stands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.consulting.bookings.diary import Diary
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.calendars.port import AGORAS_OWN
from core.consulting.tables import Booking
from core.errors import Conflict, NotFound
from core.i18n import _
from core.notifications.delivery import Attachment, Resolver
from core.storage.uow import UnitOfWork

KIND = "booking-invite"
DOMAIN = AGORAS_OWN[1:]  # the UID's right-hand side: ours, never a real host


@dataclass(frozen=True)
class Party:
    name: str
    email: str | None


def uid(booking_id: int) -> str:
    """The booking's invite UID: the same for every update and the cancellation."""
    return f"booking-{booking_id}@{DOMAIN}"


def _address(party: Party, fallback: str) -> Any:  # icalendar.vCalAddress
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{party.email or fallback}")
    address.params["CN"] = vText(party.name)
    return address


def invite(booking_id: int, starts_at: datetime, minutes: int, sequence: int, method: str,
           organiser: Party, attendee: Party, stamp: datetime, location: str | None = None,
           description: str = "") -> bytes:
    """An iCalendar object with one event: REQUEST (a time agreed) or CANCEL; a `location` that
    is a link (where the parties meet) is the event's URL too."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unknown iTIP method {method}")
    from icalendar import Calendar, Event  # loaded with the first invite, not at start

    cal = Calendar()
    cal.add("prodid", "-//Agora//Consultant bookings//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid(booking_id))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("summary", _("Agora session: {organiser} and {attendee}", organiser=organiser.name,
                           attendee=attendee.name))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(organiser, f"consultant-{booking_id}@{DOMAIN}"))
    event.add("attendee", _address(attendee, f"seeker-{booking_id}@{DOMAIN}"))
    event.add("location", location or _("Agora chat"))
    if location and location.startswith("https://"):
        event.add("url", location)
    if description:
        event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()


async def booking_invite(uow: UnitOfWork | Diary, booking_id: int, method: str) -> Attachment:
    """The booking's invite as it stands (a cancellation raises the sequence once more)."""
    diary = diary_of(uow)
    booking = await diary.booking(booking_id)
    if booking is None:
        raise NotFound(_("That booking doesn't exist."))
    if booking.starts_at is None:
        raise Conflict(_("That booking has no agreed time."))
    parties = (booking.consultant_id, booking.seeker_id)
    names, emails = await diary.names(parties), await diary.emails(parties)
    consultant, seeker = (Party(names[p], emails.get(p)) for p in parties)
    sequence = booking.sequence + (1 if method == "CANCEL" else 0)
    data = invite(booking.id, booking.starts_at, booking.minutes, sequence, method,
                  consultant, seeker, diary.now(), booking.meeting_url, _description(booking))
    return Attachment(f"agora-booking-{booking.id}.ics", data, "text/calendar")


def _description(booking: Booking) -> str:
    """The invite's words: the booking, and where its parties meet."""
    if booking.meeting_url:
        return _("Booking #{id} on Agora. Meet at {link}; the chat keeps time and carries files.",
                 id=booking.id, link=booking.meeting_url)
    return _("Booking #{id} on Agora. Open it in the chat to join.", id=booking.id)


def attachment(booking_id: int, method: str) -> dict[str, str]:
    """The outbox reference to a booking's invite."""
    return {"kind": KIND, "key": f"{booking_id}:{method}"}


def resolvers(uow_factory: Callable[[], UnitOfWork]) -> dict[str, Resolver]:
    """The attachment kind bookings render, for the dispatchers (wired by the composition root)."""

    async def render(key: str) -> Attachment:
        booking_id, __, method = key.partition(":")
        async with uow_factory() as uow:
            return await booking_invite(uow, int(booking_id), method or "REQUEST")

    return {KIND: render}
