"""The catalogue's stock (`core.catalog.stock.Stock`) in the database, inside the caller's unit
of work, and `stock_of`, which the use cases ask for theirs: this one on a unit of work, the
stock given otherwise (a test's in-memory one). Guarded changes are conditional UPDATEs: the
database refuses a change to a listing whose status moved meanwhile."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.accounts.tables import Account
from core.catalog.events import ListingMatchedInstantSearch
from core.catalog.rules import ListingState
from core.catalog.stock import Certified, SellerInfo, Stock
from core.catalog.tables import (
    AlertHit,
    Listing,
    ListingMedia,
    SavedSearch,
    SearchLog,
    SellerStats,
    Watch,
)
from core.events import Event
from core.operators import audit, roles
from core.policy import Policy
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlStock(SqlStore):
    """The listings, watchlists and saved searches in the database, inside `uow`'s transaction."""

    @property
    def policy(self) -> Policy:
        return self._uow.policy

    def now(self) -> datetime:
        return self._uow.clock.now()

    def emit(self, event: Event) -> None:
        self._uow.emit(event)

    async def may(self, account_id: int | None, action: str) -> bool:
        return await roles.may_act(self._uow, account_id, action)

    async def audit(self, actor_id: int | None, action: str, subject: str,
                    reason: str | None = None) -> None:
        await audit.record(self._uow, actor_id, action, subject, reason)

    async def admins(self) -> list[int]:
        return await roles.admin_ids(self._uow)

    async def listing(self, listing_id: int, *, fresh: bool = False) -> Listing | None:
        return await self._uow.get(Listing, listing_id, populate_existing=fresh)

    async def put(self, listing: Listing) -> None:
        await self._uow.insert(listing)

    async def change(self, listing_id: int, statuses: Iterable[str], **values: object) -> bool:
        result = await self._uow.session.execute(
            update(Listing).where(Listing.id == listing_id, Listing.status.in_(tuple(statuses)))
            .values(**values))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def last_of(self, seller_id: int) -> Listing | None:
        return (await self._uow.session.execute(
            select(Listing).where(Listing.seller_id == seller_id).order_by(Listing.id.desc())
            .limit(1))).scalar_one_or_none()

    async def some(self, ids: list[int]) -> list[Listing]:
        return list((await self._uow.session.execute(
            select(Listing).where(Listing.id.in_(ids)))).scalars())

    async def of_seller(self, seller_id: int) -> list[Listing]:
        return list((await self._uow.session.execute(
            select(Listing).where(Listing.seller_id == seller_id,
                                  Listing.status != ListingState.CLOSED)
            .order_by(Listing.id.desc()))).scalars())

    async def in_review(self) -> list[Listing]:
        return list((await self._uow.session.execute(
            select(Listing).where(Listing.status == ListingState.PENDING_REVIEW)
            .order_by(Listing.updated_at))).scalars())

    async def searchable(self, ids: list[int] | None = None) -> list[tuple[Listing, float]]:
        stmt = (select(Listing, SellerStats.rating_x10)
                .join(Account, Account.id == Listing.seller_id)
                .outerjoin(SellerStats, SellerStats.account_id == Listing.seller_id)
                .where(Listing.status == ListingState.PUBLISHED, Account.suspended_at.is_(None)))
        if ids is not None:
            stmt = stmt.where(Listing.id.in_(ids))
        return [(listing, (rating or 0) / 10)
                for listing, rating in (await self._uow.session.execute(stmt)).all()]

    async def listing_ids_of(self, seller_ids: Iterable[int]) -> list[int]:
        return list((await self._uow.session.execute(select(Listing.id).where(
            Listing.seller_id.in_(list(seller_ids))))).scalars())

    async def changed_since(self, since: datetime) -> dict[int, datetime]:
        rows = await self._uow.session.execute(
            select(Listing.id, Listing.updated_at).where(Listing.updated_at >= since))
        return {listing_id: at for listing_id, at in rows.all()}

    async def log_search(self, entry: SearchLog) -> None:
        self._uow.add(entry)

    async def has_document(self, listing_id: int) -> bool:
        found = (await self._uow.session.execute(select(ListingMedia.id).where(
            ListingMedia.listing_id == listing_id, ListingMedia.kind == "document"))).first()
        return found is not None

    async def files(self, listing_id: int) -> list[ListingMedia]:
        return list((await self._uow.session.execute(
            select(ListingMedia).where(ListingMedia.listing_id == listing_id)
            .order_by(ListingMedia.id))).scalars())

    async def add_file(self, file: ListingMedia) -> None:
        await self._uow.insert(file)

    async def seller(self, seller_id: int) -> SellerInfo:
        account = await self._uow.get(Account, seller_id)
        stats = await self._uow.get(SellerStats, seller_id)
        return SellerInfo(account.display_name if account else "?",
                          (account.company or "") if account else "",
                          stats.rating_x10 if stats else 0, stats.ratings if stats else 0,
                          stats.deals if stats else 0, stats.stars_total if stats else 0)

    async def currencies(self, seller_id: int) -> tuple[str, ...]:
        account = await self._uow.get(Account, seller_id)
        return tuple(account.currencies or ()) if account is not None else ()

    async def certified(self, seller_id: int) -> tuple[Certified, ...]:
        from core.certificates.service import backing  # the profile's context, asked here

        return tuple(Certified(one.scheme, one.valid_until, one.valid, one.number)
                     for one in (await backing(self._uow, seller_id)).values())

    async def watching(self, account_id: int, listing_id: int) -> bool:
        return await self._uow.get(Watch, (account_id, listing_id)) is not None

    async def watch(self, account_id: int, listing_id: int) -> None:
        self._uow.add(Watch(account_id=account_id, listing_id=listing_id, created_at=self.now()))

    async def unwatch(self, account_id: int, listing_id: int) -> bool:
        existing = await self._uow.get(Watch, (account_id, listing_id))
        if existing is None:
            return False
        await self._uow.session.delete(existing)
        await self._uow.session.flush()  # so a look-up in this transaction sees it gone
        return True

    async def watched(self, account_id: int) -> list[Listing]:
        return list((await self._uow.session.execute(
            select(Listing).join(Watch, Watch.listing_id == Listing.id)
            .where(Watch.account_id == account_id, Listing.status != ListingState.CLOSED)
            .order_by(Watch.created_at.desc()))).scalars())

    async def put_search(self, saved: SavedSearch) -> None:
        await self._uow.insert(saved)

    async def saved(self, saved_id: int) -> SavedSearch | None:
        return await self._uow.get(SavedSearch, saved_id)

    async def searches(self, account_id: int) -> list[SavedSearch]:
        return list((await self._uow.session.execute(
            select(SavedSearch).where(SavedSearch.account_id == account_id,
                                      SavedSearch.active.is_(True))
            .order_by(SavedSearch.id))).scalars())

    async def searches_besides(self, seller_id: int) -> list[SavedSearch]:
        return list((await self._uow.session.execute(
            select(SavedSearch).where(SavedSearch.active.is_(True),
                                      SavedSearch.account_id != seller_id))).scalars())

    async def rating(self, seller_id: int) -> float:
        stats = await self._uow.get(SellerStats, seller_id)
        return (stats.rating_x10 / 10) if stats else 0.0

    async def hit(self, saved: SavedSearch, listing: Listing) -> bool:
        """The hit's unique key decides: a second one for the same pair fails in its savepoint,
        and an instant search's alert (written at commit, core.catalog.wiring) is not asked."""
        now = self.now()
        hit = AlertHit(saved_search_id=saved.id, listing_id=listing.id, created_at=now)
        try:
            async with self._uow.nested():
                self._uow.add(hit)
                if saved.mode == "instant":
                    hit.sent_at = now
                await self._uow.flush()
        except IntegrityError:
            return False
        if saved.mode == "instant":
            self.emit(ListingMatchedInstantSearch(saved.id, listing.id))
        return True


def stock_of(uow: UnitOfWork | Stock) -> Stock:
    """The catalogue's stock in this unit of work: the database's, or the stock given (a
    test's in-memory one)."""
    return store_of(uow, Stock, SqlStock)
