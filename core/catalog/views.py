"""What people may see of the catalogue: one listing (published, or the viewer's own), the
seller behind it, its files, a page of results, a seller's own listings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.catalog.rules import ListingState
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Certified, SellerInfo, Stock
from core.catalog.tables import Listing, ListingMedia
from core.errors import NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

__all__ = ["Certified", "ListingFile", "SellerInfo", "by_ids", "certified", "files_of",
           "media_of", "mine", "seller_info", "viewable"]


@dataclass(frozen=True)
class ListingFile:
    """One of a listing's files as a chat sends it: where the file store keeps it, its name,
    type and fingerprint, and the channel's own reference to it where it was uploaded."""

    id: int
    kind: str  # photo | document
    file_name: str
    mime_type: str
    sha256: str
    path: str  # in the file store
    channel_ref: str | None  # "<channel>:<file id>", e.g. a Telegram file_id, sent by reference


def can_see(listing: Listing | None, viewer_id: int | None) -> bool:
    """Anyone sees a published listing; the seller also sees their own in any state."""
    if listing is None or listing.status == ListingState.CLOSED:
        return False
    return listing.status == ListingState.PUBLISHED or listing.seller_id == viewer_id


async def viewable(uow: UnitOfWork | Stock, listing_id: int, viewer_id: int | None) -> Listing:
    """The listing if `viewer_id` may see it; NotFound otherwise (no hint that it exists)."""
    listing = await stock_of(uow).listing(listing_id)
    if not can_see(listing, viewer_id):
        raise NotFound(_("That listing is no longer available."))
    assert listing is not None
    return listing


async def media_of(uow: UnitOfWork | Stock, listing_id: int) -> list[ListingMedia]:
    """A listing's photos and documents, in the order they were added."""
    return await stock_of(uow).files(listing_id)


async def files_of(uow: UnitOfWork | Stock, listing_id: int) -> list[ListingFile]:
    """A listing's photos and documents as files to send, in the order they were added."""
    return [ListingFile(m.id, m.kind, m.file_name, m.mime_type, m.sha256, m.path, m.channel_ref)
            for m in await media_of(uow, listing_id)]


async def seller_info(uow: UnitOfWork | Stock, seller_id: int) -> SellerInfo:
    """The seller behind a listing, as its card shows them."""
    return await stock_of(uow).seller(seller_id)


async def certified(uow: UnitOfWork | Stock, seller_id: int) -> tuple[Certified, ...]:
    """The certificates on the seller's profile, one per scheme, that back listings' claims."""
    return await stock_of(uow).certified(seller_id)


async def by_ids(uow: UnitOfWork | Stock, ids: Iterable[int], viewer_id: int | None
                 ) -> dict[int, Listing]:
    """The listings of a page of results that this viewer may see, by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = await stock_of(uow).some(wanted)
    return {row.id: row for row in rows if can_see(row, viewer_id)}


async def mine(uow: UnitOfWork | Stock, seller_id: int) -> list[Listing]:
    """A seller's listings, newest first (closed ones left out)."""
    return await stock_of(uow).of_seller(seller_id)

