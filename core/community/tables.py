"""Community tables: boards, who follows each, posts and replies, reactions and reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class Board(Base):
    """A topic board (“Pellet quality”), addressed by its slug on the site."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime]


class BoardSubscription(Base):
    """A person follows a board: its new posts and replies reach them on their own channel."""

    __tablename__ = "board_subscriptions"
    __table_args__ = (UniqueConstraint("board_id", "account_id",
                                       name="uq_board_subscriptions_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime]


class BoardPost(Base):
    """A post on a board, or a reply to one (`parent_id`); hidden by an admin, it is gone from
    chat and the site, and its author is told why."""

    __tablename__ = "board_posts"
    __table_args__ = (Index("ix_board_posts_board_parent", "board_id", "parent_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"),
                                                  index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    hidden_at: Mapped[datetime | None]
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]


class PostReaction(Base):
    """One reaction per person per post (👍 ❤️ 💡); choosing another replaces it."""

    __tablename__ = "post_reactions"
    __table_args__ = (UniqueConstraint("post_id", "account_id", name="uq_post_reactions_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # up | heart | idea
    created_at: Mapped[datetime]


class PostReport(Base):
    """Someone reported a post to the admins (once per person and post)."""

    __tablename__ = "post_reports"
    __table_args__ = (UniqueConstraint("post_id", "account_id", name="uq_post_reports_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime]
