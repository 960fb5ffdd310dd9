"""Each member's private subscription address of their own bookings (an ICS feed), which their
calendar app follows: every booking with an agreed time, as consultant or as seeker, from a
month back, by the same UID as its invites. The address is a random token, shown only to its
owner; a new one retires the old."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import or_, select

from core.accounts.tables import Account
from core.consulting.bookings.calendar import uid
from core.consulting.bookings.calendar_out import GONE
from core.consulting.calendars.tables import CalendarFeed
from core.consulting.tables import Booking
from core.i18n import _
from core.money.reading import reading
from core.storage.uow import UnitOfWork

BACK = timedelta(days=31)  # past bookings a feed still lists


async def feed_token(uow: UnitOfWork, account_id: int, *, renew: bool = False) -> str:
    """The member's feed token, made at first; `renew` retires the old address."""
    row = await uow.get(CalendarFeed, account_id)
    if row is None:
        row = CalendarFeed(account_id=account_id, token=secrets.token_urlsafe(24),
                           created_at=uow.clock.now())
        uow.add(row)
    elif renew:
        row.token, row.created_at = secrets.token_urlsafe(24), uow.clock.now()
    await uow.session.flush()
    return row.token


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/feeds/bookings/{token}.ics"


async def feed_of(uow: UnitOfWork, token: str) -> bytes | None:
    """The feed behind a token (None for an unknown or retired one), in its owner's language."""
    if not token or len(token) > 64:
        return None
    row = (await uow.session.execute(select(CalendarFeed).where(
        CalendarFeed.token == token))).scalar_one_or_none()
    owner = await uow.get(Account, row.account_id) if row is not None else None
    if row is None or owner is None:
        return None
    found = (await uow.session.execute(select(Booking).where(
        or_(Booking.consultant_id == owner.id, Booking.seeker_id == owner.id),
        Booking.starts_at.is_not(None), Booking.confirmed_at.is_not(None),
        Booking.status.not_in(GONE), Booking.starts_at > uow.clock.now() - BACK)
        .order_by(Booking.starts_at))).scalars().all()
    bookings = list(found)
    others = {a.id: a.display_name for a in (await uow.session.execute(select(Account).where(
        Account.id.in_({b.consultant_id for b in bookings} | {b.seeker_id for b in bookings}))
    )).scalars()}
    with reading(owner):
        return _calendar(uow, owner, bookings, others)


def _calendar(uow: UnitOfWork, owner: Account, bookings: list[Booking],
              names: dict[int, str]) -> bytes:
    from icalendar import Calendar, Event  # loaded with the first feed, not at start

    cal = Calendar()
    cal.add("prodid", "-//Agora//Bookings feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Agora bookings"))
    cal.add("refresh-interval", timedelta(minutes=30), parameters={"VALUE": "DURATION"})
    for b in bookings:
        assert b.starts_at is not None
        other = names.get(b.seeker_id if b.consultant_id == owner.id else b.consultant_id, "—")
        event = Event()
        event.add("uid", uid(b.id))
        event.add("sequence", b.sequence)
        event.add("dtstamp", uow.clock.now())
        event.add("dtstart", b.starts_at)
        event.add("dtend", b.starts_at + timedelta(minutes=b.minutes))
        event.add("summary", _("Agora session with {name}", name=other))
        event.add("status", "CONFIRMED")
        link = b.meeting_url  # the two parties alone read a feed: each of them sees it
        event.add("location", link or _("Agora chat"))
        if link:
            event.add("url", link)
        event.add("description", _("Booking #{id} on Agora. Open it in the chat to join.", id=b.id))
        cal.add_component(event)
    return bytes(cal.to_ical())
