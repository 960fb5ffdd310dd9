"""Support tables: a ticket (who asked what, from where, where it stands) and its messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class SupportTicket(Base):
    """A question a person could not answer from the help base, with the context it came from.

    `context` is what the conversation knew when the person asked (the flow and step, the
    object concerned, the error they saw): see `core.support.context.TicketContext`."""

    __tablename__ = "support_tickets"
    __table_args__ = (Index("ix_support_tickets_status_due", "status", "first_answer_due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    status: Mapped[str] = mapped_column(String(24), default="open")
    question: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))  # where it was asked; answers go there
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_answer_due_at: Mapped[datetime]  # the SLA: an operator's first answer is due
    first_answered_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    rating: Mapped[int | None] = mapped_column(SmallInteger)  # 1 to 5, the asker's, after closing
    rated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SupportMessage(Base):
    """One message of a ticket's thread: the asker's or an operator's, with author and time."""

    __tablename__ = "support_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("support_tickets.id", ondelete="CASCADE"),
                                           index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    author_role: Mapped[str] = mapped_column(String(8))  # asker | operator
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
