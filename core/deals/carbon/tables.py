"""A carbon record per completed deal: what its carbon receipt shows, kept when the deal
completes (`core.deals.carbon.records`), with the method's values used, so a later change of the
taxonomy's defaults never changes a figure already counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class CarbonRecord(Base):
    """One completed deal's CO₂e avoided against the RED II fossil comparator (one per deal)."""

    __tablename__ = "carbon_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                          index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           index=True)
    product_type: Mapped[str] = mapped_column(String(16))
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(10))
    energy_mwh_per_unit: Mapped[str] = mapped_column(String(24))  # Decimal as text
    end_use: Mapped[str] = mapped_column(String(16))  # heat | electricity | transport
    comparator_g_mj: Mapped[str] = mapped_column(String(12))  # the RED II fossil comparator
    product_g_mj: Mapped[str] = mapped_column(String(12))  # the product's typical emissions
    avoided_g: Mapped[int] = mapped_column(BigInteger)  # CO₂e avoided, grams (0.1 kg steps)
    completed_at: Mapped[datetime]
    created_at: Mapped[datetime]
