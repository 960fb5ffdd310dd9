"""A buyer's watchlist: listings saved to look at again."""

from __future__ import annotations

from core.catalog.events import ListingUnwatched, ListingWatched
from core.catalog.listing_card import ListingCard, listing_card
from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.catalog.views import viewable
from core.storage.uow import UnitOfWork


async def is_watching(uow: UnitOfWork | Stock, account_id: int, listing_id: int) -> bool:
    return await stock_of(uow).watching(account_id, listing_id)


async def toggle(uow: UnitOfWork | Stock, account_id: int, listing_id: int) -> bool:
    """Save the listing, or remove it if saved; True when it is now on the watchlist. Only a
    listing the person may see can be saved."""
    stock = stock_of(uow)
    if await stock.unwatch(account_id, listing_id):
        stock.emit(ListingUnwatched(account_id, listing_id))
        return False
    await viewable(stock, listing_id, account_id)
    await stock.watch(account_id, listing_id)
    stock.emit(ListingWatched(account_id, listing_id))
    return True


async def watched(uow: UnitOfWork | Stock, account_id: int) -> list[ListingCard]:
    """The account's saved listings' cards, most recently saved first."""
    return [listing_card(row) for row in await stock_of(uow).watched(account_id)]
