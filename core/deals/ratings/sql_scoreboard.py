"""The ratings' scoreboard on the unit of work (`SqlScoreboard`: the protocol is
`core.deals.ratings.scoreboard.Scoreboard`): ratings published by one `UPDATE … RETURNING`, an
account's standing read in one round trip, its figures kept by one upsert, the parties told
by the deals' handler of the publication (`core.deals.notices.after_sale`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, or_, select, update

from core.catalog.tables import SellerStats
from core.deals.events import RatingsPublished
from core.deals.ratings.reputation import Figures, Standing
from core.deals.ratings.scoreboard import Scoreboard
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute
from core.process.deals import DealState
from core.storage.stores import SqlStore, store_of
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import per_dialect


def _standing() -> Any:
    # Built once: both parties' standings are refreshed whenever a deal's ratings publish, and
    # building these five subqueries costs more than running them. One round trip for all.
    account: BindParameter[int] = bindparam("account")
    published = Rating.published_at.is_not(None)
    mine = or_(Deal.seller_id == account, Deal.buyer_id == account)
    return select(
        select(func.coalesce(func.sum(Rating.stars), 0)).where(
            Rating.ratee_id == account, published).scalar_subquery(),
        select(func.count(Rating.id)).where(Rating.ratee_id == account, published)
        .scalar_subquery(),
        select(func.count(Deal.id)).where(mine, Deal.status.in_(
            (DealState.COMPLETED, DealState.CLOSED))).scalar_subquery(),
        select(func.count(Dispute.id)).join(Deal, Deal.id == Dispute.deal_id).where(mine)
        .scalar_subquery(),
        select(func.avg(Rating.stars)).where(published).scalar_subquery())


_STANDING = _standing()
_STATS_TABLE = table_of(SellerStats)
_STANDING_COLUMNS = ("rating_x10", "ratings", "deals", "stars_total")


def _upsert_stats(insert: Any) -> Any:
    statement = insert(_STATS_TABLE).values(
        {name: bindparam(name) for name in ("account_id", *_STANDING_COLUMNS)})
    return statement.on_conflict_do_update(
        index_elements=[_STATS_TABLE.c.account_id],
        set_={name: statement.excluded[name] for name in _STANDING_COLUMNS})


_STATS = per_dialect(_upsert_stats)


class SqlScoreboard(SqlStore):
    """The scoreboard on the unit of work's connection and session."""

    async def unveil(self, deal_id: int, at: datetime) -> list[tuple[int, int]]:
        return [(ratee, stars) for ratee, stars in (await self._uow.session.execute(
            update(Rating).where(Rating.deal_id == deal_id, Rating.published_at.is_(None))
            .values(published_at=at).returning(Rating.ratee_id, Rating.stars))).all()]

    async def standing(self, account_id: int) -> Standing:
        total, count, completed, disputes, mean = (await (await self._uow.core()).execute(
            _STANDING, {"account": account_id})).one()
        return Standing(int(total), int(count), completed, disputes,
                        Decimal(str(mean)) if mean else None)

    async def keep(self, account_id: int, figures: Figures) -> None:
        conn = await self._uow.core()
        await conn.execute(_STATS[conn.dialect.name], {  # one statement, new or not
            "account_id": account_id, "ratings": figures.ratings, "deals": figures.deals,
            "rating_x10": figures.rating_x10, "stars_total": figures.stars_total})

    async def tell(self, deal_id: int, stars: dict[int, int]) -> None:
        self._uow.emit(RatingsPublished(deal_id, tuple(sorted(stars.items()))))

    async def published_stars(self, account_id: int) -> list[int]:
        return list((await self._uow.session.execute(select(Rating.stars).where(
            Rating.ratee_id == account_id, Rating.published_at.is_not(None)))).scalars())


def scoreboard_of(uow: UnitOfWork | Scoreboard) -> Scoreboard:
    """The ratings' scoreboard in this unit of work: the database's, or the one given (a
    test's in-memory one)."""
    return store_of(uow, Scoreboard, SqlScoreboard)  # a unit of work in memory holds its fake
