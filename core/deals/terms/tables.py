"""Terms' table: each version of a deal's frozen terms, and who accepted it when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class DealTerms(Base):
    """One version of a deal's frozen terms: the body, its SHA-256, and who accepted it when.
    An accepted version never changes; a change is a new version both accept again."""

    __tablename__ = "deal_terms"
    __table_args__ = (UniqueConstraint("deal_id", "version", name="uq_deal_terms_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]]
    sha256: Mapped[str] = mapped_column(String(64))
    buyer_accepted_at: Mapped[datetime | None]
    seller_accepted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
