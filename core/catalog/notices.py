"""The catalogue's notices, as event handlers (declared in core.catalog.wiring) that write to
the outbox inside the transaction that emitted the event."""

from __future__ import annotations

from core.accounts.intents import AccountIntent
from core.actions import Action, ActionRows
from core.catalog.events import ListingApproved, ListingAwaitsReview, ListingRejected
from core.catalog.intents import ListingIntent
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing, SavedSearch
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.operators.roles import admin_ids
from core.storage.uow import UnitOfWork


async def tell_admins(uow: UnitOfWork, event: ListingAwaitsReview) -> None:
    """Every admin named in settings hears that a listing waits for review."""
    listing = await uow.get(Listing, event.listing_id)
    if listing is None:
        return
    for admin_id in await admin_ids(uow):
        async with addressed_to(uow, admin_id):
            await notify(uow, admin_id, _("🛡 A listing waits for review: “{title}”.", title=listing.title),
                         buttons=[[Action(ListingIntent.REVIEW_LISTING, _("Review it"), str(listing.id))]])


async def approved(uow: UnitOfWork, event: ListingApproved) -> None:
    listing = await uow.get(Listing, event.listing_id)
    if listing is not None:
        async with addressed_to(uow, listing.seller_id):
            await notify(uow, listing.seller_id, _("✅ Your listing “{title}” is approved and "
                                                   "published.", title=listing.title),
                         buttons=[[Action(ListingIntent.VIEW_LISTING, _("View"), str(listing.id))]])


async def rejected(uow: UnitOfWork, event: ListingRejected) -> None:
    listing = await uow.get(Listing, event.listing_id)
    if listing is not None:
        async with addressed_to(uow, listing.seller_id):
            await notify(uow, listing.seller_id, _("✋ Your listing “{title}” was not approved: "
                                                   "{reason}\nEdit it and submit it again.",
                                                   title=listing.title, reason=event.reason),
                         buttons=[[Action(ListingIntent.MY_LISTINGS, _("Open in My listings"))]])


async def instant_alert(uow: UnitOfWork, saved: SavedSearch, listing: Listing) -> None:
    """The buyer of an instant saved search hears of a listing it matched, once (its key)."""
    async with addressed_to(uow, saved.account_id):
        what = SearchQuery.from_dict(saved.query).describe()
        await notify(uow, saved.account_id,
                     _("🔔 New listing for your search {what}:\n{title} — {city}",
                       what=what, title=listing.title, city=listing.city),
                     buttons=alert_buttons(listing.id, saved.id),
                     dedupe_key=f"alert:{saved.id}:{listing.id}")


def alert_buttons(listing_id: int | None, saved_id: int) -> ActionRows:
    """An alert's buttons: the listing (when it names one), and a way out of the search."""
    rows = [[Action(ListingIntent.VIEW_LISTING, _("View listing"), str(listing_id))]] if listing_id else []
    rows.append([Action(AccountIntent.UNSUBSCRIBE, _("Unsubscribe"), str(saved_id))])
    return rows
