"""Which ratings are visible: double-blind until both parties rated or the window closed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select, update

from core.catalog.tables import SellerStats
from core.deals.reputation import reputation
from core.deals.tables import Deal, Dispute, Rating
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert

MARKET_MEAN = Decimal("4.0")  # the prior until the market has ratings of its own


async def publish(uow: UnitOfWork, deal_id: int) -> int:
    """Make a deal's ratings visible and refresh the ratees' reputation; returns how many
    were hidden."""
    ratees = (await uow.session.execute(update(Rating).where(
        Rating.deal_id == deal_id, Rating.published_at.is_(None))
        .values(published_at=uow.clock.now()).returning(Rating.ratee_id))).scalars().all()
    for account_id in sorted(set(ratees)):  # only what was just published changes a standing
        await refresh(uow, account_id)
    return len(ratees)


async def refresh(uow: UnitOfWork, account_id: int) -> None:
    """The reputation cards and search show: a Bayesian average of published ratings, with
    the number of completed deals (the demo seed writes the same row)."""
    published = Rating.published_at.is_not(None)
    mine = or_(Deal.seller_id == account_id, Deal.buyer_id == account_id)
    row = (await uow.session.execute(select(  # one round trip for the whole standing
        select(func.coalesce(func.sum(Rating.stars), 0)).where(
            Rating.ratee_id == account_id, published).scalar_subquery(),
        select(func.count(Rating.id)).where(Rating.ratee_id == account_id, published)
        .scalar_subquery(),
        select(func.count(Deal.id)).where(mine, Deal.status.in_(("completed", "closed")))
        .scalar_subquery(),
        select(func.count(Dispute.id)).join(Deal, Deal.id == Dispute.deal_id).where(mine)
        .scalar_subquery(),
        select(func.avg(Rating.stars)).where(published).scalar_subquery()))).one()
    total, count, completed, disputes, mean = row
    rep = reputation([], Decimal(str(mean)) if mean else MARKET_MEAN, completed, disputes,
                     total=int(total), count=int(count))
    values = {"rating_x10": int((rep.score * 10).quantize(Decimal(1), ROUND_HALF_UP)),
              "ratings": rep.ratings, "deals": rep.completed}
    statement = dialect_insert(uow, SellerStats).values(account_id=account_id, **values)
    await uow.session.execute(statement.on_conflict_do_update(  # one statement, new or not
        index_elements=[SellerStats.account_id], set_=values))


async def published_stars(uow: UnitOfWork, account_id: int) -> list[int]:
    """The stars others gave this account, published ones only (for its reputation)."""
    return list((await uow.session.execute(select(Rating.stars).where(
        Rating.ratee_id == account_id, Rating.published_at.is_not(None)))).scalars())
