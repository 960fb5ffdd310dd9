"""The catalogue's notices, as event handlers (registered in config.event_wiring) that write to
the outbox inside the transaction that emitted the event."""

from __future__ import annotations

from core.actions import Action, Intent
from core.catalog.events import ListingApproved, ListingAwaitsReview, ListingRejected
from core.catalog.tables import Listing
from core.notifications.outbox import notify
from core.operators.roles import admin_ids
from core.storage.uow import UnitOfWork


async def tell_admins(uow: UnitOfWork, event: ListingAwaitsReview) -> None:
    """Every admin named in settings hears that a listing waits for review."""
    listing = await uow.session.get(Listing, event.listing_id)
    if listing is None:
        return
    for admin_id in await admin_ids(uow):
        await notify(uow, admin_id, f"🛡 A listing waits for review: “{listing.title}”.",
                     buttons=[[Action(Intent.REVIEW_LISTING, "Review it", str(listing.id))]])


async def approved(uow: UnitOfWork, event: ListingApproved) -> None:
    listing = await uow.session.get(Listing, event.listing_id)
    if listing is not None:
        await notify(uow, listing.seller_id, f"✅ Your listing “{listing.title}” is approved and "
                     "published.", buttons=[[Action(Intent.VIEW_LISTING, "View", str(listing.id))]])


async def rejected(uow: UnitOfWork, event: ListingRejected) -> None:
    listing = await uow.session.get(Listing, event.listing_id)
    if listing is not None:
        await notify(uow, listing.seller_id, f"✋ Your listing “{listing.title}” was not approved: "
                     f"{event.reason}\nEdit it and submit it again.",
                     buttons=[[Action(Intent.MY_LISTINGS, "Open in My listings")]])
