"""A buyer's watchlist: listings saved to look at again."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog.events import ListingUnwatched, ListingWatched
from core.catalog.listing_card import ListingCard, listing_card
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, Watch
from core.catalog.views import viewable
from core.storage.uow import UnitOfWork


async def is_watching(uow: UnitOfWork, account_id: int, listing_id: int) -> bool:
    return await uow.get(Watch, (account_id, listing_id)) is not None


async def toggle(uow: UnitOfWork, account_id: int, listing_id: int) -> bool:
    """Save the listing, or remove it if saved; True when it is now on the watchlist. Only a
    listing the person may see can be saved."""
    existing = await uow.get(Watch, (account_id, listing_id))
    if existing is not None:
        await uow.session.delete(existing)
        await uow.session.flush()  # so a look-up in this transaction sees it gone
        uow.emit(ListingUnwatched(account_id, listing_id))
        return False
    await viewable(uow, listing_id, account_id)
    uow.add(Watch(account_id=account_id, listing_id=listing_id, created_at=uow.clock.now()))
    uow.emit(ListingWatched(account_id, listing_id))
    return True


async def watched(uow: UnitOfWork, account_id: int) -> list[ListingCard]:
    """The account's saved listings' cards, most recently saved first."""
    stmt = (select(Listing).join(Watch, Watch.listing_id == Listing.id)
            .where(Watch.account_id == account_id, Listing.status != ListingState.CLOSED)
            .order_by(Watch.created_at.desc()))
    return [listing_card(row) for row in (await uow.session.execute(stmt)).scalars()]
