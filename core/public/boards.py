"""The boards' read side for the public site: visible posts and replies only, authors named by
first name and company initial, contact details in the text hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.community import board_cards, boards
from core.community import rules as community_rules
from core.community.tables import Board, BoardPost
from core.disclosure import public_text, quoted_name
from core.errors import NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

PER_PAGE = 20


@dataclass(frozen=True)
class PublicReply:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class PublicPost:
    id: int
    author: str
    text: str
    created_at: datetime
    reactions: dict[str, int]  # emoji -> count
    replies: list[PublicReply]


@dataclass(frozen=True)
class PublicBoard:
    board: Board
    posts: list[PublicPost]
    page: int
    pages: int


async def board_list(uow: UnitOfWork) -> list[board_cards.BoardCard]:
    """Every board with its counts (nobody is reading as a member)."""
    return await boards.boards(uow, None)


async def board_page(uow: UnitOfWork, slug: str, page: int = 0) -> PublicBoard:
    """A board's visible posts, newest first, each with its visible replies."""
    board = await board_by_slug(uow, slug)
    found, pages = await boards.posts(uow, board.id, None, page, PER_PAGE)
    ids = [c.post.id for c in found]
    replies = list((await uow.session.execute(select(BoardPost).where(
        BoardPost.parent_id.in_(ids), BoardPost.hidden_at.is_(None))
        .order_by(BoardPost.id))).scalars()) if ids else []
    names = await _names(uow, {c.post.author_id for c in found} | {r.author_id for r in replies})
    by_post: dict[int, list[PublicReply]] = {i: [] for i in ids}
    for r in replies:
        by_post[r.parent_id or 0].append(PublicReply(names.get(r.author_id, "A member"),
                                                     public_text(r.text), r.created_at))
    posts = [PublicPost(c.post.id, names.get(c.post.author_id, "A member"), public_text(c.post.text),
                        c.post.created_at,
                        {emoji: c.reactions[kind] for kind, emoji in community_rules.REACTIONS.items()},
                        by_post[c.post.id]) for c in found]
    return PublicBoard(board, posts, min(page, pages - 1), pages)


async def board_by_slug(uow: UnitOfWork, slug: str) -> Board:
    """A board's row by its slug (the starting boards made the first time anyone looks)."""
    if not slug or len(slug) > 60:
        raise NotFound(_("That board doesn't exist."))
    if (await uow.session.execute(select(func.count()).select_from(Board))).scalar() == 0:
        await boards.seed(uow)
    found = (await uow.session.execute(select(Board).where(Board.slug == slug))).scalar()
    if found is None:
        raise NotFound(_("That board doesn't exist."))
    return found


async def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await uow.session.execute(select(Account.id, Account.display_name, Account.company)
                                     .where(Account.id.in_(ids)))
    return {i: quoted_name(name, company) for i, name, company in rows.all()}
