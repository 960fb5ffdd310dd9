"""Which ratings are visible: double-blind until both parties rated or the window closed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select, update

from core.catalog.tables import SellerStats
from core.deals.reputation import reputation
from core.deals.tables import Deal, Dispute, Rating
from core.i18n import _
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.deals import DealState
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert

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
    published = Rating.published_at.is_not(None)
    mine = or_(Deal.seller_id == account_id, Deal.buyer_id == account_id)
    row = (await uow.session.execute(select(  # one round trip for the whole standing
        select(func.coalesce(func.sum(Rating.stars), 0)).where(
            Rating.ratee_id == account_id, published).scalar_subquery(),
        select(func.count(Rating.id)).where(Rating.ratee_id == account_id, published)
        .scalar_subquery(),
        select(func.count(Deal.id)).where(mine, Deal.status.in_((DealState.COMPLETED, DealState.CLOSED)))
        .scalar_subquery(),
        select(func.count(Dispute.id)).join(Deal, Deal.id == Dispute.deal_id).where(mine)
        .scalar_subquery(),
        select(func.avg(Rating.stars)).where(published).scalar_subquery()))).one()
    total, count, completed, disputes, mean = row
    rep = reputation([], Decimal(str(mean)) if mean else MARKET_MEAN, completed, disputes,
                     total=int(total), count=int(count))
    values = {"rating_x10": int((rep.score * 10).quantize(Decimal(1), ROUND_HALF_UP)),
              "ratings": rep.ratings, "deals": rep.completed, "stars_total": int(total)}
    statement = dialect_insert(uow, SellerStats).values(account_id=account_id, **values)
    await uow.session.execute(statement.on_conflict_do_update(  # one statement, new or not
        index_elements=[SellerStats.account_id], set_=values))


async def published_stars(uow: UnitOfWork, account_id: int) -> list[int]:
    """The stars others gave this account, published ones only (for its reputation)."""
    return list((await uow.session.execute(select(Rating.stars).where(
        Rating.ratee_id == account_id, Rating.published_at.is_not(None)))).scalars())
