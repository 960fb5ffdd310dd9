"""A booking's notices with no database anywhere: the bookings' `MemoryDiary` (and the sessions'
`MemoryLogbook`, which says what a session will start free) held by a chat whose postbox gets
what the booking's handlers write, read by tests.support.outbox's `told(chat, …)`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from core.consulting import booking_notices
from core.consulting.bookings.notices import parties
from core.consulting.events import BookingMoved, BookingRequested
from core.events import EventBus
from core.wiring import Wiring
from tests.consulting.booking_fakes import MemoryDiary, staffed
from tests.consulting.chat_fakes import stores
from tests.consulting.fakes import MemoryListing
from tests.consulting.session_fakes import MemoryLogbook
from tests.support.memory_engine import MemoryChat


def telling(bus: EventBus, deps: Wiring) -> None:
    """The booking's notices, as core.consulting.wiring declares them (its calendar, package
    and payment handlers stay on the database)."""
    bus.during_commit(BookingRequested, parties.on_requested)
    bus.during_commit(BookingMoved, booking_notices.BOOKINGS.on_moved)


def told_bookings(diary: MemoryDiary | None = None, logbook: MemoryLogbook | None = None,
                  listing: MemoryListing | None = None) -> tuple[MemoryChat, MemoryDiary]:
    """A chat over the diary (`staffed` unless given; the logbook and the listing, on the
    diary's clock, `chat_fakes.stores`' unless given) whose people are registered by their
    account ids on the terminal, in Riga's time, as the database's helpers register them."""
    diary = diary or staffed()
    chat = MemoryChat([], stores=stores(diary, logbook, listing), wiring=[telling])
    for account_id, name in diary.people.items():
        chat.turns.register("terminal", name.lower(), name, account_id=account_id)
    return chat, diary


async def act_in(chat: MemoryChat, service: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """One use case in a transaction of the chat's, committed (its handlers run)."""
    async with chat.uow() as uow:
        result = await service(uow, *args)
        await uow.commit()
    return result
