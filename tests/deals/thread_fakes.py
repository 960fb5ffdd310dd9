"""The threads' storage in memory (`core.deals.threads.correspondence.Correspondence`): asking a
seller, replies, blocking and who may read a thread run on it without a database. It keeps the
threads' own mapped objects (`Thread`, `ThreadMessage`), built without a session, so a use case
changes them as it changes rows. `test_correspondence_contract.py` holds it to the SQL one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.deals.threads.tables import Thread, ThreadMessage
from core.errors import NotFound
from core.events import Event

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
TITLE = "ENplus A1 wood pellets"  # as tests.catalog.helpers.publish titles a listing


@dataclass
class MemoryCorrespondence:
    """Listings (seller, and whether still on the market; their titles), deals agreed (listing, buyer),
    threads and messages in dicts (ids given in order); the clock stands still at `at`;
    events kept in a list."""

    at: datetime = START
    listings: dict[int, tuple[int, bool]] = field(default_factory=dict)  # seller, visible
    titles: dict[int, str] = field(default_factory=dict)  # listing → its title
    deals: set[tuple[int, int]] = field(default_factory=set)  # (listing, buyer), not cancelled
    threads: dict[int, Thread] = field(default_factory=dict)
    sent: dict[int, ThreadMessage] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    # --- what the tests set up ----------------------------------------------------------

    def listing(self, seller_id: int, visible: bool = True, title: str = TITLE,
                listing_id: int | None = None) -> int:
        """A seller's listing, published unless `visible` is False (sold out, closed), by its
        number in the catalogue when it is one there (`listing_id`)."""
        listing_id = listing_id or len(self.listings) + 1
        self.listings[listing_id] = (seller_id, visible)
        self.titles[listing_id] = title
        return listing_id

    def agree(self, listing_id: int, buyer_id: int) -> None:
        """A deal of the buyer on the listing is agreed."""
        self.deals.add((listing_id, buyer_id))

    # --- the correspondence -------------------------------------------------------------

    def now(self) -> datetime:
        return self.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    async def seller_of(self, listing_id: int, viewer_id: int, any_status: bool) -> int:
        seller_id, visible = self.listings.get(listing_id, (0, False))
        if listing_id not in self.listings or not (visible or any_status
                                                   or viewer_id == seller_id):
            raise NotFound("That listing is no longer available.")
        return seller_id

    async def thread(self, thread_id: int) -> Thread | None:
        return self.threads.get(thread_id)

    async def thread_of(self, listing_id: int, buyer_id: int) -> Thread | None:
        return next((t for t in self.threads.values()
                     if (t.listing_id, t.buyer_id) == (listing_id, buyer_id)), None)

    async def put(self, row: Thread | ThreadMessage) -> None:
        kept: dict = self.threads if isinstance(row, Thread) else self.sent  # type: ignore[type-arg]
        row.id = len(kept) + 1
        kept[row.id] = row

    async def agreed(self, listing_id: int, buyer_id: int) -> bool:
        return (listing_id, buyer_id) in self.deals

    async def messages(self, thread_id: int, skip: int, limit: int) -> list[ThreadMessage]:
        mine = sorted((m for m in self.sent.values() if m.thread_id == thread_id),
                      key=lambda m: m.id, reverse=True)
        return mine[skip:skip + limit]

    async def message(self, message_id: int) -> ThreadMessage | None:
        return self.sent.get(message_id)

    async def last_from(self, thread_id: int, sender_id: int, limit: int) -> list[str]:
        return [m.text for m in sorted(self.sent.values(), key=lambda m: m.id, reverse=True)
                if (m.thread_id, m.sender_id) == (thread_id, sender_id)][:limit]

    async def title(self, listing_id: int) -> str | None:
        return self.titles.get(listing_id)
