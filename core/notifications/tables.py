"""The outbox: every notice and email, written in its event's transaction, sent once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class OutboxStatus(StrEnum):
    """An outbox row: pending (due at `available_at`) → sending (claimed, under a lease) → sent,
    or back to pending to be tried again, or failed for good."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """A notification written in the use case's transaction and delivered after commit."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "available_at"),
        # A chat's undelivered rows in id order: the claim's "earliest open row of its chat".
        Index("ix_outbox_open_chat", "channel", "address", "id",
              postgresql_where=text("status IN ('pending', 'sending')"),
              sqlite_where=text("status IN ('pending', 'sending')")),
        # A chat's delivered cards whose buttons are still showing (core.notifications.cards).
        Index("ix_outbox_chat_cards", "channel", "address", "id",
              postgresql_where=text("sent_ref IS NOT NULL"),
              sqlite_where=text("sent_ref IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(254))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The lease of the dispatcher sending it (status "sending"): who, and since when; an
    # expired lease is a worker that died mid-send, and the row is claimed again.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # Where its channel delivered a card (a notice whose payload names the objects it is about,
    # core.notifications.cards) while its buttons still show: None once a newer card of the
    # same object took them away, or for a channel that cannot edit what it sent.
    sent_ref: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
