"""A live session's notices and relays with no database anywhere: the in-memory logbook
(`tests/consulting/session_fakes.py`) held by a chat whose postbox gets what the sessions'
handlers write, read by tests.support.outbox's `told(chat, …)`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from core.consulting.sessions import exchange_notices, notices, reviews
from core.consulting.sessions.events import (
    CallLinkSet,
    ReviewReplied,
    SessionJoined,
    SessionMessagePosted,
    SessionMoved,
    SessionReviewed,
)
from core.consulting.sessions.lifecycle import COUNT, SESSION_PROCESS
from core.consulting.sessions.logbook import Logbook
from core.events import EventBus
from core.process.effects import During
from core.wiring import Wiring
from tests.consulting.session_fakes import CONSULTANT_ID, SEEKER_ID, MemoryLogbook, logbook
from tests.support.memory_engine import MemoryChat


def relaying(bus: EventBus, deps: Wiring) -> None:
    """The sessions' notices and relays, as core.consulting.wiring declares them (the money's
    handlers of a session's moves, and the booking's, stay on the database)."""
    bus.during_commit(SessionJoined, notices.on_joined)
    bus.during_commit(SessionMoved, notices.SESSIONS.on_moved)
    bus.during_commit(SessionMoved, During(SESSION_PROCESS, COUNT, reviews.on_took_place))
    bus.during_commit(SessionMessagePosted, exchange_notices.on_message)
    bus.during_commit(CallLinkSet, exchange_notices.on_call_link)
    bus.during_commit(SessionReviewed, exchange_notices.on_reviewed)
    bus.during_commit(ReviewReplied, exchange_notices.on_replied)


def exchange() -> tuple[MemoryChat, MemoryLogbook]:
    """Ann seeking and Jānis consulting, on the in-memory logbook, in a chat whose postbox
    gets what the exchange handlers relay."""
    book_ = logbook()
    chat = MemoryChat([], stores={Logbook: book_}, wiring=[relaying])
    for account_id, key, name in ((SEEKER_ID, "ann", "Ann"),
                                  (CONSULTANT_ID, "janis", "Jānis Bērziņš")):
        book_.people[account_id] = name
        chat.turns.register("terminal", key, name, account_id=account_id)
    return chat, book_


async def act_in(chat: MemoryChat, service: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """One service in a transaction of the chat's, committed (its handlers run)."""
    async with chat.uow() as uow:
        result = await service(uow, *args)
        await uow.commit()
    return result
