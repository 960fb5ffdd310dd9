"""The consultant directory: typo-tolerant search over live profiles with filters and sorts,
cards with the next free slot in the seeker's zone, at most two featured consultants per page.

What changes rarely (text, expertise, languages, rate, reputation, hours) is in this worker's
in-process index, rebuilt at start and refreshed after each commit that changes a profile; what
changes by the minute (online now, bookings, promotions) is read for the candidates per search.
Each step asks the directory's `Listing` (`SqlListing` on a unit of work; the tests' in-memory
one otherwise), so the search is tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np

from core.accounts.events import AccountSuspended
from core.consulting.bookings import slots
from core.consulting.bookings.availability import next_free_slot, window, zone_of
from core.consulting.events import ProfileChanged
from core.consulting.profiles import rules
from core.consulting.profiles import service as profiles
from core.consulting.profiles.listing import Listing, listing_of
from core.consulting.profiles.search_index import ConsultantIndex, Entry
from core.consulting.profiles.taxonomy import CATEGORIES, label
from core.consulting.profiles.view import Listed
from core.deals.ratings.reputation import bayesian, mean_stars
from core.deals.ratings.service import MARKET_MEAN
from core.disclosure import public_text
from core.errors import DomainError
from core.events import Event
from core.i18n import _
from core.storage.uow import UnitOfWork

SYNC_OVERLAP = timedelta(minutes=2)
SORTS = ("relevance", "rating", "price")


@dataclass(frozen=True)
class DirectoryQuery:
    """A seeker's search: words, filters (prices per hour, in minor units) and a sort."""

    text: str = ""
    category: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    currency: str = "EUR"
    min_rating: Decimal | None = None
    language: str | None = None
    online_now: bool = False
    free_within_days: int | None = None
    sort: str = "relevance"
    page: int = 0  # 0-based
    per_page: int = 5


@dataclass(frozen=True)
class Card:
    """One consultant as a result shows them."""

    consultant_id: int
    name: str
    headline: str
    expertise: tuple[str, ...]
    languages: tuple[str, ...]
    rate: str
    rating: Decimal | None  # the plain mean of published ratings (None: no ratings yet)
    ratings: int
    sessions: int
    online: bool
    next_free: datetime | None  # in the seeker's zone
    featured: bool
    photo_path: str | None


@dataclass(frozen=True)
class DirectoryPage:
    cards: list[Card]
    total: int
    page: int
    pages: int


