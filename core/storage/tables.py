"""The declarative base every context's tables share (with the constraint naming Alembic
relies on), and the conversation engine's own tables: open conversations and processed updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, for statements written in Core on a hot path (the ORM types
    `__table__` as any FROM clause; a declarative class's is always a Table)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Conversation(Base):
    """Where one user is in one chat: the flow, its state and data, and a history for back."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "user_key", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))
    flow: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)
    token: Mapped[str] = mapped_column(String(8), default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """External events already handled: (source, id) is unique, so a replay is a no-op."""

    __tablename__ = "processed_updates"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime]
    # The worker process that owes its answer (core.storage.workers) until the channel has sent
    # it (then NULL): a retry of an update whose worker died owing it is answered again.
    owed_by: Mapped[str | None] = mapped_column(String(80))
