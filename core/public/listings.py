"""What the public website shows of the catalogue: published listings that have not expired,
their photos, and the seller's standing — never contact details, coordinates or the exact place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.catalog import gazetteer, views
from core.catalog.media import PHOTO_TYPES
from core.catalog.query import SearchQuery
from core.catalog.rules import ListingState
from core.catalog.search import Catalog
from core.catalog.stock import Certified
from core.catalog.tables import Listing, ListingMedia
from core.deals.ratings.reputation import mean_stars
from core.disclosure import first_name
from core.errors import NotFound
from core.i18n import N_, _
from core.storage.uow import UnitOfWork

PER_PAGE = 12
GONE = N_("That listing is not published.")


@dataclass(frozen=True)
class PublicSeller:
    """A seller as the site names them: first name and company, and their reputation."""

    name: str
    rating: Decimal | None  # the Bayesian score shown on cards, None before any rating
    ratings: int
    deals: int


@dataclass(frozen=True)
class Result:
    """One listing of a page of results, with what its card shows beside it."""

    listing: Listing
    km: float | None  # from the place searched near
    photo_id: int | None  # the first photo, for the card
    seller: PublicSeller
    town: tuple[float, float] | None  # the centre of its town for the map: never its own point


@dataclass(frozen=True)
class ListingsPage:
    results: list[Result]
    total: int
    page: int  # 0-based
    pages: int


def is_public(listing: Listing | None, now: datetime) -> bool:
    """Published and not past its expiry (the expiry job may not have run yet)."""
    return (listing is not None and listing.status == ListingState.PUBLISHED
            and (listing.expires_at is None or listing.expires_at > now))


async def published(uow: UnitOfWork, listing_id: int) -> Listing:
    """A published listing; NotFound for anything else (a draft, expired, closed, unknown, or
    a suspended seller's)."""
    listing = await uow.get(Listing, listing_id)
    if not is_public(listing, uow.clock.now()):
        raise NotFound(_(GONE))
    assert listing is not None
    if await suspended(uow, listing.seller_id):
        raise NotFound(_(GONE))
    return listing


async def suspended(uow: UnitOfWork, account_id: int) -> bool:
    """Whether an operator suspended this account: nothing of theirs is shown meanwhile."""
    account = await uow.get(Account, account_id)
    return account is None or account.suspended_at is not None


async def seller(uow: UnitOfWork, seller_id: int) -> PublicSeller:
    """The seller's first name and company with the reputation cards show."""
    info = await views.seller_info(uow, seller_id)
    name = " · ".join(part for part in (first_name(info.name), info.company) if part)
    rating = mean_stars(info.stars_total, info.ratings)
    return PublicSeller(name, rating, info.ratings, info.deals)


async def certified(uow: UnitOfWork, seller_id: int) -> tuple[Certified, ...]:
    """The certificates on a seller's profile that back their listings' claims."""
    return await views.certified(uow, seller_id)


async def photos(uow: UnitOfWork, listing_id: int) -> list[ListingMedia]:
    """A published listing's photos (documents stay in chat)."""
    return [m for m in await views.media_of(uow, listing_id)
            if m.kind == "photo" and m.mime_type in PHOTO_TYPES]


async def photo(uow: UnitOfWork, listing_id: int, media_id: int) -> ListingMedia:
    """One photo of a published listing; NotFound otherwise."""
    await published(uow, listing_id)
    found = next((m for m in await photos(uow, listing_id) if m.id == media_id), None)
    if found is None:
        raise NotFound(_("No such photo."))
    return found


async def latest(uow: UnitOfWork, catalog: Catalog, q: SearchQuery, page: int = 0,
                 per_page: int = PER_PAGE) -> ListingsPage:
    """One page of published listings through the search index, newest first by default,
    each with its first photo, its seller's standing and its town on the map."""
    found = await catalog.search(uow, q, page, per_page)
    rows = await views.by_ids(uow, [hit.listing_id for hit in found.hits], None)
    now = uow.clock.now()
    hits = [hit for hit in found.hits if is_public(rows.get(hit.listing_id), now)]
    covers = await first_photos(uow, [hit.listing_id for hit in hits])
    sellers = {i: await seller(uow, i) for i in {rows[hit.listing_id].seller_id for hit in hits}}
    results = [Result(rows[h.listing_id], h.km, covers.get(h.listing_id),
                      sellers[rows[h.listing_id].seller_id], town_point(rows[h.listing_id]))
               for h in hits]
    return ListingsPage(results, found.total, found.page, found.pages)


async def first_photos(uow: UnitOfWork, listing_ids: list[int]) -> dict[int, int]:
    """The first photo of each listing that has one, by listing id."""
    if not listing_ids:
        return {}
    rows = await uow.session.execute(
        select(ListingMedia.listing_id, func.min(ListingMedia.id))
        .where(ListingMedia.listing_id.in_(listing_ids), ListingMedia.kind == "photo",
               ListingMedia.mime_type.in_(list(PHOTO_TYPES)))
        .group_by(ListingMedia.listing_id))
    return {listing_id: media_id for listing_id, media_id in rows.all()}


def town_point(listing: Listing) -> tuple[float, float] | None:
    """Where the map puts a listing: the centre of the town it is in (the nearest town to its
    point), so a seller's yard is never pinned on a public map."""
    if listing.latitude is None or listing.longitude is None:
        return None
    town = gazetteer.nearest(listing.latitude, listing.longitude)
    return (town.lat, town.lon)


async def published_ids(uow: UnitOfWork) -> list[tuple[int, datetime]]:
    """Every public listing's id and last change (for the sitemap)."""
    rows = await uow.session.execute(
        select(Listing.id, Listing.updated_at, Listing.expires_at)
        .join(Account, Account.id == Listing.seller_id)
        .where(Listing.status == ListingState.PUBLISHED, Account.suspended_at.is_(None)).order_by(Listing.id))
    now = uow.clock.now()
    return [(i, changed) for i, changed, expires in rows.all() if expires is None or expires > now]
