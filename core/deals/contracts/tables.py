"""Contracts' table: a framework contract, its schedule and how far it has come."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class Contract(Base):
    """A framework contract: the same frozen terms delivered in scheduled call-offs, each an
    ordinary deal (`deals.contract_id`) paid, shipped, confirmed and released on its own."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # proposed | active | ended | cancelled
    quantity_milli: Mapped[int] = mapped_column(BigId)  # each call-off
    price_minor: Mapped[int] = mapped_column(BigId)  # per unit
    currency: Mapped[str] = mapped_column(String(3))
    call_offs: Mapped[int] = mapped_column(Integer)
    every: Mapped[str] = mapped_column(String(8))  # week | 2weeks | month | quarter
    first_date: Mapped[date]  # call-off n is due `every` times (n - 1) after it
    # Indexed to a price index (core.deals.index_pricing): each call-off at its latest
    # published week plus this premium per tonne; `price_minor` while none is published.
    price_index: Mapped[str | None] = mapped_column(String(40))
    index_premium_minor: Mapped[int | None] = mapped_column(BigInteger)
    called: Mapped[int] = mapped_column(Integer, default=0)  # call-offs created so far
    # The accepted version of call-off 1's terms, which every later call-off copies (no foreign
    # key: deal_terms → deals → contracts would make a cycle).
    terms_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
