"""The boards' forum (`core.community.forum.Forum`) in memory: the boards' use cases run on it
without a database. `test_forum_contract.py` holds it to what the SQL forum does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from core.community.board_cards import BoardView, PostView
from core.community.forum import NewPost, StoredPost
from core.events import Event

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass
class MemoryForum:
    """Boards and posts in dicts, who follows and who reacted in dicts keyed by person, the
    clock standing still at `at` (tests move it), events kept in a list."""

    at: datetime = START
    people: dict[int, str] = field(default_factory=dict)  # account id → display name
    admins: set[int] = field(default_factory=set)
    boards_by_id: dict[int, BoardView] = field(default_factory=dict)
    posts: dict[int, StoredPost] = field(default_factory=dict)
    hidden: dict[int, tuple[int, str, datetime]] = field(default_factory=dict)  # by, why, when
    followers: dict[tuple[int, int], datetime] = field(default_factory=dict)  # (board, person)
    reactions: dict[tuple[int, int], str] = field(default_factory=dict)  # (post, person) → kind
    reports: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)  # → id, why
    events: list[Event] = field(default_factory=list)

    def person(self, account_id: int, name: str, *, admin: bool = False) -> int:
        """Someone the forum knows (what registration and the console do for the SQL one)."""
        self.people[account_id] = name
        if admin:
            self.admins.add(account_id)
        return account_id

    def now(self) -> datetime:
        return self.at

    async def is_admin(self, account_id: int) -> bool:
        return account_id in self.admins

    async def boards(self) -> list[BoardView]:
        return sorted(self.boards_by_id.values(), key=lambda b: b.id)

    async def seed(self, seeds: Iterable[tuple[str, str, str]], at: datetime) -> None:
        for slug, title, about in seeds:
            if all(b.slug != slug for b in self.boards_by_id.values()):
                board_id = len(self.boards_by_id) + 1
                self.boards_by_id[board_id] = BoardView(board_id, slug, title, about)

    async def board(self, board_id: int) -> BoardView | None:
        return self.boards_by_id.get(board_id)

    async def post_counts(self) -> dict[int, int]:
        return dict(Counter(p.board_id for p in self._visible() if p.parent_id is None))

    async def follower_counts(self) -> dict[int, int]:
        return dict(Counter(board for board, __ in self.followers))

    async def followed_by(self, account_id: int) -> set[int]:
        return {board for board, who in self.followers if who == account_id}

    async def follows(self, account_id: int, board_id: int) -> bool:
        return (board_id, account_id) in self.followers

    async def follow(self, account_id: int, board_id: int, at: datetime) -> bool:
        if (board_id, account_id) in self.followers:
            return False
        self.followers[board_id, account_id] = at
        return True

    async def unfollow(self, account_id: int, board_id: int) -> bool:
        return self.followers.pop((board_id, account_id), None) is not None

    async def count_posts(self, board_id: int) -> int:
        return len(self._top(board_id))

    async def newest_posts(self, board_id: int, offset: int, limit: int) -> list[PostView]:
        return sorted(self._top(board_id), key=lambda p: p.id, reverse=True)[offset:offset + limit]

    async def post(self, post_id: int) -> StoredPost | None:
        return self.posts.get(post_id)

    async def replies(self, post_id: int) -> list[PostView]:
        return sorted((p for p in self._visible() if p.parent_id == post_id), key=lambda p: p.id)

    async def add(self, new: NewPost) -> PostView:
        view = PostView(id=len(self.posts) + 1, board_id=new.board_id, parent_id=new.parent_id,
                        author_id=new.author_id, text=new.text, created_at=new.created_at)
        self.posts[view.id] = StoredPost(view, hidden=False)
        return view

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return {a: self.people[a] for a in set(account_ids) if a in self.people}

    async def reply_counts(self, post_ids: Iterable[int]) -> dict[int, int]:
        ids = set(post_ids)
        return dict(Counter(p.parent_id for p in self._visible()
                            if p.parent_id is not None and p.parent_id in ids))

    async def reaction_counts(self, post_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        ids = set(post_ids)
        return dict(Counter((post, kind) for (post, __), kind in self.reactions.items()
                            if post in ids))

    async def reactions_of(self, post_ids: Iterable[int], account_id: int) -> dict[int, str]:
        ids = set(post_ids)
        return {post: kind for (post, who), kind in self.reactions.items()
                if post in ids and who == account_id}

    async def take_back(self, post_id: int, account_id: int, kind: str) -> bool:
        if self.reactions.get((post_id, account_id)) != kind:
            return False
        del self.reactions[post_id, account_id]
        return True

    async def react(self, post_id: int, account_id: int, kind: str, at: datetime) -> None:
        self.reactions[post_id, account_id] = kind

    async def reported(self, post_id: int, account_id: int) -> bool:
        return (post_id, account_id) in self.reports

    async def add_report(self, post_id: int, account_id: int, reason: str, at: datetime) -> int:
        report_id = len(self.reports) + 1
        self.reports[post_id, account_id] = (report_id, reason)
        return report_id

    async def hide(self, post_id: int, admin_id: int, reason: str, at: datetime) -> bool:
        found = self.posts.get(post_id)
        if found is None or found.hidden:
            return False
        self.posts[post_id] = replace(found, hidden=True)
        self.hidden[post_id] = (admin_id, reason, at)
        return True

    async def following(self, board_id: int) -> set[int]:
        return {who for board, who in self.followers if board == board_id}

    async def repliers(self, post_id: int) -> set[int]:
        return {p.post.author_id for p in self.posts.values() if p.post.parent_id == post_id}

    async def report(self, post_id: int, account_id: int) -> tuple[int, str] | None:
        return self.reports.get((post_id, account_id))

    async def hidden_reason(self, post_id: int) -> str | None:
        return self.hidden[post_id][1] if post_id in self.hidden else None

    async def admin_ids(self) -> list[int]:
        return sorted(self.admins)

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def _visible(self) -> list[PostView]:
        return [p.post for p in self.posts.values() if not p.hidden]

    def _top(self, board_id: int) -> list[PostView]:
        return [p for p in self._visible() if p.board_id == board_id and p.parent_id is None]

    def board_named(self, slug: str) -> BoardView:
        """The board with this slug (the tests pick boards by slug)."""
        return next(b for b in self.boards_by_id.values() if b.slug == slug)
