"""Learning tables: library items (links, PDFs, insights) and gatherings with their RSVPs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class LearningItem(Base):
    """A report or guide (a link or a PDF kept in the file store) an admin published, or a
    consultant's insight (a short article, with an optional link), under a topic."""

    __tablename__ = "learning_items"
    __table_args__ = (Index("ix_learning_items_topic", "topic", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # link | pdf | insight
    topic: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")  # an insight's whole text
    url: Mapped[str | None] = mapped_column(String(500))
    file_path: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]


class Gathering(Base):
    """A webinar (online: a join link sent at the start, a recording link afterwards) or an
    event in a place (a trade show, a meetup). `sequence` is its invites' SEQUENCE."""

    __tablename__ = "gatherings"
    __table_args__ = (Index("ix_gatherings_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # webinar | trade_show | meetup
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # scheduled | started
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(200))
    join_url: Mapped[str | None] = mapped_column(String(500))
    recording_url: Mapped[str | None] = mapped_column(String(500))
    publisher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class GatheringRsvp(Base):
    """A person's answer to a gathering: going (a webinar's registration), maybe or not."""

    __tablename__ = "gathering_rsvps"
    __table_args__ = (UniqueConstraint("gathering_id", "account_id",
                                       name="uq_gathering_rsvps_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    answer: Mapped[str] = mapped_column(String(8))  # going | maybe | not
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
