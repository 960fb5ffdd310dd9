"""An inspection booked into a deal: who booked it and pays, the inspector and the fee, where
it stands, the sampling record kept in the file store and the lab's figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class Inspection(Base):
    """One inspection of a deal's goods. `open_deal_id` is the deal's id while the inspection
    is open and NULL once it ends: its unique index lets a deal have one open at a time, kept
    by the database rather than by a read before the insert."""

    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_deal", "deal_id"),
                      Index("ix_inspections_status", "status"),
                      UniqueConstraint("open_deal_id", name="uq_inspections_open_deal"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    open_deal_id: Mapped[int | None] = mapped_column(Integer)
    booked_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # the party who pays
    inspector_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    fee_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))  # rules.InspectionState
    due_at: Mapped[datetime]  # the results are in by then, or the fee goes back
    record_path: Mapped[str | None] = mapped_column(String(200))  # the sampling record
    record_name: Mapped[str | None] = mapped_column(String(200))
    record_mime: Mapped[str | None] = mapped_column(String(80))
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # name → figure (MJ/kg for NCV)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
