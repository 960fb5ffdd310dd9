"""The storage behind the threads' use cases: a protocol (`Correspondence`) and its SQL
implementation on the unit of work (`SqlCorrespondence`), as learning's `Shelf` is. Who may
read and write a thread, masking before a deal, blocking and reporting stay with the use cases
(`core.deals.threads.service`); the correspondence reads and keeps threads and messages, which
are the threads' mapped rows (`Thread`, `ThreadMessage`): a use case changes one by its
attributes, and the unit of work writes it with the rest (the tests' `MemoryCorrespondence`,
`tests/deals/thread_fakes.py`, keeps the objects). `tests/deals/test_correspondence_contract.py`
holds the two alike. It works inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from core.catalog.tables import Listing
from core.catalog.views import viewable
from core.deals.tables import Deal
from core.deals.threads.tables import Thread, ThreadMessage
from core.errors import NotFound
from core.events import Event
from core.i18n import _
from core.process.deals import DealState
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class Correspondence(Protocol):
    """What the threads' use cases ask of storage and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...

    async def seller_of(self, listing_id: int, viewer_id: int, any_status: bool) -> int:
        """The seller of a listing the viewer may see (`any_status`: whatever its state, as
        long as it exists); NotFound otherwise."""
        ...

    async def thread(self, thread_id: int) -> Thread | None:
        ...

    async def thread_of(self, listing_id: int, buyer_id: int) -> Thread | None:
        """The buyer's thread on a listing, if there is one."""
        ...

    async def put(self, row: Thread | ThreadMessage) -> None:
        """Keep a new thread or message; it has its id from now on."""
        ...

    async def agreed(self, listing_id: int, buyer_id: int) -> bool:
        """Whether a deal of this buyer on this listing is under way or done (not cancelled)."""
        ...

    async def messages(self, thread_id: int, skip: int, limit: int) -> list[ThreadMessage]:
        """The thread's messages, newest first, `skip` of them passed over."""
        ...

    async def message(self, message_id: int) -> ThreadMessage | None:
        """One message, by its number (the one a notice relays)."""
        ...

    async def last_from(self, thread_id: int, sender_id: int, limit: int) -> list[str]:
        """The texts of one party's latest messages in the thread, newest first."""
        ...

    async def title(self, listing_id: int) -> str | None:
        """The listing's title, whatever its status (None when there is none)."""
        ...


class SqlCorrespondence(SqlStore):
    """The correspondence on the unit of work's session."""

    async def seller_of(self, listing_id: int, viewer_id: int, any_status: bool) -> int:
        if not any_status:
            return (await viewable(self._uow, listing_id, viewer_id)).seller_id
        listing = await self._uow.get(Listing, listing_id)
        if listing is None:
            raise NotFound(_("That listing doesn't exist."))
        return listing.seller_id

    async def thread(self, thread_id: int) -> Thread | None:
        return await self._uow.get(Thread, thread_id)

    async def thread_of(self, listing_id: int, buyer_id: int) -> Thread | None:
        return (await self._uow.session.execute(select(Thread).where(
            Thread.listing_id == listing_id, Thread.buyer_id == buyer_id))).scalar()

    async def put(self, row: Thread | ThreadMessage) -> None:
        await self._uow.insert(row)

    async def agreed(self, listing_id: int, buyer_id: int) -> bool:
        found = await self._uow.session.execute(select(Deal.id).where(
            Deal.listing_id == listing_id, Deal.buyer_id == buyer_id,
            Deal.status != DealState.CANCELLED).limit(1))
        return found.first() is not None

    async def messages(self, thread_id: int, skip: int, limit: int) -> list[ThreadMessage]:
        return list((await self._uow.session.execute(
            select(ThreadMessage).where(ThreadMessage.thread_id == thread_id)
            .order_by(ThreadMessage.id.desc()).offset(skip).limit(limit))).scalars())

    async def message(self, message_id: int) -> ThreadMessage | None:
        return await self._uow.get(ThreadMessage, message_id)

    async def last_from(self, thread_id: int, sender_id: int, limit: int) -> list[str]:
        return list((await self._uow.session.execute(select(ThreadMessage.text).where(
            ThreadMessage.thread_id == thread_id, ThreadMessage.sender_id == sender_id)
            .order_by(ThreadMessage.id.desc()).limit(limit))).scalars())

    async def title(self, listing_id: int) -> str | None:
        listing = await self._uow.get(Listing, listing_id)
        return listing.title if listing is not None else None


def correspondence_of(uow: UnitOfWork | Correspondence) -> Correspondence:
    """The threads' storage in this unit of work: the database's, or the one given (a test's
    in-memory one, or the one a unit of work in memory holds: core.storage.stores)."""
    return store_of(uow, Correspondence, SqlCorrespondence)
