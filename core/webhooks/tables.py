"""A company's webhooks: its endpoints, the events that concern it, one delivery per endpoint
and event (the webhooks' outbox, written in the event's transaction) and its attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.webhooks.rules import DeliveryStatus


class WebhookEndpoint(Base):
    """A URL a company's admin registered, the event types it takes, and its signing secret
    (sealed at rest: core.sealed; shown once, when made or rotated)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    url: Mapped[str] = mapped_column(String(500))
    types: Mapped[list[Any]] = mapped_column(JSON)  # core.webhooks.rules.EVENT_TYPES
    secret_sealed: Mapped[str] = mapped_column(String(300))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookEvent(Base):
    """One domain event as a company's endpoints receive it: its public id, type and payload
    (the stable read model of core.webhooks.payloads). `key` names the domain fact, so the
    same fact heard twice is recorded once per company."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("company_id", "key", name="uq_webhook_events_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # "evt_…"
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One event owed to one endpoint: unique per (endpoint, event), so an event never queues
    twice; claimed by a conditional update (status and lease), so one worker sends an attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries"),
                      Index("ix_webhook_deliveries_due", "status", "next_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Tries still allowed: core.webhooks.rules.TRIES at first; a re-send allows one more.
    retries_left: Mapped[int] = mapped_column(Integer)
    next_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    last_status: Mapped[int | None] = mapped_column(Integer)  # the HTTP status of the last try
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class WebhookAttempt(Base):
    """One try of a delivery: when, what the receiver answered (status, the start of its body,
    or the error) and how long it took."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number", name="uq_webhook_attempts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    error: Mapped[str | None] = mapped_column(String(200))
    millis: Mapped[int] = mapped_column(Integer, default=0)
