"""Which ratings are visible: double-blind until both parties rated or the window closed."""

from __future__ import annotations

from sqlalchemy import select, update

from core.deals.tables import Rating
from core.storage.uow import UnitOfWork


async def publish(uow: UnitOfWork, deal_id: int) -> int:
    """Make a deal's ratings visible; returns how many were hidden."""
    done = await uow.session.execute(update(Rating).where(
        Rating.deal_id == deal_id, Rating.published_at.is_(None))
        .values(published_at=uow.clock.now()).execution_options(synchronize_session=False))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]


async def published_stars(uow: UnitOfWork, account_id: int) -> list[int]:
    """The stars others gave this account, published ones only (for its reputation)."""
    return list((await uow.session.execute(select(Rating.stars).where(
        Rating.ratee_id == account_id, Rating.published_at.is_not(None)))).scalars())
