"""What follows a seller's change to a live listing: review again, or match saved searches again."""

from __future__ import annotations

from core.catalog import alerts
from core.catalog.events import ListingAwaitsReview, ListingChanged
from core.catalog.rules import LIVE, ListingState, after_edit
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.catalog.tables import Listing
from core.errors import Conflict
from core.i18n import _
from core.storage.uow import UnitOfWork


async def content_changed(uow: UnitOfWork | Stock, listing: Listing) -> str:
    """After an edit: under moderation a live listing waits for review again (admins told;
    the caller tells the seller); without it a published listing is matched against saved
    searches again (a search hears about a listing once: alert hits are unique)."""
    stock = stock_of(uow)
    leads_to = after_edit(listing.status, stock.policy.listing_moderation)
    if leads_to == "review":
        return await _back_to_review(stock, listing)
    if leads_to == "match":
        await alerts.on_published(stock, listing)
    return listing.status


async def _back_to_review(stock: Stock, listing: Listing) -> str:
    if not await stock.change(listing.id, LIVE, status=ListingState.PENDING_REVIEW,
                              updated_at=stock.now()):
        raise Conflict(_("That listing changed in the meantime; please look at it again."))
    listing.status = ListingState.PENDING_REVIEW
    stock.emit(ListingChanged(listing.id, ListingState.PENDING_REVIEW))  # out of search until approved
    stock.emit(ListingAwaitsReview(listing.id))
    return "pending_review"
