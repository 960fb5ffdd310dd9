"""What the flows read of the topic boards: frozen read models of a board and a post, and the
cards built on them (a board with its counts, a post with its author, replies and reactions),
never the rows, which stay in core (core.community.boards takes the use cases)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.community.rules import REACTIONS
from core.community.tables import Board, BoardPost, PostReaction
from core.i18n import _
from core.storage.uow import UnitOfWork


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


async def cards(uow: UnitOfWork, found: list[BoardPost], viewer_id: int | None
                ) -> list[PostCard]:
    """Posts' rows as cards, with their author's name, visible reply count and reaction
    counts."""
    ids = [p.id for p in found]
    if not ids:
        return []
    names = dict((await uow.session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_({p.author_id for p in found})))).all())
    replies = dict((await uow.session.execute(select(BoardPost.parent_id, func.count()).where(
        BoardPost.parent_id.in_(ids), BoardPost.hidden_at.is_(None))
        .group_by(BoardPost.parent_id))).all())
    counts: dict[int, dict[str, int]] = {i: dict.fromkeys(REACTIONS, 0) for i in ids}
    for post_id, kind, n in (await uow.session.execute(select(
            PostReaction.post_id, PostReaction.kind, func.count()).where(
            PostReaction.post_id.in_(ids)).group_by(PostReaction.post_id, PostReaction.kind))).all():
        counts[post_id][kind] = n
    mine = dict((await uow.session.execute(select(PostReaction.post_id, PostReaction.kind).where(
        PostReaction.post_id.in_(ids), PostReaction.account_id == viewer_id))).all()) \
        if viewer_id else {}
    someone = _("A member")
    return [PostCard(post_view(p), names.get(p.author_id, someone), replies.get(p.id, 0), counts[p.id],
                     mine.get(p.id)) for p in found]
