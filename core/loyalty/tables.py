"""Loyalty tables: members (a referral code, who referred them, the row redemptions lock), the
points ledger (journals of entries that sum to zero, one per unique key) and redemptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class LoyaltyMember(Base):
    """One per account that has touched loyalty: its referral code and its referrer."""

    __tablename__ = "loyalty_members"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    referred_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class PointsJournal(Base):
    """One movement of points: why, for whom; its key is unique, so an event earns once."""

    __tablename__ = "points_journals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # deal, session, payment, rating, referral, redeem
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class PointsEntry(Base):
    """One leg of a journal: points into (+) or out of (-) a holder such as `account:5`,
    `platform:issued` or `platform:redeemed`. Entries are never updated or deleted."""

    __tablename__ = "points_entries"
    __table_args__ = (Index("ix_points_entries_holder", "holder", "journal_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("points_journals.id"), index=True)
    holder: Mapped[str] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(Integer)


class Redemption(Base):
    """Points spent for a commission discount, waiting for the member's next payment as payee;
    `remaining` (minor units) goes down as payments use it, each by a guarded update."""

    __tablename__ = "loyalty_redemptions"
    __table_args__ = (Index("ix_loyalty_redemptions_open", "account_id", "remaining"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    points: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    value: Mapped[int] = mapped_column(Integer)  # the discount in minor units
    remaining: Mapped[int] = mapped_column(Integer)
    last_reference: Mapped[str | None] = mapped_column(String(64))  # the payment that used it
    created_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
