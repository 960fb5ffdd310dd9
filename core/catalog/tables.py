"""Catalogue tables (listings, media, saved searches…), on the shared declarative Base."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class Listing(Base):
    """A seller's offer of one product; quantities in thousandths, prices in minor units."""

    __tablename__ = "listings"
    __table_args__ = (Index("ix_listings_status_expires", "status", "expires_at"),
                      Index("ix_listings_updated", "updated_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    product_type: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    quantity_milli: Mapped[int] = mapped_column(BigId)
    min_order_milli: Mapped[int | None] = mapped_column(BigId)
    unit: Mapped[str] = mapped_column(String(10))
    price_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    negotiable: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery: Mapped[list[Any]] = mapped_column(JSON, default=list)
    delivery_radius_km: Mapped[int | None] = mapped_column(Integer)
    incoterm_place: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float]
    longitude: Mapped[float]
    available_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    specs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    certifications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    energy_mwh_per_unit: Mapped[str] = mapped_column(String(24))  # Decimal as text
    price_mwh_minor: Mapped[int | None] = mapped_column(BigId)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ListingMedia(Base):
    """A photo or document of a listing, stored by the file store with its SHA-256."""

    __tablename__ = "listing_media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(10))  # photo | document
    file_name: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(400))
    channel_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. a Telegram file_id
    created_at: Mapped[datetime]


class SellerStats(Base):
    """A seller's reputation as the catalogue shows it (filled by reviews; seeded in demos)."""

    __tablename__ = "seller_stats"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    rating_x10: Mapped[int] = mapped_column(Integer, default=0)  # 47 = 4.7, Bayesian: ranks
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    stars_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # shown
    deals: Mapped[int] = mapped_column(Integer, default=0)


class Watch(Base):
    """A listing a buyer saved to look at later."""

    __tablename__ = "watchlist"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"),
                                            primary_key=True)
    created_at: Mapped[datetime]


class SavedSearch(Base):
    """A buyer's search kept for alerts: at once or in a daily digest."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    mode: Mapped[str] = mapped_column(String(8), default="instant")  # instant | digest
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class AlertHit(Base):
    """A listing that matched a saved search; unique, so nobody is told twice."""

    __tablename__ = "alert_hits"
    __table_args__ = (UniqueConstraint("saved_search_id", "listing_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id",
                                                            ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SearchLog(Base):
    """One search a buyer ran (for the sellers' market view)."""

    __tablename__ = "search_log"
    __table_args__ = (Index("ix_search_log_created", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(200))
    product_type: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime]
