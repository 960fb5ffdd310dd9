"""Ratings' table: one party's rating of the other after a deal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class Rating(Base):
    """One party's rating of the other after a deal; hidden until both rated or the window
    closed (double-blind)."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("deal_id", "rater_id", name="uq_ratings_deal_rater"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    aspects: Mapped[dict[str, Any]]
    comment: Mapped[str | None] = mapped_column(Text)
    # The rater let Agora quote the comment on its website (with their first name only).
    quote_ok: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
