"""Threads' tables: one conversation per listing and buyer, and its messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class Thread(Base):
    """The conversation of one buyer with one listing's seller (later the deal's thread)."""

    __tablename__ = "threads"
    __table_args__ = (UniqueConstraint("listing_id", "buyer_id", name="uq_threads_listing_buyer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           index=True)
    blocked_by: Mapped[int | None] = mapped_column(Integer)  # the party who blocked the other
    reported_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ThreadMessage(Base):
    """One message in a thread, as its recipient sees it (contact details masked before a deal)."""

    __tablename__ = "thread_messages"
    __table_args__ = (Index("ix_thread_messages_thread", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    masked: Mapped[bool] = mapped_column(Boolean, default=False)
    # A photo or document relayed with the message (stored by SHA-256 in the file store).
    file_path: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(200))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
