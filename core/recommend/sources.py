"""Where recommendations come from, behind their use cases: a repository protocol (`Sources`)
— a person's history, what is on offer, what they declined, the weekly message's claims — and
the plain read models it gives; its SQL implementation on the unit of work is `SqlSources`
(`core.recommend.sql_sources`), as the learning context's `Shelf` is (`core.learning.shelf`).

The use cases in `core.recommend.taste`, `picks` and `weekly` ask only this, so they run as
well on the tests' in-memory sources (`tests/recommend/fakes.py`) as on the database;
`tests/recommend/test_sources_contract.py` holds the two alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.actions import ActionRows

# What a weekly message's composer gives: the keys picked ("listing:42"), and the message
# (text and buttons), None when there was nothing to pick.
Composed = tuple[list[str], tuple[str, ActionRows] | None]


@dataclass(frozen=True)
class Bought:
    """A deal of the person's as a buyer (not cancelled or refunded), with its listing's
    product and place."""

    at: datetime
    product: str
    country: str  # "" when the listing named none
    currency: str
    price_minor: int
    energy_mwh_per_unit: str  # a Decimal as text


@dataclass(frozen=True)
class Searched:
    """A search the person ran for a product."""

    at: datetime
    product: str


@dataclass(frozen=True)
class Saved:
    """An active saved search: its query (`core.catalog.query.SearchQuery.as_dict`)."""

    at: datetime
    query: dict[str, Any]


@dataclass(frozen=True)
class Watched:
    """A listing on the person's watchlist."""

    at: datetime
    listing_id: int
    title: str
    product: str
    country: str  # "" when the listing named none


@dataclass(frozen=True)
class Booked:
    """A session the person booked (one had, or one ahead), with its consultant's fields."""

    consultant_id: int
    status: str
    starts_at: datetime | None
    created_at: datetime
    categories: tuple[str, ...]


@dataclass(frozen=True)
class OnOffer:
    """A published listing that may be picked."""

    id: int
    title: str
    city: str
    country: str | None
    product_type: str
    currency: str
    price_mwh_minor: int | None


@dataclass(frozen=True)
class SellerRating:
    """A seller's published reputation."""

    rating_x10: int
    ratings: int


@dataclass(frozen=True)
class Adviser:
    """A live consultant that may be picked."""

    account_id: int
    headline: str
    categories: tuple[str, ...]
    stars_total: int
    ratings: int


class Sources(Protocol):
    """What the recommendations' use cases ask of storage and of the outbox."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def bought(self, account_id: int, before: datetime) -> list[Bought]:
        """The person's deals as a buyer made before `before`, not cancelled or refunded."""
        ...

    async def searched(self, account_id: int, before: datetime) -> list[Searched]:
        """The person's searches for a product before `before`."""
        ...

    async def saved(self, account_id: int, before: datetime) -> list[Saved]:
        """The person's active saved searches made before `before`."""
        ...

    async def watched(self, account_id: int, before: datetime) -> list[Watched]:
        """The listings the person put on their watchlist before `before`."""
        ...

    async def booked(self, account_id: int, before: datetime,
                     statuses: Iterable[str]) -> list[Booked]:
        """The person's bookings made before `before` in one of `statuses`."""
        ...

    async def declined(self, account_id: int) -> set[str]:
        """What the person said "Not interested" to, as keys ("listing:42")."""
        ...

    async def decline(self, account_id: int, kind: str, item_id: int) -> bool:
        """Remember a "Not interested" for good; False when it was remembered already."""
        ...

    async def on_offer(self, account_id: int, products: list[str], countries: list[str],
                       now: datetime) -> list[tuple[OnOffer, SellerRating | None]]:
        """Published listings of others, with something left and not expired at `now`, of one
        of `products` or in one of `countries`; each with its seller's rating, if any."""
        ...

    async def advisers(self, account_id: int) -> list[tuple[Adviser, str]]:
        """Live consultants other than the person, each with their display name."""
        ...

    async def subscribers(self) -> list[tuple[int, str | None]]:
        """Everyone who wants the weekly message, with their time zone, by account id."""
        ...

    async def weekly(self, account_id: int, week: str,
                     compose: Callable[[], Awaitable[Composed]]) -> bool:
        """Claim the person's `week` and send them what `compose` makes (in their language),
        once: False, sending nothing, when the week was claimed already (by another worker,
        or an earlier run) or there was nothing to pick."""
        ...

    async def set_weekly(self, account_id: int, on: bool) -> None:
        """Turn the person's weekly message on or off (kept on the account)."""
        ...
