"""Company tables: the company and its billing details, its members with their roles and
spending limits, invitations, the audit of every decision taken in its name, and the keys its
own systems use the API with (and the answers kept for their idempotency keys)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.accounts.tables import BillingColumns
from core.storage.tables import Base
from core.storage.types import BigId


class Company(BillingColumns, Base):
    """A buyer's organisation; its billing details are asked once for all colleagues."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The Slack workspace it was founded from: colleagues registering there are offered to join.
    slack_team: Mapped[str | None] = mapped_column(String(32), index=True)
    # Where approval cards go besides approvers' DMs (core.companies.approvals_chat): a team
    # chat ("slack:C0123"), with the language its cards are written in; None: by DM only.
    approvals_chat: Mapped[str | None] = mapped_column(String(80))
    approvals_language: Mapped[str | None] = mapped_column(String(8))
    # Payment on terms, where Agora's finance approved it (core.companies.credit): invoices due
    # up to `terms_days` after shipment, and at most `terms_limit_minor` owed at once (prices
    # without VAT, in `terms_currency`). None: every purchase is paid before shipping.
    terms_days: Mapped[int | None] = mapped_column(Integer)
    # A German public buyer's Leitweg-ID, its XRechnungs' buyer reference (BT-10), given by
    # finance or an admin apart from the billing details (core.companies.billing).
    leitweg_id: Mapped[str | None] = mapped_column(String(46))
    terms_limit_minor: Mapped[int | None] = mapped_column(BigId)
    terms_currency: Mapped[str | None] = mapped_column(String(3))
    terms_approved_by: Mapped[int | None] = mapped_column(Integer)
    terms_approved_at: Mapped[datetime | None]
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CompanyMember(Base):
    """A colleague: one company per account, with roles and a spending limit per purchase
    (None: no limit; in `limit_currency`)."""

    __tablename__ = "company_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            unique=True)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    limit_minor: Mapped[int | None] = mapped_column(BigId)
    limit_currency: Mapped[str | None] = mapped_column(String(3))
    joined_at: Mapped[datetime]


class CompanyInvite(Base):
    """A one-time invitation: whoever redeems the code joins with these roles and limit."""

    __tablename__ = "company_invites"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    limit_minor: Mapped[int | None] = mapped_column(BigId)
    limit_currency: Mapped[str | None] = mapped_column(String(3))
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    used_at: Mapped[datetime | None]


class CompanyAudit(Base):
    """One decision taken in the company's name: who, what, on what, when (never edited)."""

    __tablename__ = "company_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]


class ApiKey(Base):
    """A key a company's own system calls the API with, acting as one colleague (`account_id`:
    their limits and approvals apply). Only the secret's SHA-256 is kept; `lookup` finds it."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    lookup: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))


class ApiReplay(Base):
    """The answer given to a POST under a client's `Idempotency-Key`, kept with the request's
    fingerprint: a retry is answered the same, another body under the key refused. Written in
    the transaction that did the work, unique per company and key, so two at once make one."""

    __tablename__ = "api_replays"
    __table_args__ = (UniqueConstraint("company_id", "idempotency_key", name="uq_api_replay"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
