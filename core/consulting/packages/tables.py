"""Packages offered, packages bought, and each session a bought package gave a booking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class SessionPackage(Base):
    """A consultant's offer: `sessions` sessions of `minutes` for `price_minor`, usable for
    `valid_days` after payment; `refund_rule` is what happens to sessions unused then."""

    __tablename__ = "session_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                               index=True)
    sessions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    valid_days: Mapped[int] = mapped_column(Integer)
    refund_rule: Mapped[str] = mapped_column(String(8))  # full | half | none
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A monthly retainer: `sessions` every month, renewed by card until cancelled (Retainer).
    monthly: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime]


class Retainer(Base):
    """A seeker's monthly retainer with a consultant, on the terms of a monthly package: each
    month is a package bought (PackagePurchase.retainer_id), charged to the card the seeker
    saved for it (`retainer:<id>`), with their consent recorded, until either cancels.
    awaiting_card → active ⇄ past_due (a renewal declined, until paid) → cancelled."""

    __tablename__ = "retainers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("session_packages.id"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    sessions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigId)  # a month
    currency: Mapped[str] = mapped_column(String(3))
    refund_rule: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), index=True)
    months: Mapped[int] = mapped_column(Integer, default=0)  # months started so far
    consent_at: Mapped[datetime]  # when the seeker agreed to the monthly charge
    renews_at: Mapped[datetime | None]  # when the next month starts (and is charged)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class PackagePurchase(Base):
    """A package bought, its terms frozen at purchase. `reserved` sessions are booked and not
    yet settled, `used` ones were taken; both only move by conditional updates, so no two
    bookings take the last session. Paid by the escrow `package:<id>`."""

    __tablename__ = "package_purchases"
    __table_args__ = (Index("ix_package_purchases_pair", "seeker_id", "consultant_id"),
                      UniqueConstraint("retainer_id", "month",
                                       name="uq_package_purchases_retainer_month"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("session_packages.id"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    consultant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    sessions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    valid_days: Mapped[int] = mapped_column(Integer)
    refund_rule: Mapped[str] = mapped_column(String(8))
    # awaiting_payment | active | expired (unused sessions settled) | used_up | cancelled
    status: Mapped[str] = mapped_column(String(16), index=True)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[int] = mapped_column(Integer, default=0)
    paid_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    settled_at: Mapped[datetime | None]  # its unused sessions refunded or kept, by the rule
    reminded_at: Mapped[datetime | None]  # told a week before expiry of sessions still unbooked
    # A month of a retainer (its `month`-th), running from `starts_at`; None: bought once.
    retainer_id: Mapped[int | None] = mapped_column(ForeignKey("retainers.id"))
    month: Mapped[int | None] = mapped_column(Integer)
    starts_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class PackageUse(Base):
    """A session of a package given to a booking: `reserved` while the booking stands,
    then `used` (paid to the consultant) or `returned` to the balance. `number` orders the
    uses, so each used session is paid its exact share of the price."""

    __tablename__ = "package_uses"

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"),
                                            primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("package_purchases.id"), index=True)
    state: Mapped[str] = mapped_column(String(10))  # reserved | used | returned
    amount_minor: Mapped[int | None] = mapped_column(BigId)  # the share, once used
    # Of the share, what went back to the seeker (a late cancellation's or no-show's share
    # beyond the fee); the rest is the consultant's.
    refund_minor: Mapped[int] = mapped_column(BigId, default=0, server_default="0")
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
