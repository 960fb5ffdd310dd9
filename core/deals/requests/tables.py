"""Tables of requests for supply: the bids of tenders and reverse auctions, the bid
deposits behind them, the sellers invited, the questions asked and the price records a
close leaves. The request itself (`supply_requests`) is in core.deals.tables, beside
offers: an offer's acceptance awards it (core.deals.request_award), below this package."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class RequestBid(Base):
    """A seller's bid in a tender or reverse auction: the price per unit for the whole
    quantity, from one of their listings. Each bid stays (a seller's standing is their lowest);
    the close marks the winner's `offer_id`, the quote that became the deal."""

    __tablename__ = "request_bids"
    __table_args__ = (Index("ix_request_bids_request_price", "request_id", "price_minor"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id", ondelete="CASCADE"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    price_minor: Mapped[int] = mapped_column(BigId)
    placed_at: Mapped[datetime]
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))


class BidDeposit(Base):
    """A seller's bid deposit on a tender or auction: asked, held (paid), then returned at the
    close (or to the winner once the deal completes) or forfeited to the buyer by a winner who
    does not sign or deliver. The money is the escrow `deposit:<request>:<seller>` (on a
    seller's lot `lot-deposit:<lot>:<buyer>`; core.deals.requests.bid_deposits.reference)."""

    __tablename__ = "bid_deposits"

    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           primary_key=True)
    amount_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(10))  # asked | held | returned | forfeited
    # A price the seller typed before paying: placed as their bid once the deposit is paid.
    price_minor: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RequestInvite(Base):
    """A seller asked to quote on a request: once per seller, whatever matched them."""

    __tablename__ = "request_invites"

    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                           primary_key=True)
    invited_at: Mapped[datetime]
    # The secret of the seller's live page of an auction (their rank as it changes), once asked.
    follow_token: Mapped[str | None] = mapped_column(String(32), unique=True)


class RequestQuestion(Base):
    """A seller's question on a request for supply and the buyer's answer: for every seller
    asked (`public`) or for the one who asked."""

    __tablename__ = "request_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id", ondelete="CASCADE"),
                                            index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class PriceRecord(Base):
    """What a tender or auction was awarded at, without who bid or bought: the product, the
    buyer's country, the month, the price per unit and per MWh, the volume. Market analytics
    and the public market pages read them (core.market)."""

    __tablename__ = "price_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id", ondelete="CASCADE"),
                                            unique=True)
    product_type: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    month: Mapped[date]  # its first day
    currency: Mapped[str] = mapped_column(String(3))
    price_minor: Mapped[int] = mapped_column(BigId)  # per unit
    unit: Mapped[str] = mapped_column(String(12))
    price_mwh_minor: Mapped[int | None] = mapped_column(BigId)  # None: the energy is unknown
    volume_kwh: Mapped[int] = mapped_column(BigId)  # 0 when the energy is unknown
    recorded_at: Mapped[datetime]
