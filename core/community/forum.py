"""The boards' storage, behind their use cases: a repository protocol (`Forum`) and the plain
values it takes and gives. Its SQL implementation on the unit of work is
`core.community.sql_forum.SqlForum`; the use cases in `core.community.boards` ask only this,
so they run as well on the tests' in-memory forum (`tests/community/fakes.py`) as on the
database, and `tests/community/test_forum_contract.py` holds the two alike.

A forum lives inside one unit of work: what it writes is committed, or rolled back, with the
rest of the use case (`async with uow:` … `await uow.commit()` stays the caller's). The clock
is read by the use cases and handed down (`at`), so what a forum stores is what they decided."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.community.board_cards import BoardView, PostView
from core.events import Event


@dataclass(frozen=True)
class StoredPost:
    """A post as kept, hidden or not: the use cases decide what a hidden one may still do."""

    post: PostView
    hidden: bool


@dataclass(frozen=True)
class NewPost:
    """A post or a reply (`parent_id`) to store, checked; the forum gives it its id."""

    board_id: int
    parent_id: int | None
    author_id: int
    text: str
    created_at: datetime


class Forum(Protocol):
    """What the boards' use cases ask of storage, of who people are, and of the bus. "Visible"
    is a post no admin has hidden; the posts of a board are those that answer no other."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def is_admin(self, account_id: int) -> bool:
        ...

    async def boards(self) -> list[BoardView]:
        """Every board, in the order they were made."""
        ...

    async def seed(self, seeds: Iterable[tuple[str, str, str]], at: datetime) -> None:
        """Boards (slug, title, description), each once: a slug already there is left alone."""
        ...

    async def board(self, board_id: int) -> BoardView | None:
        ...

    async def post_counts(self) -> dict[int, int]:
        """Board → how many visible posts it holds (boards without any left out)."""
        ...

    async def follower_counts(self) -> dict[int, int]:
        """Board → how many follow it (boards without followers left out)."""
        ...

    async def followed_by(self, account_id: int) -> set[int]:
        """The boards the person follows."""
        ...

    async def follows(self, account_id: int, board_id: int) -> bool:
        ...

    async def follow(self, account_id: int, board_id: int, at: datetime) -> bool:
        """Follow a board; False when already following."""
        ...

    async def unfollow(self, account_id: int, board_id: int) -> bool:
        """Stop following a board; False when not following."""
        ...

    async def count_posts(self, board_id: int) -> int:
        """How many visible posts the board holds."""
        ...

    async def newest_posts(self, board_id: int, offset: int, limit: int) -> list[PostView]:
        """A slice of the board's visible posts, the newest (highest id) first."""
        ...

    async def post(self, post_id: int) -> StoredPost | None:
        """A post or a reply, hidden or not; None when there is none."""
        ...

    async def replies(self, post_id: int) -> list[PostView]:
        """The visible replies to a post, the oldest first."""
        ...

    async def add(self, new: NewPost) -> PostView:
        """Store a post or a reply; it has its id from now on."""
        ...

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The display names of those accounts that exist."""
        ...

    async def reply_counts(self, post_ids: Iterable[int]) -> dict[int, int]:
        """Post → how many visible replies it has (posts without any left out)."""
        ...

    async def reaction_counts(self, post_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        """(post, kind) → how many reacted so."""
        ...

    async def reactions_of(self, post_ids: Iterable[int], account_id: int) -> dict[int, str]:
        """Post → the person's reaction, where they gave one."""
        ...

    async def take_back(self, post_id: int, account_id: int, kind: str) -> bool:
        """Remove the person's reaction if it is `kind`; whether there was one to remove."""
        ...

    async def react(self, post_id: int, account_id: int, kind: str, at: datetime) -> None:
        """The person's reaction to a post, replacing the one they gave before."""
        ...

    async def reported(self, post_id: int, account_id: int) -> bool:
        """Whether the person has reported the post already."""
        ...

    async def add_report(self, post_id: int, account_id: int, reason: str, at: datetime) -> int:
        """Keep a report; its id."""
        ...

    async def hide(self, post_id: int, admin_id: int, reason: str, at: datetime) -> bool:
        """Visible → hidden, once: False when the post was hidden already (or is unknown)."""
        ...

    async def following(self, board_id: int) -> set[int]:
        """Who follows the board: who hears of its posts."""
        ...

    async def repliers(self, post_id: int) -> set[int]:
        """Who replied to a post, hidden replies too: who hears of another reply."""
        ...

    async def report(self, post_id: int, account_id: int) -> tuple[int, str] | None:
        """The person's report of the post: its id and reason (None when they made none)."""
        ...

    async def hidden_reason(self, post_id: int) -> str | None:
        """Why an admin hid the post (None while it is visible)."""
        ...

    async def admin_ids(self) -> list[int]:
        """The administrators' accounts, each once: who hears of a report."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...
