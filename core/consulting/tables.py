"""Consulting tables: consultants' profiles, bookings and the times proposed for them, and
promotions (featured in a category for a while)."""

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class ConsultantProfile(Base):
    """One consultant's public profile, rate and availability, kept in their own time zone.
    Its row is also the lock every booking of this consultant takes (no double booking)."""

    __tablename__ = "consultant_profiles"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    headline: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO 639-1
    photo_path: Mapped[str | None] = mapped_column(String(200))  # in the FileStore
    rate_kind: Mapped[str | None] = mapped_column(String(8))  # session | minute
    session_minutes: Mapped[int | None] = mapped_column(Integer)  # 30 | 60 for session rates
    price_minor: Mapped[int | None] = mapped_column(BigId)  # per session, or per minute
    # An inspector's fixed fee per inspection (sampling and lab analysis), in `currency`.
    inspection_fee_minor: Mapped[int | None] = mapped_column(BigId)
    # The countries (ISO 3166 codes) an inspector samples in: a deal's party is offered those
    # serving the goods' country (core.consulting.inspections.rules.serving).
    countries_served: Mapped[list[Any]] = mapped_column(JSON, default=list,
                                                        server_default=text("'[]'"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA
    weekly_hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"mon": [["09:00","12:00"]]}
    notice_minutes: Mapped[int] = mapped_column(Integer, default=120)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=10)
    daily_max: Mapped[int] = mapped_column(Integer, default=6)
    days_off: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO dates, local
    horizon_days: Mapped[int] = mapped_column(Integer, default=60)  # the farthest day bookable
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)  # starts offered every…
    meeting_url: Mapped[str | None] = mapped_column(String(300))
    online_until: Mapped[datetime | None]  # "online now" while in the future
    live: Mapped[bool] = mapped_column(Boolean, default=False)
    live_since: Mapped[datetime | None]
    stars_total: Mapped[int] = mapped_column(Integer, default=0)  # published ratings
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    sessions_completed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Booking(Base):
    """A seeker's session with a consultant: when, how long, at what rate, and where it stands.
    Its lifecycle status is the booking process's; the money is the escrow `booking:<id>`."""

    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_consultant_start", "consultant_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(10))  # instant | scheduled
    status: Mapped[str] = mapped_column(String(24), default="requested")
    starts_at: Mapped[datetime | None]  # None while only proposed times exist
    minutes: Mapped[int] = mapped_column(Integer)
    rate_kind: Mapped[str] = mapped_column(String(8))
    price_minor: Mapped[int] = mapped_column(BigId)  # the rate: per session, or per minute
    max_minor: Mapped[int] = mapped_column(BigId)  # the most the session can cost (authorised)
    currency: Mapped[str] = mapped_column(String(3))
    proposed_by: Mapped[str | None] = mapped_column(String(12))  # whose proposals wait
    proposal_round: Mapped[int] = mapped_column(Integer, default=0)
    fee_minor: Mapped[int] = mapped_column(BigId, default=0)  # a cancellation or no-show fee
    ended_by: Mapped[str | None] = mapped_column(String(12))  # who cancelled or declined
    reason: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(Text)  # what the seeker wants to discuss
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # the invite's SEQUENCE
    # Where the two parties meet, set once when it is confirmed and kept through reschedules:
    # the consultant's own link, or a room on the meeting server (core.consulting.bookings.room).
    meeting_url: Mapped[str | None] = mapped_column(String(300))
    # The package this booking's session is drawn from (core.consulting.packages): prepaid,
    # nothing authorised on a card.
    package_purchase_id: Mapped[int | None] = mapped_column(
        ForeignKey("package_purchases.id"), index=True)
    consultant_joined_at: Mapped[datetime | None]
    seeker_joined_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BookingProposal(Base):
    """A time one party proposed (up to three per round): a seeker's request, a consultant's
    answer, or either one's reschedule."""

    __tablename__ = "booking_proposals"
    __table_args__ = (UniqueConstraint("booking_id", "round", "starts_at",
                                       name="uq_booking_proposals_time"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"),
                                            index=True)
    round: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    proposed_by: Mapped[str] = mapped_column(String(12))  # consultant | seeker
    created_at: Mapped[datetime]


class Promotion(Base):
    """A consultant featured in a category from `starts_at` until `ends_at`, with what it
    earned: how often shown featured, and how many profile views it brought."""

    __tablename__ = "promotions"
    __table_args__ = (Index("ix_promotions_running", "category", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                               index=True)
    category: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    impressions: Mapped[int] = mapped_column(Integer, default=0)
    profile_views: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None]  # told it is ending, with a renew button (once)
    created_at: Mapped[datetime]
