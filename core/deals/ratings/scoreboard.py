"""The storage behind the ratings' use cases: a protocol (`Scoreboard`); its SQL implementation
on the unit of work is `SqlScoreboard` (`core.deals.ratings.sql_scoreboard`). Which ratings a
publication makes visible, whose reputation it refreshes and the figures that reputation is
(`core.deals.ratings.reputation.standing_figures`) stay with the use cases
(`core.deals.ratings.service`); the scoreboard unveils hidden ratings, reads an account's
standing, keeps the figures cards and search show, and tells both parties (the notices, which
stay proven on the database). The tests' `MemoryLogbook` (`tests/deals/after_sale_fakes.py`) is
one too; `tests/deals/test_scoreboard_contract.py` holds the two alike."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.deals.ratings.reputation import Figures, Standing


class Scoreboard(Protocol):
    """What the ratings' use cases ask of storage and of the notices."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def unveil(self, deal_id: int, at: datetime) -> list[tuple[int, int]]:
        """Publish the deal's hidden ratings at `at`: (ratee, stars) of each just published."""
        ...

    async def standing(self, account_id: int) -> Standing:
        """The account's published ratings, completed deals and disputes, and the market's
        mean of all published stars."""
        ...

    async def keep(self, account_id: int, figures: Figures) -> None:
        """Keep the account's reputation as cards and search read it (new, or replaced)."""
        ...

    async def tell(self, deal_id: int, stars: dict[int, int]) -> None:
        """Both parties are to hear that the deal's ratings are out, each what they were given
        (the event `RatingsPublished`, which the deals' handler tells at commit)."""
        ...

    async def published_stars(self, account_id: int) -> list[int]:
        """The stars others gave this account, published ones only."""
        ...
