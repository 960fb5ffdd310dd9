"""Which ratings are visible: double-blind until both parties rated or the window closed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, or_, select, update

from core.catalog.tables import SellerStats
from core.deals.ratings.reputation import reputation
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute
from core.i18n import _
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.deals import DealState
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import per_dialect

MARKET_MEAN = Decimal("4.0")  # the prior until the market has ratings of its own


async def publish(uow: UnitOfWork, deal_id: int) -> int:
    """Make a deal's ratings visible and refresh the ratees' reputation; returns how many
    were hidden."""
    published = (await uow.session.execute(update(Rating).where(
        Rating.deal_id == deal_id, Rating.published_at.is_(None))
        .values(published_at=uow.clock.now()).returning(Rating.ratee_id, Rating.stars))).all()
    for account_id in sorted({r for r, __ in published}):  # only what was just published
        await refresh(uow, account_id)
    if published:
        await _tell_published(uow, deal_id, dict(published))
    return len(published)


async def _tell_published(uow: UnitOfWork, deal_id: int, stars: dict[int, int]) -> None:
    """Both parties hear that the blind ratings are out: each what they were given, if any."""
    deal = await uow.get(Deal, deal_id)
    if deal is None:
        return
    await recipients(uow, {deal.seller_id, deal.buyer_id})  # both, with their chats, at once
    for me in (deal.seller_id, deal.buyer_id):
        async with addressed_to(uow, me):
            text = (_("⭐ The ratings of deal #{id} are published: you were rated {stars}★. Ratings "
                      "stay hidden until both parties rate or the rating window closes.",
                      id=deal_id, stars=stars[me]) if me in stars else
                    _("⭐ The ratings of deal #{id} are published: the other party did not rate "
                      "you. Ratings stay hidden until both parties rate or the rating window "
                      "closes.", id=deal_id))
            await notify(uow, me, text, about=[f"deal:{deal_id}"])  # the deal's last card


async def refresh(uow: UnitOfWork, account_id: int) -> None:
    """The reputation cards and search show: a Bayesian average of published ratings, with
    the number of completed deals (the demo seed writes the same row)."""
    conn = await uow.core()
    total, count, completed, disputes, mean = (await conn.execute(
        _STANDING, {"account": account_id})).one()
    rep = reputation([], Decimal(str(mean)) if mean else MARKET_MEAN, completed, disputes,
                     total=int(total), count=int(count))
    await conn.execute(_STATS[conn.dialect.name], {  # one statement, new or not
        "account_id": account_id, "ratings": rep.ratings, "deals": rep.completed,
        "rating_x10": int((rep.score * 10).quantize(Decimal(1), ROUND_HALF_UP)),
        "stars_total": int(total)})


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


async def published_stars(uow: UnitOfWork, account_id: int) -> list[int]:
    """The stars others gave this account, published ones only (for its reputation)."""
    return list((await uow.session.execute(select(Rating.stars).where(
        Rating.ratee_id == account_id, Rating.published_at.is_not(None)))).scalars())
