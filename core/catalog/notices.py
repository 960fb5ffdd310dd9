"""The catalogue's notices, as event handlers (declared in core.catalog.wiring) that write to
the outbox inside the transaction that emitted the event."""

from __future__ import annotations

from core.actions import Action
from core.catalog.events import ListingApproved, ListingAwaitsReview, ListingRejected
from core.catalog.intents import ListingIntent
from core.catalog.sql_stock import stock_of
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork


async def tell_admins(uow: UnitOfWork, event: ListingAwaitsReview) -> None:
    """Every admin named in settings hears that a listing waits for review."""
    stock = stock_of(uow)
    listing = await stock.listing(event.listing_id)
    if listing is None:
        return
    for admin_id in await stock.admins():
        async with addressed_to(uow, admin_id):
            await notify(uow, admin_id, _("🛡 A listing waits for review: “{title}”.", title=listing.title),
                         buttons=[[Action(ListingIntent.REVIEW_LISTING, _("Review it"), str(listing.id))]])


async def approved(uow: UnitOfWork, event: ListingApproved) -> None:
    listing = await stock_of(uow).listing(event.listing_id)
    if listing is not None:
        async with addressed_to(uow, listing.seller_id):
            await notify(uow, listing.seller_id, _("✅ Your listing “{title}” is approved and "
                                                   "published.", title=listing.title),
                         buttons=[[Action(ListingIntent.VIEW_LISTING, _("View"), str(listing.id))]])


async def rejected(uow: UnitOfWork, event: ListingRejected) -> None:
    listing = await stock_of(uow).listing(event.listing_id)
    if listing is not None:
        async with addressed_to(uow, listing.seller_id):
            await notify(uow, listing.seller_id, _("✋ Your listing “{title}” was not approved: "
                                                   "{reason}\nEdit it and submit it again.",
                                                   title=listing.title, reason=event.reason),
                         buttons=[[Action(ListingIntent.MY_LISTINGS, _("Open in My listings"))]])
