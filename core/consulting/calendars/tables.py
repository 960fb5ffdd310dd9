"""A consultant's own calendar connected to Agora, the busy times read from it, and each
member's private subscription address for their bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.consulting.calendars.port import CalendarStatus
from core.storage.tables import Base


class ConnectedCalendar(Base):
    """One calendar per consultant. The address and the password are sealed (core.sealed):
    an ICS address is itself the key to the calendar. `host` is what the consultant is shown."""

    __tablename__ = "connected_calendars"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # caldav | ics
    host: Mapped[str] = mapped_column(String(200))
    address_sealed: Mapped[str] = mapped_column(Text)
    username: Mapped[str | None] = mapped_column(String(200))
    password_sealed: Mapped[str | None] = mapped_column(Text)
    calendar_url: Mapped[str | None] = mapped_column(String(500))  # the CalDAV calendar chosen
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=CalendarStatus.OK)
    problem: Mapped[str | None] = mapped_column(String(16))  # auth | not_found | unreachable | invalid
    failing_since: Mapped[datetime | None]
    told_at: Mapped[datetime | None]  # the consultant was told of this failure (once)
    synced_at: Mapped[datetime | None]  # busy times last read
    connected_at: Mapped[datetime]


class CalendarBusy(Base):
    """A busy time read from a consultant's calendar (replaced at every reading)."""

    __tablename__ = "calendar_busy"
    __table_args__ = (Index("ix_calendar_busy_account_start", "account_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


class CalendarFeed(Base):
    """A member's private ICS address of their own bookings (a new one retires the old)."""

    __tablename__ = "calendar_feeds"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
