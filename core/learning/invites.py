"""Calendar invites for webinars and events (iCalendar with `icalendar`, as bookings' invites):
one UID per gathering for its whole life, its SEQUENCE, METHOD:REQUEST, times in UTC; the
location is the place, or the webinar's join link once it is sent (“online” until then)."""

from __future__ import annotations

from datetime import timedelta

from core.accounts.tables import Account
from core.consulting.bookings.calendar import DOMAIN
from core.i18n import _
from core.learning.gatherings import get
from core.learning.rules import KINDS
from core.storage.uow import UnitOfWork


def uid(gathering_id: int) -> str:
    """The gathering's invite UID: the same for every person and every update."""
    return f"gathering-{gathering_id}@{DOMAIN}"


async def invite(uow: UnitOfWork, gathering_id: int, account_id: int) -> tuple[str, bytes]:
    """(file name, iCalendar bytes) of a gathering's invite for one person."""
    gathering = await get(uow, gathering_id)
    person = await uow.get(Account, account_id)
    from icalendar import Calendar, Event, vCalAddress, vText  # loaded with the first invite

    cal = Calendar()
    cal.add("prodid", "-//Agora//Webinars and events//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid(gathering.id))
    event.add("sequence", gathering.sequence)
    event.add("dtstamp", uow.clock.now())
    event.add("dtstart", gathering.starts_at)
    event.add("dtend", gathering.starts_at + timedelta(minutes=gathering.minutes))
    event.add("summary", f"{_(KINDS[gathering.kind]).split(' ', 1)[1]}: {gathering.title}")
    event.add("status", "CONFIRMED")
    event.add("location", gathering.place or _("Online — the join link comes in the Agora chat "
                                               "at the start"))
    event.add("description", (gathering.description + "\n\n" if gathering.description else "")
              + _("Details and your answer in the Agora chat."))
    organiser = vCalAddress(f"mailto:events@{DOMAIN}")
    organiser.params["CN"] = vText("Agora")
    event.add("organizer", organiser)
    if person is not None:
        attendee = vCalAddress(f"mailto:{person.email or f'member-{person.id}@{DOMAIN}'}")
        attendee.params["CN"] = vText(person.display_name)
        event.add("attendee", attendee)
    cal.add_component(event)
    return f"agora-{gathering.kind.replace('_', '-')}-{gathering.id}.ics", cal.to_ical()
