"""What the flows read of the topic boards: frozen read models of a board and a post, and the
cards built on them (a board with its counts, a post with its author, replies and reactions),
never the rows, which stay in core (core.community.boards takes the use cases and builds
the cards)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.community.tables import Board, BoardPost


@dataclass(frozen=True)
class BoardView:
    """A topic board; its title and description are stored in English (see SEEDS)."""

    id: int
    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class PostView:
    """A visible post, or a reply to one (`parent_id`)."""

    id: int
    board_id: int
    parent_id: int | None
    author_id: int
    text: str
    created_at: datetime


def board_view(row: Board) -> BoardView:
    """The read model of a board's row."""
    return BoardView(id=row.id, slug=row.slug, title=row.title, description=row.description)


def post_view(row: BoardPost) -> PostView:
    """The read model of a post's row."""
    return PostView(id=row.id, board_id=row.board_id, parent_id=row.parent_id,
                    author_id=row.author_id, text=row.text, created_at=row.created_at)


@dataclass(frozen=True)
class BoardCard:
    board: BoardView
    posts: int
    followers: int
    following: bool


@dataclass(frozen=True)
class PostCard:
    post: PostView
    author: str
    replies: int
    reactions: dict[str, int]  # kind -> count, every kind present
    mine: str | None  # the reader's own reaction
