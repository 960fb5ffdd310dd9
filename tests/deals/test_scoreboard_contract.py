"""The ratings' scoreboard behaves alike in memory and in the database: one set of tests
(`ScoreboardContract`) runs against the tests' `MemoryLogbook` (no database) and the
`SqlScoreboard` (on SQLite and PostgreSQL), so that the publication and the reputation figures
tested on the fake hold on the real one. Telling the parties is proven on the database
(`test_rating_publication.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from core.catalog.tables import SellerStats
from core.deals import deals
from core.deals.ratings.reputation import Figures, Standing
from core.deals.ratings.scoreboard import Scoreboard
from core.deals.ratings.sql_scoreboard import SqlScoreboard
from core.deals.ratings.tables import Rating
from core.deals.tables import Dispute
from core.process.deals import DealState
from tests.deals.after_sale_fakes import BOB, SAM, MemoryLogbook
from tests.deals.test_after_sale import paid


class ScoreboardContract:
    """What every scoreboard does; a subclass gives `scoreboard`: one, with a deal of `sam`'s
    to `bob` it can complete, and rows it can add."""

    async def test_a_deals_hidden_ratings_are_unveiled_once(self, scoreboard):
        deal_id, board = await scoreboard.sale(), scoreboard.board
        sam, bob = scoreboard.sam, scoreboard.bob
        await scoreboard.rating(deal_id, bob, sam, 4)
        await scoreboard.rating(deal_id, sam, bob, 5)
        assert await board.published_stars(sam) == []
        at = board.now()
        assert sorted(await board.unveil(deal_id, at)) == sorted([(sam, 4), (bob, 5)])
        assert await board.unveil(deal_id, at) == []
        assert (await board.published_stars(sam), await board.published_stars(bob)) == ([4], [5])
        assert await board.unveil(deal_id + 1000, at) == []

    async def test_a_standing_counts_published_stars_completed_deals_and_disputes(
            self, scoreboard):
        deal_id, board = await scoreboard.sale(), scoreboard.board
        sam, bob = scoreboard.sam, scoreboard.bob
        assert await board.standing(sam) == Standing(0, 0, 0, 0, None)  # to ship
        await scoreboard.complete(deal_id)
        await scoreboard.rating(deal_id, bob, sam, 4)
        await scoreboard.rating(deal_id, sam, bob, 5)
        assert await board.standing(sam) == Standing(0, 0, 1, 0, None)  # hidden yet
        await board.unveil(deal_id, board.now())
        seller, buyer = await board.standing(sam), await board.standing(bob)
        assert (seller.total, seller.count, seller.completed, seller.disputes) == (4, 1, 1, 0)
        assert (buyer.total, buyer.count, buyer.completed) == (5, 1, 1)
        assert seller.market_mean is not None and buyer.market_mean is not None
        assert round(seller.market_mean, 3) == round(buyer.market_mean, 3) == Decimal("4.5")
        await scoreboard.dispute(deal_id, bob)
        assert (await board.standing(sam)).disputes == (await board.standing(bob)).disputes == 1

    async def test_the_figures_are_kept_new_or_replaced(self, scoreboard):
        await scoreboard.sale()
        board, sam = scoreboard.board, scoreboard.sam
        assert await scoreboard.kept(sam) is None
        await board.keep(sam, Figures(45, 1, 1, 4))
        assert await scoreboard.kept(sam) == Figures(45, 1, 1, 4)
        await board.keep(sam, Figures(44, 2, 2, 8))
        assert await scoreboard.kept(sam) == Figures(44, 2, 2, 8)


@dataclass
class MemoryAdapter:
    board: MemoryLogbook = field(default_factory=MemoryLogbook)
    sam: int = SAM
    bob: int = BOB

    async def sale(self) -> int:
        return self.board.sale(DealState.TO_SHIP)

    async def complete(self, deal_id: int) -> None:
        self.board.deals[deal_id].status = DealState.COMPLETED

    async def rating(self, deal_id: int, rater: int, ratee: int, stars: int) -> None:
        await self.board.put(Rating(deal_id=deal_id, rater_id=rater, ratee_id=ratee,
                                    stars=stars, aspects={}, created_at=self.board.now()))

    async def dispute(self, deal_id: int, by: int) -> None:
        await self.board.put(Dispute(deal_id=deal_id, opened_by=by, reason="Wet",
                                     created_at=self.board.now()))

    async def kept(self, account_id: int) -> Figures | None:
        return self.board.stats.get(account_id)


class TestMemoryScoreboard(ScoreboardContract):
    @pytest.fixture
    def scoreboard(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """A SqlScoreboard in one open unit of work (Sam's deal with Bob paid before, and
    committed; what a test writes is rolled back after)."""

    app: Any
    uow: Any
    board: Scoreboard
    sam: int = 0
    bob: int = 0

    async def sale(self) -> int:
        sam, bob, _, deal_id = await paid(self.app)
        self.sam, self.bob = sam.id, bob.id
        return deal_id

    async def complete(self, deal_id: int) -> None:
        await deals.take(self.uow, deal_id, "mark-shipped", self.sam)
        await deals.take(self.uow, deal_id, "confirm-receipt", self.bob)

    async def rating(self, deal_id: int, rater: int, ratee: int, stars: int) -> None:
        await self.uow.insert(Rating(deal_id=deal_id, rater_id=rater, ratee_id=ratee,
                                     stars=stars, aspects={}, created_at=self.uow.clock.now()))

    async def dispute(self, deal_id: int, by: int) -> None:
        await self.uow.insert(Dispute(deal_id=deal_id, opened_by=by, reason="Wet",
                                      created_at=self.uow.clock.now()))

    async def kept(self, account_id: int) -> Figures | None:
        row = (await self.uow.session.execute(select(
            SellerStats.rating_x10, SellerStats.ratings, SellerStats.deals,
            SellerStats.stars_total).where(SellerStats.account_id == account_id))).first()
        return Figures(*row) if row is not None else None


class TestSqlScoreboard(ScoreboardContract):
    @pytest.fixture
    async def scoreboard(self, app):
        async with app.uow() as uow:
            yield SqlAdapter(app, uow, SqlScoreboard(uow))