class Directory:
    """Search over live consultants; rebuilt at start, refreshed after every commit."""

    def __init__(self) -> None:
        self.index = ConsultantIndex()
        self.loaded = False
        self.mean = float(MARKET_MEAN)
        self.synced_at: datetime | None = None

    async def load(self, uow: UnitOfWork | Listing) -> int:
        """Rebuild the index from every live profile."""
        listing = listing_of(uow)
        fresh = ConsultantIndex()
        total, count = await listing.reputation_totals()
        self.mean = float(Decimal(total) / count) if count else float(MARKET_MEAN)
        for profile in await listing.live(None):
            fresh.add(self.entry(profile))
        self.index, self.loaded, self.synced_at = fresh, True, listing.now()
        return len(fresh)

    async def sync(self, uow: UnitOfWork | Listing) -> None:
        """Pick up profiles other workers changed since the last sync (a periodic job)."""
        listing = listing_of(uow)
        if not self.loaded or self.synced_at is None:
            await self.load(listing)
            return
        # Overlap the window: a transaction stamped before the last sync may commit after it.
        since, self.synced_at = self.synced_at - SYNC_OVERLAP, listing.now()
        await self.refresh(listing, await listing.changed_since(since))

    async def refresh(self, uow: UnitOfWork | Listing, ids: set[int]) -> None:
        """Re-read these consultants: live ones are (re)indexed, the rest dropped."""
        if not self.loaded:
            return
        found = {profile.account_id: profile for profile in await listing_of(uow).live(ids)}
        for consultant_id in ids:
            if consultant_id in found:
                self.index.add(self.entry(found[consultant_id]))
            else:
                self.index.remove(consultant_id)

    async def on_events(self, uow: UnitOfWork | Listing, events: list[Event]) -> None:
        """After commit: the profiles these events changed."""
        await self.refresh(uow, {e.account_id for e in events
                                 if isinstance(e, ProfileChanged | AccountSuspended)})

    def entry(self, profile: Listed) -> Entry:
        """What the index keeps of a profile."""
        expertise = [CATEGORIES.get(c, c) for c in profile.categories]  # English: indexed
        text = " ".join([profile.name, profile.headline, *expertise, *profile.keywords,
                         profile.bio])
        rating = float(bayesian(profile.stars_total, profile.ratings, Decimal(str(self.mean))))
        return Entry(profile.account_id, text, profile.categories,
                     profile.languages, profiles.hourly_minor(profile),
                     profile.currency, rating, profile.sessions_completed,
                     profiles.schedule_of(profile), min(profiles.lengths(profile)))

    async def search(self, uow: UnitOfWork | Listing, q: DirectoryQuery,
                     seeker_zone: str = "UTC") -> DirectoryPage:
        """One page of results in the query's order, featured consultants first on each page
        (their impressions are counted: the caller commits)."""
        if q.sort not in SORTS:
            raise DomainError(_("Sort by {sorts}.", sorts=', '.join(SORTS)))
        listing = listing_of(uow)
        if not self.loaded:
            await self.load(listing)
        zone = zone_of(seeker_zone)
        cand, relevance = self.index.match(q.text)
        keep = self.index.where(cand, category=q.category, language=q.language,
                                currency=q.currency, price_min=q.price_min,
                                price_max=q.price_max,
                                min_rating=float(q.min_rating) if q.min_rating else None)
        cand, relevance = cand[keep], relevance[keep]
        now = listing.now()
        online = await listing.online(self._ids(cand), now)
        if q.online_now:
            keep = np.array([self.index.entry(s).id in online for s in cand], dtype=bool)
            cand, relevance = cand[keep], relevance[keep]
        free: dict[int, datetime | None] = {}
        if q.free_within_days is not None:
            free = await self._free(listing, cand, now, q.free_within_days, seeker_zone)
            keep = np.array([free[self.index.entry(s).id] is not None for s in cand], dtype=bool)
            cand, relevance = cand[keep], relevance[keep]
        ordered = [self.index.entry(s).id for s in cand[self.index.rank(cand, relevance, q.sort)]]
        featured = await listing.featured(ordered, q.category)
        page_ids, marked = rules.directory_page(ordered, [i for i in ordered if i in featured],
                                                q.page, q.per_page)
        await listing.shown([featured[i] for i in marked])
        missing = [i for i in page_ids if i not in free]
        free |= await self._free(listing, np.array([self.index.slot_of[i] for i in missing],
                                               dtype=np.int64), now, 14, seeker_zone)
        cards = await _cards(listing, page_ids, marked, online, free, zone)
        pages = max(1, -(-len(ordered) // q.per_page))
        return DirectoryPage(cards, len(ordered), q.page, pages)

    def _ids(self, cand: np.ndarray) -> list[int]:
        return [int(i) for i in self.index.col("id")[cand]] if len(cand) else []

    async def _free(self, listing: Listing, cand: np.ndarray, now: datetime, days: int,
                    seeker_zone: str) -> dict[int, datetime | None]:
        """Each candidate's next free slot within `days` of the seeker's zone (one query)."""
        start, end = window(now, seeker_zone, days)
        ids = self._ids(cand)
        held = await listing.busy(ids, start - slots.MARGIN, end + slots.MARGIN)
        found: dict[int, datetime | None] = {}
        for slot in cand:
            entry = self.index.entry(int(slot))
            found[entry.id] = next_free_slot(entry.schedule, held.get(entry.id, []), now,
                                             entry.minutes, show_in=seeker_zone, end=end)
        return found


async def _cards(listing: Listing, ids: list[int], featured: list[int], online: set[int],
                 free: dict[int, datetime | None], zone: object) -> list[Card]:
    rows = {p.account_id: p for p in await listing.live(set(ids))}
    cards = []
    for consultant_id in ids:
        if consultant_id not in rows:
            continue  # went offline since the index saw it
        p = rows[consultant_id]
        cards.append(Card(consultant_id, p.name, public_text(p.headline),
                          tuple(label(c) for c in p.categories), p.languages,
                          profiles.rate_text(p),
                          mean_stars(p.stars_total, p.ratings), p.ratings,
                          p.sessions_completed, consultant_id in online, free.get(consultant_id),
                          consultant_id in featured, p.photo_path))
    return cards

