"""The price indices' tables: each index's weekly values as published, and who follows which
index in chat (core.market.index_publish, core.market.index_follow)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class IndexValue(Base):
    """One index's value for one ISO week, written once when the week is computed and never
    changed (the revision policy): `per_t_minor` None means not published, for `unpublished`."""

    __tablename__ = "price_index_values"

    index_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    week: Mapped[date] = mapped_column(primary_key=True)  # its Monday
    currency: Mapped[str] = mapped_column(String(3))
    per_t_minor: Mapped[int | None] = mapped_column(BigInteger)
    per_mwh_minor: Mapped[int | None] = mapped_column(BigInteger)  # None: no energy figure
    tonnes_milli: Mapped[int] = mapped_column(BigInteger)
    deals: Mapped[int] = mapped_column(Integer)
    dropped: Mapped[int] = mapped_column(Integer)  # outliers trimmed
    unpublished: Mapped[str | None] = mapped_column(String(16))  # no-trades | few-parties
    published_at: Mapped[datetime]


class IndexFollower(Base):
    """A member who gets an index's weekly value in chat."""

    __tablename__ = "price_index_followers"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    index_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime]
