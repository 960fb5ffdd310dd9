"""The catalogue's storage in memory: a stock (`core.catalog.stock.Stock`) the listings' use
cases run on without a database. It keeps the catalogue's own mapped objects (`Listing`,
`SavedSearch`), built without a session, so a use case changes them as it changes rows.
`test_stock_contract.py` holds it to what the SQL one does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.catalog import lifecycle, listings
from core.catalog.events import ListingMatchedInstantSearch
from core.catalog.rules import ListingState
from core.catalog.stock import Certified, SellerInfo
from core.catalog.tables import Listing, ListingMedia, SavedSearch, SearchLog
from core.events import Event
from core.operators.rules import may
from core.policy import Policy

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


def values(**overrides: Any) -> dict[str, Any]:
    """Listing form values as the form would produce them."""
    base = {
        "product_type": "pellets", "title": "ENplus A1 wood pellets", "grade": "ENplus A1",
        "description": None, "unit": "t", "quantity": "500", "min_order": "22", "price": "230",
        "currency": "EUR", "negotiable": "no", "delivery": ["pickup", "EXW"],
        "delivery_radius_km": None, "incoterm_place": "Riga port",
        "location": {"city": "Riga", "country": "LV", "lat": 56.9496, "lon": 24.1052},
        "available_from": "2026-11-20", "valid_until": "2027-01-20", "moisture": None,
        "ash": None, "ncv": None, "bulk_density": None, "particle_size": None,
        "certifications": [],
    }
    return {**base, **overrides}


@dataclass(frozen=True)
class Audited:
    actor_id: int | None
    action: str
    subject: str
    reason: str | None


@dataclass
class MemoryStock:
    """Listings, saved searches and watchlists in dicts (ids given in order), the clock
    standing still at `at` (tests move it), console roles by account, the policy as given;
    audit lines, events, alert hits and the instant alerts they sent kept in lists."""

    at: datetime = START
    policy: Policy = field(default_factory=Policy)
    roles: dict[int, frozenset[str]] = field(default_factory=dict)  # console roles: "admin"…
    ratings: dict[int, float] = field(default_factory=dict)  # seller → rating
    documents: set[int] = field(default_factory=set)  # listings with a document added
    sellers: dict[int, SellerInfo] = field(default_factory=dict)  # account → name, reputation
    # account → the certificates on their profile, one per scheme (core.certificates)
    certificates: dict[int, tuple[Certified, ...]] = field(default_factory=dict)
    # account → the currencies they accept offers in (core.accounts.accepted; none: every one)
    accepted_currencies: dict[int, tuple[str, ...]] = field(default_factory=dict)
    media: list[ListingMedia] = field(default_factory=list)  # every listing's, as added
    suspended: set[int] = field(default_factory=set)  # accounts suspended by an operator
    searched: list[SearchLog] = field(default_factory=list)  # what people searched for
    listings: dict[int, Listing] = field(default_factory=dict)
    saved_searches: dict[int, SavedSearch] = field(default_factory=dict)
    watches: dict[tuple[int, int], datetime] = field(default_factory=dict)  # (account, listing)
    hits: list[tuple[int, int]] = field(default_factory=list)  # (saved search, listing)
    alerted: list[tuple[int, int]] = field(default_factory=list)  # instant: (search, listing)
    audited: list[Audited] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def now(self) -> datetime:
        return self.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    async def may(self, account_id: int | None, action: str) -> bool:
        return account_id is not None and may(self.roles.get(account_id, frozenset()), action)

    async def audit(self, actor_id: int | None, action: str, subject: str,
                    reason: str | None = None) -> None:
        self.audited.append(Audited(actor_id, action, subject, reason))

    async def admins(self) -> list[int]:
        return sorted(a for a, held in self.roles.items() if "admin" in held)

    async def listing(self, listing_id: int, *, fresh: bool = False) -> Listing | None:
        return self.listings.get(listing_id)

    async def put(self, listing: Listing) -> None:
        listing.id = max(self.listings, default=0) + 1
        self.listings[listing.id] = listing

    async def change(self, listing_id: int, statuses: Iterable[str], **values: object) -> bool:
        listing = self.listings.get(listing_id)
        if listing is None or listing.status not in tuple(statuses):
            return False
        for name, value in values.items():
            setattr(listing, name, value)
        return True

    async def last_of(self, seller_id: int) -> Listing | None:
        return max((row for row in self.listings.values() if row.seller_id == seller_id),
                   key=lambda row: row.id, default=None)

    async def some(self, ids: list[int]) -> list[Listing]:
        return [self.listings[i] for i in ids if i in self.listings]

    async def of_seller(self, seller_id: int) -> list[Listing]:
        return sorted((row for row in self.listings.values() if row.seller_id == seller_id
                       and row.status != ListingState.CLOSED), key=lambda row: -row.id)

    async def in_review(self) -> list[Listing]:
        return sorted((row for row in self.listings.values()
                       if row.status == ListingState.PENDING_REVIEW),
                      key=lambda row: row.updated_at)

    async def searchable(self, ids: list[int] | None = None) -> list[tuple[Listing, float]]:
        return [(row, await self.rating(row.seller_id)) for row in self.listings.values()
                if row.status == ListingState.PUBLISHED and row.seller_id not in self.suspended
                and (ids is None or row.id in ids)]

    async def listing_ids_of(self, seller_ids: Iterable[int]) -> list[int]:
        sellers = set(seller_ids)
        return [row.id for row in self.listings.values() if row.seller_id in sellers]

    async def changed_since(self, since: datetime) -> dict[int, datetime]:
        return {row.id: row.updated_at for row in self.listings.values()
                if row.updated_at >= since}

    async def log_search(self, entry: SearchLog) -> None:
        self.searched.append(entry)

    async def has_document(self, listing_id: int) -> bool:
        return listing_id in self.documents or any(
            file.kind == "document" for file in await self.files(listing_id))

    async def files(self, listing_id: int) -> list[ListingMedia]:
        return [file for file in self.media if file.listing_id == listing_id]

    async def add_file(self, file: ListingMedia) -> None:
        file.id = len(self.media) + 1
        self.media.append(file)

    async def seller(self, seller_id: int) -> SellerInfo:
        return self.sellers.get(seller_id, SellerInfo("?", "", 0, 0))

    async def certified(self, seller_id: int) -> tuple[Certified, ...]:
        return self.certificates.get(seller_id, ())

    async def currencies(self, seller_id: int) -> tuple[str, ...]:
        return self.accepted_currencies.get(seller_id, ())

    async def watching(self, account_id: int, listing_id: int) -> bool:
        return (account_id, listing_id) in self.watches

    async def watch(self, account_id: int, listing_id: int) -> None:
        self.watches[(account_id, listing_id)] = self.at

    async def unwatch(self, account_id: int, listing_id: int) -> bool:
        return self.watches.pop((account_id, listing_id), None) is not None

    async def watched(self, account_id: int) -> list[Listing]:
        saved = sorted(((at, key[1]) for key, at in self.watches.items() if key[0] == account_id),
                       reverse=True)
        return [self.listings[i] for _at, i in saved
                if self.listings[i].status != ListingState.CLOSED]

    async def put_search(self, saved: SavedSearch) -> None:
        saved.id = max(self.saved_searches, default=0) + 1
        self.saved_searches[saved.id] = saved

    async def saved(self, saved_id: int) -> SavedSearch | None:
        return self.saved_searches.get(saved_id)

    async def searches(self, account_id: int) -> list[SavedSearch]:
        return [row for row in self.saved_searches.values()
                if row.account_id == account_id and row.active]

    async def searches_besides(self, seller_id: int) -> list[SavedSearch]:
        return [row for row in self.saved_searches.values()
                if row.account_id != seller_id and row.active]

    async def rating(self, seller_id: int) -> float:
        return self.ratings.get(seller_id, 0.0)

    async def hit(self, saved: SavedSearch, listing: Listing) -> bool:
        if (saved.id, listing.id) in self.hits:
            return False
        self.hits.append((saved.id, listing.id))
        if saved.mode == "instant":
            self.alerted.append((saved.id, listing.id))
            self.emit(ListingMatchedInstantSearch(saved.id, listing.id))
        return True


SAM, BOB, EVE, ROOT = 1, 2, 3, 9  # a seller, a buyer, a stranger, an administrator


def stocked(**policy: Any) -> MemoryStock:
    """An empty stock whose administrator is ROOT, under the default policy changed by `policy`
    (`listing_moderation=True`…)."""
    return MemoryStock(policy=Policy(**policy), roles={ROOT: frozenset({"admin"})})


async def published(stock: MemoryStock, seller_id: int = SAM, **overrides: Any) -> int:
    """A listing drafted and submitted through the use cases (published: moderation off)."""
    draft = await listings.create_draft(stock, seller_id, values(**overrides))
    await lifecycle.submit(stock, draft.id, seller_id)
    return draft.id
