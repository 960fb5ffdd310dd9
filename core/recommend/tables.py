"""Recommendation tables: what a person declined, and the weekly message sent (one per week)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class PickDeclined(Base):
    """“Not interested”: this listing or consultant is never recommended to the person again."""

    __tablename__ = "pick_declines"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # listing | consultant
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime]


class WeeklyPicks(Base):
    """The weekly message of one person for one ISO week (“2026-W48”): the row is the claim,
    so a rerun or a second worker never sends it twice."""

    __tablename__ = "weekly_picks"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ["listing:42", …]
    created_at: Mapped[datetime]
