"""Freight's tables: hauliers and what they serve, a deal's requests for transport, the
hauliers' quotes on them and the haulier's updates (the CMR photo with "delivered")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.money.model import Money
from core.storage.tables import Base
from core.storage.types import BigId


class Haulier(Base):
    """A member who carries goods: the countries and routes served, the loading types offered
    (tipper, walking floor, bags) and the capacity of one load."""

    __tablename__ = "hauliers"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    routes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # "LV", "LV-DE"
    loading_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    capacity_milli: Mapped[int] = mapped_column(BigId)  # one load, in thousandths of `unit`
    unit: Mapped[str] = mapped_column(String(4))  # t | m3
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime]


class FreightRequest(Base):
    """A deal party's request for transport: from where to where, how much, the loading window
    and type; its state (core.deals.freight.rules.FreightState) and the quote accepted."""

    __tablename__ = "freight_requests"
    __table_args__ = (Index("ix_freight_requests_deal", "deal_id"),
                      Index("ix_freight_requests_status", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    asked_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    from_place: Mapped[str] = mapped_column(String(120))
    from_country: Mapped[str] = mapped_column(String(2))
    to_place: Mapped[str] = mapped_column(String(120))
    to_country: Mapped[str] = mapped_column(String(2))
    quantity_milli: Mapped[int] = mapped_column(BigId)
    unit: Mapped[str] = mapped_column(String(4))  # t | m3
    load_from: Mapped[date]
    load_to: Mapped[date]
    loading_type: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12))
    quote_id: Mapped[int | None] = mapped_column(Integer)  # the accepted quote
    closes_at: Mapped[datetime]  # quotes close when the loading window opens
    position: Mapped[str | None] = mapped_column(String(120))  # the last "on the way" update
    eta: Mapped[date | None]
    cmr_path: Mapped[str | None] = mapped_column(String(200))  # the CMR photo, in the file store
    cmr_mime: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FreightQuote(Base):
    """A haulier's quote on a request for transport: the price for the whole load, the pickup
    day and the days in transit; open, accepted, lost or withdrawn."""

    __tablename__ = "freight_quotes"
    __table_args__ = (UniqueConstraint("request_id", "haulier_id", name="uq_freight_quote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("freight_requests.id", ondelete="CASCADE"))
    haulier_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    price_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    pickup_on: Mapped[date]
    transit_days: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def price(self) -> Money:
        """The quote's price for the whole transport."""
        return Money(self.price_minor, self.currency)


class FreightInvite(Base):
    """A haulier told of a request for transport: once each."""

    __tablename__ = "freight_invites"

    request_id: Mapped[int] = mapped_column(ForeignKey("freight_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    haulier_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)


class FreightUpdate(Base):
    """One of the haulier's updates: loaded, on the way (a position or an ETA), delivered."""

    __tablename__ = "freight_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("freight_requests.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(12))
    position: Mapped[str | None] = mapped_column(String(120))
    eta: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
