"""The catalogue's listings in storage, behind their use cases: a repository protocol (`Stock`);
its SQL implementation on the unit of work is `SqlStock` (`core.catalog.sql_stock`), as the
learning context's `Shelf` is (`core.learning.shelf`). The use cases in `core.catalog.listings`,
`lifecycle`, `review`, `views`, `watchlist`, `media` (a file attached), the saved searches' part
of `alerts` and what the search index reads (`core.catalog.search.Catalog`) ask only this, so
they run as well on the tests' in-memory stock (`tests/catalog/fakes.py`) as on the
database; `tests/catalog/test_stock_contract.py` holds the two alike — the guarded change that
refuses a listing moved meanwhile among them.

Listings and saved searches are the catalogue's mapped rows (`core.catalog.tables`): a use case
changes one by setting its attributes, and the unit of work writes it with the rest (the
in-memory stock simply keeps the objects). A stock lives inside one unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.catalog.tables import Listing, ListingMedia, SavedSearch, SearchLog
from core.events import Event
from core.policy import Policy


@dataclass(frozen=True)
class Certified:
    """A certificate on the seller's profile (core.certificates) that backs a listing's claim
    of its scheme: the day it runs out, and whether it is still valid."""

    scheme: str  # certification code
    valid_until: date
    valid: bool
    number: str = ""  # as the scheme spells it


@dataclass(frozen=True)
class SellerInfo:
    """The seller behind a listing as its card shows them."""

    name: str
    company: str
    rating_x10: int
    ratings: int
    deals: int = 0  # completed deals
    stars_total: int = 0  # of the published ratings: their plain mean is what is shown


class Stock(Protocol):
    """What the catalogue's use cases ask of storage, of who may moderate, and of the bus."""

    @property
    def policy(self) -> Policy:
        """The running policy (moderation on or off, how long a renewal lasts)."""
        ...

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...

    async def may(self, account_id: int | None, action: str) -> bool:
        """Whether the account holds a console role that allows `action` ("moderate")."""
        ...

    async def audit(self, actor_id: int | None, action: str, subject: str,
                    reason: str | None = None) -> None:
        """One line of the operators' audit trail, in the same transaction."""
        ...

    async def admins(self) -> list[int]:
        """The administrators' accounts, each once: who hears of a listing awaiting review."""
        ...

    async def listing(self, listing_id: int, *, fresh: bool = False) -> Listing | None:
        """A listing; `fresh` reads it again after a guarded change wrote to it."""
        ...

    async def put(self, listing: Listing) -> None:
        """Store a new listing; it has its id from now on."""
        ...

    async def change(self, listing_id: int, statuses: Iterable[str], **values: object) -> bool:
        """Set `values` on the listing only while its status is one of `statuses` (a guard
        against a change made meanwhile); False when it is not (or is gone)."""
        ...

    async def last_of(self, seller_id: int) -> Listing | None:
        """The seller's newest listing, whatever its state."""
        ...

    async def some(self, ids: list[int]) -> list[Listing]:
        """The listings with these ids that exist, in no particular order."""
        ...

    async def of_seller(self, seller_id: int) -> list[Listing]:
        """A seller's listings but the closed ones, newest first."""
        ...

    async def in_review(self) -> list[Listing]:
        """The listings waiting for a moderator, the longest waiting first."""
        ...

    async def searchable(self, ids: list[int] | None = None) -> list[tuple[Listing, float]]:
        """The published listings of sellers not suspended (every one, or those among `ids`),
        each with its seller's rating as search ranks it: what the search index holds."""
        ...

    async def listing_ids_of(self, seller_ids: Iterable[int]) -> list[int]:
        """The ids of these sellers' listings, whatever their state."""
        ...

    async def changed_since(self, since: datetime) -> dict[int, datetime]:
        """The listings changed at `since` or later: id → when (their `updated_at`)."""
        ...

    async def log_search(self, entry: SearchLog) -> None:
        """Remember what was searched (the sellers' market view counts it)."""
        ...

    async def has_document(self, listing_id: int) -> bool:
        """Whether a document (not a photo) was added to the listing."""
        ...

    async def files(self, listing_id: int) -> list[ListingMedia]:
        """The listing's photos and documents, in the order they were added."""
        ...

    async def add_file(self, file: ListingMedia) -> None:
        """Link a stored file to its listing; it has its id from now on."""
        ...

    async def seller(self, seller_id: int) -> SellerInfo:
        """The seller's name, company and reputation ("?" for an account that is gone)."""
        ...

    async def certified(self, seller_id: int) -> tuple[Certified, ...]:
        """The certificates on the seller's profile, one per scheme (core.certificates)."""
        ...

    async def currencies(self, seller_id: int) -> tuple[str, ...]:
        """The currencies the seller accepts offers in (empty: not chosen, every one)."""
        ...

    async def watching(self, account_id: int, listing_id: int) -> bool:
        ...

    async def watch(self, account_id: int, listing_id: int) -> None:
        """Put a listing on the account's watchlist (now)."""
        ...

    async def unwatch(self, account_id: int, listing_id: int) -> bool:
        """Take it off the watchlist, seen at once; False when it was not on it."""
        ...

    async def watched(self, account_id: int) -> list[Listing]:
        """The watchlist's listings but the closed ones, the latest saved first."""
        ...

    async def put_search(self, saved: SavedSearch) -> None:
        """Store a new saved search; it has its id from now on."""
        ...

    async def saved(self, saved_id: int) -> SavedSearch | None:
        ...

    async def searches(self, account_id: int) -> list[SavedSearch]:
        """The account's active saved searches, in the order they were saved."""
        ...

    async def searches_besides(self, seller_id: int) -> list[SavedSearch]:
        """Every active saved search but the seller's own, in no particular order."""
        ...

    async def rating(self, seller_id: int) -> float:
        """The seller's rating as search ranks it (0 when unrated)."""
        ...

    async def hit(self, saved: SavedSearch, listing: Listing) -> bool:
        """Record that the listing matched the search, with the alert for an instant search;
        False when this search heard of this listing before (a hit is kept once)."""
        ...
