"""The boards' forum (`core.community.forum.Forum`) in the database, inside the caller's unit
of work: the queries the boards' use cases ran themselves before they asked a forum."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from core.accounts.tables import Account
from core.community.board_cards import BoardView, PostView, board_view, post_view
from core.community.forum import Forum, NewPost, StoredPost
from core.community.tables import Board, BoardPost, BoardSubscription, PostReaction, PostReport
from core.events import Event
from core.operators import roles
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert

VISIBLE = BoardPost.hidden_at.is_(None)
TOP = BoardPost.parent_id.is_(None)


class SqlForum(SqlStore):
    """The forum in the database, inside `uow`'s transaction."""

    async def is_admin(self, account_id: int) -> bool:
        return await roles.is_admin(self._uow, account_id)

    async def boards(self) -> list[BoardView]:
        return [board_view(b) for b in await self._all(select(Board).order_by(Board.id))]

    async def seed(self, seeds: Iterable[tuple[str, str, str]], at: datetime) -> None:
        # A second worker's insert is a no-op.
        await self._uow.session.execute(dialect_insert(self._uow, Board).values([
            {"slug": slug, "title": title, "description": about, "created_at": at}
            for slug, title, about in seeds]).on_conflict_do_nothing(index_elements=["slug"]))

    async def board(self, board_id: int) -> BoardView | None:
        found = await self._uow.get(Board, board_id)
        return board_view(found) if found is not None else None

    async def post_counts(self) -> dict[int, int]:
        return await self._pairs(select(BoardPost.board_id, func.count()).where(TOP, VISIBLE)
                                 .group_by(BoardPost.board_id))

    async def follower_counts(self) -> dict[int, int]:
        return await self._pairs(select(BoardSubscription.board_id, func.count())
                                 .group_by(BoardSubscription.board_id))

    async def followed_by(self, account_id: int) -> set[int]:
        return set(await self._all(select(BoardSubscription.board_id).where(
            BoardSubscription.account_id == account_id)))

    async def follows(self, account_id: int, board_id: int) -> bool:
        return (await self._uow.session.execute(select(BoardSubscription.id).where(
            BoardSubscription.board_id == board_id,
            BoardSubscription.account_id == account_id))).first() is not None

    async def follow(self, account_id: int, board_id: int, at: datetime) -> bool:
        done = await self._uow.session.execute(dialect_insert(self._uow, BoardSubscription).values(
            board_id=board_id, account_id=account_id, created_at=at)
            .on_conflict_do_nothing(index_elements=["board_id", "account_id"]))
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def unfollow(self, account_id: int, board_id: int) -> bool:
        done = await self._uow.session.execute(delete(BoardSubscription).where(
            BoardSubscription.board_id == board_id, BoardSubscription.account_id == account_id))
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def count_posts(self, board_id: int) -> int:
        return (await self._uow.session.execute(select(func.count()).select_from(BoardPost)
                                                .where(BoardPost.board_id == board_id, TOP,
                                                       VISIBLE))).scalar() or 0

    async def newest_posts(self, board_id: int, offset: int, limit: int) -> list[PostView]:
        return [post_view(p) for p in await self._all(select(BoardPost).where(
            BoardPost.board_id == board_id, TOP, VISIBLE).order_by(BoardPost.id.desc())
            .offset(offset).limit(limit))]

    async def post(self, post_id: int) -> StoredPost | None:
        found = await self._uow.get(BoardPost, post_id)
        return StoredPost(post_view(found), found.hidden_at is not None) if found else None

    async def replies(self, post_id: int) -> list[PostView]:
        return [post_view(p) for p in await self._all(select(BoardPost).where(
            BoardPost.parent_id == post_id, VISIBLE).order_by(BoardPost.id))]

    async def add(self, new: NewPost) -> PostView:
        return post_view(await self._uow.insert(BoardPost(
            board_id=new.board_id, parent_id=new.parent_id, author_id=new.author_id,
            text=new.text, created_at=new.created_at)))

    async def names(self, account_ids: Iterable[int]) -> dict[int, str]:
        return await self._pairs(select(Account.id, Account.display_name).where(
            Account.id.in_(set(account_ids))))

    async def reply_counts(self, post_ids: Iterable[int]) -> dict[int, int]:
        return await self._pairs(select(BoardPost.parent_id, func.count()).where(
            BoardPost.parent_id.in_(list(post_ids)), VISIBLE).group_by(BoardPost.parent_id))

    async def reaction_counts(self, post_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        rows = await self._uow.session.execute(select(
            PostReaction.post_id, PostReaction.kind, func.count()).where(
            PostReaction.post_id.in_(list(post_ids))).group_by(PostReaction.post_id,
                                                               PostReaction.kind))
        return {(post_id, kind): n for post_id, kind, n in rows.all()}

    async def reactions_of(self, post_ids: Iterable[int], account_id: int) -> dict[int, str]:
        return await self._pairs(select(PostReaction.post_id, PostReaction.kind).where(
            PostReaction.post_id.in_(list(post_ids)), PostReaction.account_id == account_id))

    async def take_back(self, post_id: int, account_id: int, kind: str) -> bool:
        done = await self._uow.session.execute(delete(PostReaction).where(
            PostReaction.post_id == post_id, PostReaction.account_id == account_id,
            PostReaction.kind == kind))
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def react(self, post_id: int, account_id: int, kind: str, at: datetime) -> None:
        await self._uow.session.execute(dialect_insert(self._uow, PostReaction).values(
            post_id=post_id, account_id=account_id, kind=kind, created_at=at)
            .on_conflict_do_update(index_elements=["post_id", "account_id"],
                                   set_={"kind": kind, "created_at": at}))

    async def reported(self, post_id: int, account_id: int) -> bool:
        return (await self._uow.session.execute(select(PostReport.id).where(
            PostReport.post_id == post_id, PostReport.account_id == account_id))).first() \
            is not None

    async def add_report(self, post_id: int, account_id: int, reason: str, at: datetime) -> int:
        row = PostReport(post_id=post_id, account_id=account_id, reason=reason, created_at=at)
        return (await self._uow.insert(row)).id

    async def hide(self, post_id: int, admin_id: int, reason: str, at: datetime) -> bool:
        hidden = await self._uow.session.execute(update(BoardPost).where(
            BoardPost.id == post_id, VISIBLE).values(
            hidden_at=at, hidden_by=admin_id, hidden_reason=reason))
        return bool(hidden.rowcount == 1)  # type: ignore[attr-defined]

    async def following(self, board_id: int) -> set[int]:
        return set(await self._all(select(BoardSubscription.account_id).where(
            BoardSubscription.board_id == board_id)))

    async def repliers(self, post_id: int) -> set[int]:
        return set(await self._all(select(BoardPost.author_id).where(
            BoardPost.parent_id == post_id)))

    async def report(self, post_id: int, account_id: int) -> tuple[int, str] | None:
        row = (await self._uow.session.execute(select(PostReport.id, PostReport.reason).where(
            PostReport.post_id == post_id, PostReport.account_id == account_id))).first()
        return (row[0], row[1]) if row is not None else None

    async def hidden_reason(self, post_id: int) -> str | None:
        found = await self._uow.get(BoardPost, post_id)
        return found.hidden_reason if found is not None else None

    async def admin_ids(self) -> list[int]:
        return await roles.admin_ids(self._uow)

    def emit(self, event: Event) -> None:
        self._uow.emit(event)

    async def _all(self, query: Any) -> list[Any]:
        return list((await self._uow.session.execute(query)).scalars())

    async def _pairs(self, query: Any) -> dict[Any, Any]:
        return dict((await self._uow.session.execute(query)).all())


def forum_of(uow: UnitOfWork | Forum) -> Forum:
    """The boards' forum in this unit of work: the database's, or the forum given (a test's
    in-memory one)."""
    return store_of(uow, Forum, SqlForum)
