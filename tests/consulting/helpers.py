"""Consultants and seekers made through the core services, and what they were told."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from config.container import Container
from core.accounts.tables import Account
from core.catalog.media import FileStore
from core.companies.billing import give
from core.consulting.bookings import service as bookings
from core.consulting.profiles import service as profiles
from core.consulting.tables import Booking
from tests.support.accounts import registered
from tests.support.outbox import told as payloads
from tests.support.outbox import told_texts as told  # here `told` gives the texts

__all__ = ["BIO", "EVERY_DAY", "PNG", "WEEKDAYS", "booked", "complete", "confirmed", "consultant",
           "free_times", "payloads", "seeker", "status", "told"]

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
WEEKDAYS = {d: [["09:00", "12:00"], ["13:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BIO = "Twenty years of biomass sourcing and pellet quality audits across the Baltic states."


def complete(**changes: Any) -> dict[str, Any]:
    """Every field a profile needs to go live (overridden by `changes`)."""
    fields: dict[str, Any] = {
        "headline": "Pellet quality auditor", "bio": BIO,
        "categories": ["pellet-quality", "biomass-sourcing"], "keywords": ["ENplus", "audits"],
        "languages": ["en", "lv"], "rate_kind": "session", "session_minutes": 60,
        "price": "80.00", "currency": "EUR", "timezone": "Europe/Riga",
        "weekly_hours": EVERY_DAY, "notice_minutes": 120, "buffer_minutes": 15, "daily_max": 6}
    return fields | changes


async def consultant(app: Container, name: str = "ann", *, live: bool = True,
                     zone: str = "Europe/Riga", channel: str = "terminal",
                     address: str | None = None, **changes: Any) -> Account:
    """A registered consultant with a complete profile (live in the directory by default),
    chatting on `channel` (at `address`: a Slack user id, a Telegram chat id)."""
    account = await registered(app, name, roles=("consultant",), timezone=zone, channel=channel,
                               address=address, display_name=name.split(":")[-1].title())
    async with app.uow() as uow:
        await profiles.save(uow, account.id, **complete(timezone=zone, **changes))
        await profiles.set_photo(uow, account.id, FileStore(app.settings.data_dir), "me.png",
                                 "image/png", PNG)
        if live:
            assert app.payments is not None
            await give(uow, account.id, legal_name=f"{account.display_name} Konsultācijas",
                       street="Brīvības iela 10", postcode="LV-1010", town="Rīga", country="LV")
            assert await profiles.go_live(uow, account.id, app.payments) == []
        await uow.commit()
    return account


async def seeker(app: Container, name: str = "bob", zone: str = "Europe/Riga") -> Account:
    return await registered(app, name, roles=("buyer",), timezone=zone)


async def booked(app: Container, seeker_id: int, consultant_id: int, at: datetime,
                 minutes: int | None = None) -> Booking:
    """A committed request for a free slot."""
    async with app.uow() as uow:
        booking = await bookings.request_slot(uow, seeker_id, consultant_id, at, minutes)
        await uow.commit()
        return booking


async def confirmed(app: Container, seeker_id: int, consultant_id: int, at: datetime) -> Booking:
    """A slot requested and accepted."""
    booking = await booked(app, seeker_id, consultant_id, at)
    async with app.uow() as uow:
        done = await bookings.accept(uow, booking.id, consultant_id)
        await uow.commit()
        return done


async def status(app: Container, booking_id: int) -> str:
    async with app.uow() as uow:
        booking = await uow.session.get(Booking, booking_id)
        assert booking is not None
        return booking.status


async def free_times(app: Container, zone: str = "Europe/Riga") -> Any:
    """Cora is live; Sid opens her from the directory in chat and taps Book a time. Returns
    Sid's chat (a tests.support.chat.ChatUser) showing her free times."""
    from conversations.messages import Choice, ListPage
    from tests.support.chat import ChatUser

    await consultant(app, "cora")
    await registered(app, "sid", roles=("seeker",), display_name="Sid", timezone=zone)
    sid = ChatUser(app, "sid")
    await sid.say("/consultants")
    await sid.tap("Everyone")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    await sid.send(Choice(page.items[0].button.data))
    await sid.tap("Book a time")
    return sid
