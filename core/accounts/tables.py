"""Account tables: members, their channel identities, email verification and link codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class BillingColumns:
    """Billing details (core.accounts.billing) as columns: a member's own, asked at their
    first deal, or a company's, asked once for all colleagues (core.companies)."""

    billing_name: Mapped[str | None] = mapped_column(String(200))
    billing_street: Mapped[str | None] = mapped_column(String(200))
    billing_postcode: Mapped[str | None] = mapped_column(String(20))
    billing_town: Mapped[str | None] = mapped_column(String(120))
    billing_country: Mapped[str | None] = mapped_column(String(2))
    vat_id: Mapped[str | None] = mapped_column(String(20))
    # The VAT rate (percent, "25.5") a registered seller charges, when not the standard rate.
    vat_rate: Mapped[str | None] = mapped_column(String(8))


class Account(BillingColumns, Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    company: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    # A seller's phone, named with its email as the seller contact of an XRechnung (BR-DE-6);
    # asked once, when a sale to a German buyer first needs it (core.accounts.xrechnung_details).
    phone: Mapped[str | None] = mapped_column(String(40))
    email_verified_at: Mapped[datetime | None]
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    interests: Mapped[list[Any]] = mapped_column(JSON, default=list)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # What a seller accepts (core.accounts.accepted): the currencies offers may be in, the first
    # being `currency`, and the ways buyers may pay. Empty: not chosen, everything accepted.
    currencies: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    payment_methods: Mapped[list[Any]] = mapped_column(JSON, default=list,
                                                       server_default=text("'[]'"))
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    notify_channel: Mapped[str | None] = mapped_column(String(16))
    quiet_start: Mapped[str | None] = mapped_column(String(5))  # "22:00", local time
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    # The weekly message of listings and consultants picked for the person (opt-out).
    weekly_picks: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The CO₂e their deals avoided, shown on their public profile (opt-in: core.deals.carbon).
    carbon_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    onboarded_at: Mapped[datetime | None]
    # Suspended by an operator (core.operators.suspension): the engine refuses the account's
    # messages, search and the directory hide its listings and profile.
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Identity(Base):
    """One channel identity of an account: a Telegram user, a Slack team+user, a terminal name."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(128))  # where to send: chat id, DM, name
    created_at: Mapped[datetime]


class EmailVerification(Base):
    __tablename__ = "email_verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    consumed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class LinkCode(Base):
    """A one-time code that joins two channel identities into one account."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
