"""The recommendations' sources (`core.recommend.sources.Sources`) in the database, inside the
caller's unit of work, and `sources_of`, which the use cases ask for theirs: these on a unit of
work, the sources given otherwise (a test's in-memory ones)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.accounts import service as accounts
from core.accounts.tables import Account
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SavedSearch, SearchLog, SellerStats, Watch
from core.consulting.tables import Booking, ConsultantProfile
from core.deals.tables import Deal
from core.notifications.outbox import addressed_to, notify
from core.recommend.rules import DEAL_GONE
from core.recommend.sources import (
    Adviser,
    Booked,
    Bought,
    Composed,
    OnOffer,
    Saved,
    Searched,
    SellerRating,
    Sources,
    Watched,
)
from core.recommend.tables import PickDeclined, WeeklyPicks
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class SqlSources(SqlStore):
    """The sources in the database, inside `uow`'s transaction."""

    async def bought(self, account_id: int, before: datetime) -> list[Bought]:
        stmt = (select(Deal, Listing).join(Listing, Listing.id == Deal.listing_id)
                .where(Deal.buyer_id == account_id, Deal.status.not_in(DEAL_GONE),
                       Deal.created_at < before))
        return [Bought(deal.created_at, listing.product_type, listing.country or "",
                       deal.currency, deal.price_minor, listing.energy_mwh_per_unit)
                for deal, listing in (await self._uow.session.execute(stmt)).all()]

    async def searched(self, account_id: int, before: datetime) -> list[Searched]:
        stmt = select(SearchLog).where(SearchLog.account_id == account_id,
                                       SearchLog.product_type.is_not(None),
                                       SearchLog.created_at < before)
        return [Searched(row.created_at, str(row.product_type))
                for row in (await self._uow.session.execute(stmt)).scalars()]

    async def saved(self, account_id: int, before: datetime) -> list[Saved]:
        stmt = select(SavedSearch).where(SavedSearch.account_id == account_id,
                                         SavedSearch.active.is_(True),
                                         SavedSearch.created_at < before)
        return [Saved(row.created_at, row.query)
                for row in (await self._uow.session.execute(stmt)).scalars()]

    async def watched(self, account_id: int, before: datetime) -> list[Watched]:
        stmt = (select(Watch, Listing).join(Listing, Listing.id == Watch.listing_id)
                .where(Watch.account_id == account_id, Watch.created_at < before))
        return [Watched(watch.created_at, listing.id, listing.title, listing.product_type,
                        listing.country or "")
                for watch, listing in (await self._uow.session.execute(stmt)).all()]

    async def booked(self, account_id: int, before: datetime,
                     statuses: Iterable[str]) -> list[Booked]:
        stmt = (select(Booking, ConsultantProfile)
                .join(ConsultantProfile, ConsultantProfile.account_id == Booking.consultant_id)
                .where(Booking.seeker_id == account_id, Booking.status.in_(tuple(statuses)),
                       Booking.created_at < before))
        return [Booked(booking.consultant_id, booking.status, booking.starts_at,
                       booking.created_at, tuple(str(c) for c in profile.categories or ()))
                for booking, profile in (await self._uow.session.execute(stmt)).all()]

    async def declined(self, account_id: int) -> set[str]:
        rows = await self._uow.session.execute(select(PickDeclined.kind, PickDeclined.item_id)
                                               .where(PickDeclined.account_id == account_id))
        return {f"{kind}:{item}" for kind, item in rows.all()}

    async def decline(self, account_id: int, kind: str, item_id: int) -> bool:
        if await self._uow.get(PickDeclined, (account_id, kind, item_id)) is not None:
            return False
        try:
            async with self._uow.nested():
                self._uow.add(PickDeclined(account_id=account_id, kind=kind, item_id=item_id,
                                           created_at=self.now()))
                await self._uow.session.flush()
        except IntegrityError:
            return False  # declined at the same moment elsewhere
        return True

    async def on_offer(self, account_id: int, products: list[str], countries: list[str],
                       now: datetime) -> list[tuple[OnOffer, SellerRating | None]]:
        stmt = (select(Listing, SellerStats)
                .outerjoin(SellerStats, SellerStats.account_id == Listing.seller_id)
                .where(Listing.status == ListingState.PUBLISHED, Listing.seller_id != account_id,
                       Listing.quantity_milli > 0,
                       or_(Listing.expires_at.is_(None), Listing.expires_at > now),
                       or_(Listing.product_type.in_(products), Listing.country.in_(countries))))
        return [(OnOffer(listing.id, listing.title, listing.city, listing.country,
                         listing.product_type, listing.currency, listing.price_mwh_minor),
                 SellerRating(stats.rating_x10, stats.ratings) if stats is not None else None)
                for listing, stats in (await self._uow.session.execute(stmt)).all()]

    async def advisers(self, account_id: int) -> list[tuple[Adviser, str]]:
        stmt = (select(ConsultantProfile, Account.display_name)
                .join(Account, Account.id == ConsultantProfile.account_id)
                .where(ConsultantProfile.live.is_(True),
                       ConsultantProfile.account_id != account_id))
        return [(Adviser(profile.account_id, profile.headline or "",
                         tuple(str(c) for c in profile.categories or ()), profile.stars_total,
                         profile.ratings), name)
                for profile, name in (await self._uow.session.execute(stmt)).all()]

    async def subscribers(self) -> list[tuple[int, str | None]]:
        rows = await self._uow.session.execute(select(Account.id, Account.timezone).where(
            Account.weekly_picks.is_(True)).order_by(Account.id))
        return [(account_id, zone) for account_id, zone in rows.all()]

    async def weekly(self, account_id: int, week: str,
                     compose: Callable[[], Awaitable[Composed]]) -> bool:
        uow = self._uow
        try:
            async with uow.nested():
                claim = WeeklyPicks(account_id=account_id, week=week, items=[],
                                    created_at=self.now())
                uow.add(claim)
                await uow.session.flush()  # the claim first: a second sender stops here
                async with addressed_to(uow, account_id):
                    claim.items, composed = await compose()
                    if composed is not None:
                        text, buttons = composed
                        await notify(uow, account_id, text, buttons=buttons,
                                     dedupe_key=f"picks:{account_id}:{week}")
                await uow.flush()
        except IntegrityError:
            return False  # another worker (or an earlier run) has this person's week
        return composed is not None

    async def set_weekly(self, account_id: int, on: bool) -> None:
        await accounts.update_profile(self._uow, account_id, weekly_picks=on)


def sources_of(uow: UnitOfWork | Sources) -> Sources:
    """The recommendations' sources in this unit of work: the database's, or the sources
    given (a test's in-memory ones)."""
    return store_of(uow, Sources, SqlSources)
