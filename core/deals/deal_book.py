"""The storage behind a deal's own record (`core.deals.deals`: who may see a deal, its role for
each person, moving it; `core.deals.dashboard`: a member's deals): a protocol (`DealBook`) and
its SQL implementation on the unit of work (`SqlDealBook`), as the after-sale logbook has.

Who may take which step from where stays `deals.take`'s (the declared process); the book loads
a deal, says whether someone may act as an operator or sees the deal as a colleague of its
buyer, moves it by a compare-and-set answering whether it did (`move`: with the timers of the
states left and entered and the move's own effects, on the database), and lists a member's
deals with the stars given and got. The tests' `MemoryDeals` (`tests/deals/deal_fakes.py`)
records the timers and effects a move sets going instead of carrying them out (the money, the
stock and the VAT are the database's); `tests/deals/test_deal_book_contract.py` holds the two
alike. A book lives inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, case, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import ColumnElement

from core.accounts.tables import Account
from core.catalog.events import ListingChanged
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.deals import company_deals, sale_vat
from core.deals.ratings import service as ratings
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal
from core.events import Event
from core.operators.roles import may_act
from core.process import timers
from core.process.deals import DEAL_PROCESS, FIX_VAT, PUBLISH_RATINGS, RETURN_STOCK
from core.process.model import Transition
from core.storage.stores import SqlStore, store_of
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork


class DealBook(Protocol):
    """What a deal's own use cases ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        ...

    async def stored(self, deal_id: int) -> Deal | None:
        """The deal, whoever asks (who may see it is the use case's)."""
        ...

    async def may(self, actor_id: int | None, action: str) -> bool:
        """Whether the account's operator roles allow `action` (core.operators.rules)."""
        ...

    async def colleague_sees(self, deal: Deal, actor_id: int | None) -> bool:
        """Whether a colleague of the deal's buyer may open it (core.deals.company_deals)."""
        ...

    async def move(self, deal: Deal, step: Transition, source: str) -> bool:
        """`source` → `step.target` only while the deal is still at `source`: the timers of
        the state left stop and those of the state entered start (an escalation's, staying,
        run again), and the move's own effects are taken (`IN_MOVE`: the VAT fixed, the
        stock returned, the ratings published); False, and nothing changed, when the deal
        moved meanwhile. The deal then reads as stored."""
        ...

    async def mine(self, account_id: int, limit: int) -> list[tuple[Deal, str, str]]:
        """The account's deals as buyer or seller, newest moved first, each with its
        listing's title and the other party's display name."""
        ...

    async def stars(self, deal_ids: list[int], account_id: int) -> dict[int, dict[str, int]]:
        """Per deal among `deal_ids`, the stars this account gave ("given") and got ("got")."""
        ...


def deal_book_of(uow: UnitOfWork | DealBook) -> DealBook:
    """The book in `uow` (core.storage.stores)."""
    return store_of(uow, DealBook, SqlDealBook)


# Built once, run on the transaction's connection: every step of every deal takes it.
_DEALS = table_of(Deal)
_MOVE = (update(_DEALS).where(_DEALS.c.id == bindparam("d_id"),
                              _DEALS.c.status == bindparam("d_from"))
         .values(status=bindparam("d_to"), updated_at=bindparam("d_at")))


class SqlDealBook(SqlStore):
    """Deals as rows, in the caller's unit of work."""

    async def stored(self, deal_id: int) -> Deal | None:
        return await self._uow.get(Deal, deal_id)

    async def may(self, actor_id: int | None, action: str) -> bool:
        return await may_act(self._uow, actor_id, action)

    async def colleague_sees(self, deal: Deal, actor_id: int | None) -> bool:
        return await company_deals.sees(self._uow, deal, actor_id)

    async def move(self, deal: Deal, step: Transition, source: str) -> bool:
        uow, now = self._uow, self._uow.clock.now()
        moved = await (await uow.core()).execute(_MOVE, {
            "d_id": deal.id, "d_from": source, "d_to": step.target, "d_at": now})
        if moved.rowcount != 1:
            return False
        set_committed_value(deal, "status", step.target)  # what the row now holds
        set_committed_value(deal, "updated_at", now)
        if FIX_VAT in step.effects:
            await sale_vat.fix(uow, deal)
        if step.target == source:  # an escalation: the state's timers run again
            await timers.restart(uow, DEAL_PROCESS, deal.id, source)
        else:
            await timers.stop(uow, DEAL_PROCESS, deal.id, source)
            timers.start(uow, DEAL_PROCESS, deal.id, step.target)
        if RETURN_STOCK in step.effects:
            await self._return_stock(deal)
        if PUBLISH_RATINGS in step.effects:
            await ratings.publish(uow, deal.id)
        return True

    async def _return_stock(self, deal: Deal) -> None:
        """A deal that ends before the goods left gives its quantity back to the listing."""
        await self._uow.session.execute(update(Listing).where(Listing.id == deal.listing_id).values(
            quantity_milli=Listing.quantity_milli + deal.quantity_milli,
            status=case((Listing.status == ListingState.SOLD_OUT, "published"),
                        else_=Listing.status),
            updated_at=self._uow.clock.now()))
        self._uow.emit(ListingChanged(deal.listing_id, "published"))

    async def mine(self, account_id: int, limit: int) -> list[tuple[Deal, str, str]]:
        stmt = (select(Deal, Listing.title, Account.display_name)
                .join(Listing, Listing.id == Deal.listing_id)
                .join(Account, Account.id == _other(account_id))
                .where(or_(Deal.buyer_id == account_id, Deal.seller_id == account_id))
                .order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(limit))
        return [(deal, title, name) for deal, title, name
                in (await self._uow.session.execute(stmt)).all()]

    async def stars(self, deal_ids: list[int], account_id: int) -> dict[int, dict[str, int]]:
        if not deal_ids:
            return {}
        found: dict[int, dict[str, int]] = {}
        for deal_id, rater_id, stars in (await self._uow.session.execute(
                select(Rating.deal_id, Rating.rater_id, Rating.stars)
                .where(Rating.deal_id.in_(deal_ids)))).all():
            found.setdefault(deal_id, {})["given" if rater_id == account_id else "got"] = stars
        return found


def _other(account_id: int) -> ColumnElement[int]:
    """The other party's account id, in SQL."""
    return case((Deal.buyer_id == account_id, Deal.seller_id), else_=Deal.buyer_id)
