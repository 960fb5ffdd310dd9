"""Session tables: a live consultant session, its relayed messages (the transcript), the
extensions the seeker authorised, the seeker's review, and a consultant's reputation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class ConsultSession(Base):
    """One booked session: who, at what rate, what was authorised, and where it stands.
    `status` is the process state; money is the escrow's (by `escrow_ref`) and `charged_minor`."""

    __tablename__ = "consult_sessions"
    __table_args__ = (Index("ix_consult_sessions_pair", "seeker_id", "consultant_id"),
                      Index("ix_consult_sessions_consultant", "consultant_id", "ended_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(Integer, unique=True)  # the booking's row (its branch)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    rate_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    rate_unit: Mapped[str] = mapped_column(String(10))  # session30 | session60 | minute
    booked_minutes: Mapped[int] = mapped_column(Integer)
    extended_minutes: Mapped[int] = mapped_column(Integer, default=0)
    authorised_minor: Mapped[int] = mapped_column(BigId, default=0)
    escrow_ref: Mapped[str] = mapped_column(String(64))  # the authorisation in force
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    starts_at: Mapped[datetime]
    consultant_joined_at: Mapped[datetime | None]
    seeker_joined_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    paid_from: Mapped[datetime | None]  # the start plus the free window
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(24))  # seeker | consultant | system | …
    charged_minor: Mapped[int | None] = mapped_column(BigId)
    free_used: Mapped[bool] = mapped_column(Boolean, default=False)
    call_link: Mapped[str | None] = mapped_column(String(300))
    recap_notes: Mapped[str | None] = mapped_column(Text)
    recap_granted_at: Mapped[datetime | None]  # when the seeker got the recap
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SessionMessage(Base):
    """A message relayed in a session: text, a voice note, a photo or a file (kept in the file
    store), so the transcript exists."""

    __tablename__ = "session_messages"
    __table_args__ = (Index("ix_session_messages_session", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consult_sessions.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(8))  # text | voice | photo | file
    text: Mapped[str] = mapped_column(Text)
    file_path: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(200))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class SessionExtension(Base):
    """More time the seeker asked for: a new authorisation of the whole new maximum, which
    replaces the one in force once the provider confirms it."""

    __tablename__ = "session_extensions"
    __table_args__ = (UniqueConstraint("session_id", "number", name="uq_session_extensions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consult_sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigId)  # the new authorisation, in full
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    authorised_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SessionReview(Base):
    """The seeker's rating of a session (published at once) and the consultant's one reply."""

    __tablename__ = "session_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consult_sessions.id", ondelete="CASCADE"),
                                            unique=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    # The seeker let Agora quote the comment on its website (with their first name only).
    quote_ok: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ConsultReputation(Base):
    """A consultant's standing as cards and the directory read it (refreshed on each review)."""

    __tablename__ = "consult_reputation"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    rating_x100: Mapped[int] = mapped_column(Integer, default=0)  # 472 = 4.72, Bayesian
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)  # completed sessions
    updated_at: Mapped[datetime]
