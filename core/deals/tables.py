"""The deal's tables, and those read below core.deals' packages: requests for supply (an
offer's acceptance awards one, core.deals.request_award), offers (each round of a
negotiation), deals (an accepted offer's frozen agreement), purchases held for approval
(core.deals.company_deals reads whom a colleague approved, for deals.py), and a deal's
shipment, dispute and quality report (read by its read model, core.deals.facts). The other
tables are their packages' own: requests', contracts', terms', threads' and ratings'."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class SupplyRequest(Base):
    """A buyer's request for supply: what, how much, delivered where and when, the most it pays
    per unit; the matching sellers are asked to quote (offers with `request_id`) until the
    deadline, and the buyer awards one or several quotes, each becoming a deal."""

    __tablename__ = "supply_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                          index=True)
    product_type: Mapped[str] = mapped_column(String(16))
    quantity_milli: Mapped[int] = mapped_column(BigId)
    unit: Mapped[str] = mapped_column(String(12))
    currency: Mapped[str] = mapped_column(String(3))
    max_price_minor: Mapped[int | None] = mapped_column(BigId)  # per unit; None: no ceiling
    max_price_mwh_minor: Mapped[int | None] = mapped_column(BigId)  # per MWh, by the energy
    # Quality asked (core.deals.request_rules.LIMITS: {"moisture": "35"}) and certifications.
    quality: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    certifications: Mapped[list[Any] | None] = mapped_column(JSON)
    incoterm: Mapped[str] = mapped_column(String(8))
    place: Mapped[str] = mapped_column(String(120))
    delivery_from: Mapped[date | None]
    delivery_to: Mapped[date | None]
    payment_method: Mapped[str] = mapped_column(String(12), default="escrow")
    deadline: Mapped[datetime]  # quotes or bids are taken until then (an auction's moves)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | awarded | closed
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # How sellers answer (core.deals.requests.auction_rules): "quotes" to negotiate, a sealed "tender",
    # or a reverse "auction" (bids `min_step_minor` under the best; a bid in the last
    # `extend_minutes` moves the close to that many minutes after it). `reserve_minor`: the
    # most the buyer awards at, hidden from bidders. `closed_at`: the close, settled once.
    mode: Mapped[str] = mapped_column(String(8), default="quotes", server_default="quotes")
    min_step_minor: Mapped[int | None] = mapped_column(BigId)
    extend_minutes: Mapped[int | None] = mapped_column(Integer)
    reserve_minor: Mapped[int | None] = mapped_column(BigId)
    extensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed_at: Mapped[datetime | None]
    told_at: Mapped[datetime | None]  # the bidders heard the result (once, after the close)
    # Open: every seller of the product may answer (the best matched are told); private: only
    # the sellers the buyer invited. The place's coordinates when the gazetteer knows it.
    # A tender's or auction's bid security: this percentage of the lot at the ceiling, paid
    # before bidding (core.deals.requests.bid_deposits); None: no deposit.
    deposit_pct: Mapped[int | None] = mapped_column(Integer)
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # Whose auction (core.deals.requests.auction_rules.SIDES): "buyer", a buyer's request run
    # as a reverse auction (sellers bid prices down); "seller", a seller's lot at auction from
    # `listing_id` (buyers bid prices up). A lot's `buyer_id` is the one who put it up — the
    # seller — and its bids' `seller_id` the bidders, so the bids, their guarded writes, the
    # close and the deposits are the reverse auction's own; `max_price_minor` is the starting
    # price and `reserve_minor` the least it is awarded at.
    side: Mapped[str] = mapped_column(String(6), default="buyer", server_default="buyer")
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))


class Offer(Base):
    """One round: who proposed what to whom; a counter-offer points at the round it answers."""

    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_listing_buyer", "listing_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    made_by: Mapped[str] = mapped_column(String(8))  # buyer | seller
    status: Mapped[str] = mapped_column(String(12), default="open")
    quantity_milli: Mapped[int] = mapped_column(BigId)
    price_minor: Mapped[int] = mapped_column(BigId)  # per unit
    currency: Mapped[str] = mapped_column(String(3))
    incoterm: Mapped[str | None] = mapped_column(String(8))
    place: Mapped[str | None] = mapped_column(String(120))
    delivery_from: Mapped[date | None]
    delivery_to: Mapped[date | None]
    payment_method: Mapped[str] = mapped_column(String(12), default="escrow",
                                                server_default="escrow")  # escrow | direct | net14 | net30
    # A framework contract: `quantity_milli` delivered this many times, one call-off each
    # `call_off_every` (week | 2weeks | month | quarter); None for a single delivery.
    call_offs: Mapped[int | None] = mapped_column(Integer)
    call_off_every: Mapped[str | None] = mapped_column(String(8))
    # An indexed contract: each call-off priced at this price index's latest published week
    # plus `index_premium_minor` per tonne (may be negative); `price_minor` is the agreed price
    # a call-off falls back to while the index has published no week (core.deals.index_pricing).
    price_index: Mapped[str | None] = mapped_column(String(40))
    index_premium_minor: Mapped[int | None] = mapped_column(BigInteger)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    # A seller's quote on a buyer's request for supply (core.deals.requests.quotes).
    request_id: Mapped[int | None] = mapped_column(ForeignKey("supply_requests.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Deal(Base):
    """An accepted offer: the parties, what and how much at what price, and where it stands."""

    __tablename__ = "deals"
    __table_args__ = (UniqueConstraint("contract_id", "call_off", name="uq_deals_call_off"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The accepted offer; a contract's later call-offs have none (their terms are the contract's).
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    call_off: Mapped[int | None] = mapped_column(Integer)  # its number in the contract, from 1
    # An indexed contract's call-off: how its price was made — the index, the week it was
    # priced from (None: no week published then, so the contract's agreed price) and premium.
    price_index: Mapped[str | None] = mapped_column(String(40))
    index_week: Mapped[date | None]
    index_premium_minor: Mapped[int | None] = mapped_column(BigInteger)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    # The buyer's company when the buyer bought as its member (core.companies): its colleagues
    # see the deal by role, and it is billed to the company.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="agreed")
    quantity_milli: Mapped[int] = mapped_column(BigId)
    price_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    # The VAT the buyer pays on top of the price (and its rate, percent), fixed when both
    # accepted the terms, from the parties' billing details (core.deals.sale_vat).
    vat_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    vat_rate: Mapped[str | None] = mapped_column(String(8))
    # Paid on terms (core.deals.pay_terms): the goods ship before payment, and the invoice
    # issued at shipment is due `payment_days` later, on `payment_due_on`; `terms_reminded`
    # counts the reminders sent, `terms_paid_at` is when the invoice was paid.
    payment_days: Mapped[int | None] = mapped_column(Integer)
    payment_due_on: Mapped[date | None]
    terms_reminded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    terms_paid_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PurchaseRequest(Base):
    """A company buyer's offer, acceptance or Buy now above her spending limit, held until an
    approver decides (core.deals.approvals.service); approved, it is made in her name."""

    __tablename__ = "purchase_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                            index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # offer | counter | accept | buy
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))  # countered/accepted
    terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_minor: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    result_offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    result_deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    created_at: Mapped[datetime]


class Shipment(Base):
    """How a deal's goods travel: the seller's carrier and reference, and the latest status."""

    __tablename__ = "shipments"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"),
                                         primary_key=True)
    carrier: Mapped[str] = mapped_column(String(80))
    tracking: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # ShipmentStatus (core.deals.rules)
    expected_at: Mapped[datetime | None]  # the expected day, at its start in UTC: a day, no hour
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]

    @property
    def expected_day(self) -> date | None:
        """The day the goods are expected (the seller gives a day, never an hour)."""
        return self.expected_at.astimezone(UTC).date() if self.expected_at else None


class Dispute(Base):
    """A party's dispute over a deal, and the admin's decision with its reasons."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), unique=True)
    opened_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    reason: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(8))  # release | refund | split
    refund_minor: Mapped[int | None] = mapped_column(BigId)
    decision: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class QualityReport(Base):
    """What the buyer measured on delivery and the price adjustment the frozen terms give;
    the seller accepts it (a split) or rejects it (a dispute)."""

    __tablename__ = "quality_reports"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"),
                                         primary_key=True)
    measured: Mapped[dict[str, Any]]
    delivered_milli: Mapped[int | None] = mapped_column(BigId)
    adjustment_minor: Mapped[int] = mapped_column(BigId)
    answer: Mapped[str | None] = mapped_column(String(8))  # accepted | rejected
    # Who measured, when not the buyer: the independent inspector's name as of the report.
    measured_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]
