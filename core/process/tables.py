"""The process machinery's own tables: the deadlines of waiting states and the reminders sent
before them, for every process (offers, deals, bookings, sessions, tickets, gatherings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class ProcessTimer(Base):
    """A deadline of a waiting state: when due (and not done) the system takes `fires`."""

    __tablename__ = "process_timers"
    __table_args__ = (UniqueConstraint("process", "subject_id", "state", "fires",
                                       name="uq_process_timers_subject"),
                      Index("ix_process_timers_due", "done_at", "due_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process: Mapped[str] = mapped_column(String(16))  # the process's name: offer, deal, booking…
    subject_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(24))
    fires: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class ProcessReminder(Base):
    """A reminder sent before a timer's deadline: one row per timer and offset, so it goes once
    whichever worker finds it first."""

    __tablename__ = "process_reminders"

    timer_id: Mapped[int] = mapped_column(ForeignKey("process_timers.id", ondelete="CASCADE"),
                                          primary_key=True)
    offset_seconds: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime]
