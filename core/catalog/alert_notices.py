"""A buyer's instant alert of a listing matching a saved search, and the buttons every alert
carries (core.catalog.alerts' digests too): written as the transaction that recorded the match
commits (core.catalog.wiring), from what the stock holds."""

from __future__ import annotations

from core.accounts.intents import AccountIntent
from core.actions import Action, ActionRows
from core.catalog.events import ListingMatchedInstantSearch
from core.catalog.intents import ListingIntent
from core.catalog.query import SearchQuery
from core.catalog.sql_stock import stock_of
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork


async def instant_alert(uow: UnitOfWork, event: ListingMatchedInstantSearch) -> None:
    """The buyer of an instant saved search hears of a listing it matched, once (its key)."""
    stock = stock_of(uow)
    saved, listing = await stock.saved(event.saved_search_id), await stock.listing(event.listing_id)
    if saved is None or listing is None:
        return
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
