"""Which ratings are visible: double-blind until both parties rated or the window closed; and
the reputation a publication refreshes. Asked of a scoreboard (`core.deals.ratings.scoreboard`):
the database's on a unit of work, or the one given."""

from __future__ import annotations

from decimal import Decimal

from core.deals.ratings.reputation import standing_figures
from core.deals.ratings.scoreboard import Scoreboard
from core.deals.ratings.sql_scoreboard import scoreboard_of
from core.storage.uow import UnitOfWork

MARKET_MEAN = Decimal("4.0")  # the prior until the market has ratings of its own


async def publish(uow: UnitOfWork | Scoreboard, deal_id: int) -> int:
    """Make a deal's ratings visible and refresh the ratees' reputation; returns how many
    were hidden."""
    board = scoreboard_of(uow)
    published = await board.unveil(deal_id, board.now())
    for account_id in sorted({r for r, __ in published}):  # only what was just published
        await refresh(board, account_id)
    if published:
        await board.tell(deal_id, dict(published))
    return len(published)


async def refresh(uow: UnitOfWork | Scoreboard, account_id: int) -> None:
    """The reputation cards and search show: a Bayesian average of published ratings, with
    the number of completed deals (the demo seed writes the same row)."""
    board = scoreboard_of(uow)
    await board.keep(account_id, standing_figures(await board.standing(account_id),
                                                  MARKET_MEAN))


async def published_stars(uow: UnitOfWork | Scoreboard, account_id: int) -> list[int]:
    """The stars others gave this account, published ones only (for its reputation)."""
    return await scoreboard_of(uow).published_stars(account_id)
