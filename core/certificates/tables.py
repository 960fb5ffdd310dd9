"""A profile's certificates: the company's (`company_id`), or a member's own without one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base


class Certificate(Base):
    """One certificate: its scheme, number, holder and last valid day, and the document that
    proves it, kept in the file store by its checksum as listings' documents are."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Whose it is: a company's when `company_id` is set, else the member's (`account_id`).
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))  # core.certificates.rules.SCHEMES
    number: Mapped[str] = mapped_column(String(60))
    holder: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date]
    file_path: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    # When the holder was told it runs out within a month (once; a replacement clears it).
    warned_at: Mapped[datetime | None]
    # When it was seen past its last valid day and the listings it backs were re-indexed
    # (once; a replacement clears it).
    lapsed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
