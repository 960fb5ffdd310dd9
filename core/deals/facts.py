"""Deals as the flows read them: frozen read models built by core from the rows — a deal, its
shipment, the current terms, a dispute, a quality report, an offer and its listing — with typed
values (Money, a quantity with its unit, days, aware datetimes), never the `*_minor` or
`*_milli` columns. Core keeps the rows; `core.deals.views` hands these to the flows, and the
card functions (`core.deals.cards`) accept them (and rows, which they turn into these)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from core.catalog.tables import Listing
from core.deals import sale_vat
from core.deals.tables import Deal, Dispute, QualityReport, Shipment
from core.deals.terms.goods import goods_words
from core.deals.terms.tables import DealTerms
from core.i18n import present
from core.money.model import Money
from core.payments_port import Vat


@dataclass(frozen=True)
class DealFacts:
    """What a deal card shows, the same for both parties."""

    id: int
    status: str
    listing_id: int
    buyer_id: int
    seller_id: int
    contract_id: int | None  # a framework contract's call-off: the contract…
    call_off: int | None  # …and its number in it, from 1
    quantity: Decimal  # in `unit`
    unit: str  # the listing's trade unit code ("" when the listing is gone)
    price: Money  # per unit, without VAT
    total: Money  # price times quantity, without VAT
    vat: Vat | None  # fixed when both accepted the terms, if the seller charges VAT
    payable: Money  # what the buyer pays: the total and the VAT
    payment_days: int | None  # paid on terms: the invoice is due this many days after shipping
    payment_due_on: date | None  # …on this day, once the invoice went out
    terms_paid_at: datetime | None  # …and when it was paid
    # An indexed contract's call-off: the index, the week its price came from (None: none was
    # published, so the contract's agreed price) and the premium per tonne.
    price_index: str | None = None
    index_week: date | None = None
    index_premium: Money | None = None

    @property
    def currency(self) -> str:
        return self.price.currency


def deal_facts(deal: Deal, unit: str) -> DealFacts:
    """The read model of a deal row (`unit`: its listing's)."""
    goods = sale_vat.price(deal)
    vat = sale_vat.fixed(deal)
    return DealFacts(
        id=deal.id, status=deal.status, listing_id=deal.listing_id, buyer_id=deal.buyer_id,
        seller_id=deal.seller_id, contract_id=deal.contract_id, call_off=deal.call_off,
        quantity=present.thousandths(deal.quantity_milli), unit=unit,
        price=Money(deal.price_minor, deal.currency), total=goods, vat=vat,
        payable=goods + Money(deal.vat_minor or 0, deal.currency),
        payment_days=deal.payment_days, payment_due_on=deal.payment_due_on,
        terms_paid_at=deal.terms_paid_at, price_index=deal.price_index,
        index_week=deal.index_week, index_premium=Money(deal.index_premium_minor or 0,
                                                        deal.currency)
        if deal.price_index else None)


@dataclass(frozen=True)
class ShipmentFacts:
    """How the goods travel: the seller's carrier and reference, and the latest status."""

    carrier: str
    tracking: str | None
    status: str  # dispatched | in_transit | delayed | delivered
    expected_day: date | None  # a day, never an hour
    note: str | None


def shipment_facts(row: Shipment) -> ShipmentFacts:
    return ShipmentFacts(row.carrier, row.tracking, row.status, row.expected_day, row.note)


@dataclass(frozen=True)
class TermsFacts:
    """One version of the deal's frozen terms, and who accepted it when."""

    id: int
    version: int
    sha256: str
    body: Mapping[str, Any]  # the frozen document (read-only)
    buyer_accepted_at: datetime | None
    seller_accepted_at: datetime | None

    @property
    def goods(self) -> str:
        """The goods in the reader's words (“Wood pellets, ENplus A1”)."""
        return goods_words(self.body)


def terms_facts(row: DealTerms) -> TermsFacts:
    return TermsFacts(row.id, row.version, row.sha256,
                      MappingProxyType(copy.deepcopy(dict(row.body))),
                      row.buyer_accepted_at, row.seller_accepted_at)


@dataclass(frozen=True)
class DisputeFacts:
    """A party's dispute over a deal, and the operator's decision once made."""

    id: int
    deal_id: int
    opened_by: int
    reason: str
    outcome: str | None  # release | refund | split
    refund: Money | None  # a split's refund to the buyer
    decision: str | None  # the operator's reasons
    decided_at: datetime | None
    created_at: datetime


def dispute_facts(row: Dispute, currency: str) -> DisputeFacts:
    """The read model of a dispute (`currency`: its deal's)."""
    refund = Money(row.refund_minor, currency) if row.refund_minor is not None else None
    return DisputeFacts(row.id, row.deal_id, row.opened_by, row.reason, row.outcome, refund,
                        row.decision, row.decided_at, row.created_at)


@dataclass(frozen=True)
class QualityFacts:
    """What the buyer measured on delivery and the price adjustment the terms give."""

    measured: Mapping[str, Decimal]  # value name → the figure (the presenter writes it)
    delivered: Decimal | None  # in the deal's unit
    adjustment: Money  # the price goes down by this (zero: within the tolerances)
    refund: Money  # what that gives the buyer back, with the deal's VAT
    answer: str | None  # the seller's: accepted | rejected
    measured_by: str | None = None  # the independent inspector who measured, if not the buyer


def quality_facts(row: QualityReport, deal: Deal) -> QualityFacts:
    adjustment = Money(row.adjustment_minor, deal.currency)
    delivered = present.thousandths(row.delivered_milli) if row.delivered_milli is not None else None
    # Kept in the row's JSON as Decimal text ("11.5"), parsed once here into numbers.
    measured = {name: Decimal(str(value)) for name, value in (row.measured or {}).items()}
    return QualityFacts(MappingProxyType(measured), delivered, adjustment,
                        sale_vat.refund_of(deal, row.adjustment_minor), row.answer,
                        row.measured_by)


@dataclass(frozen=True)
class OfferListing:
    """What an offer card shows of its listing."""

    id: int
    title: str
    unit: str  # trade unit code
    energy_per_unit: Decimal  # MWh per unit; 0 when not stated


def offer_listing(row: Listing) -> OfferListing:
    return OfferListing(row.id, row.title, row.unit, Decimal(row.energy_mwh_per_unit or 0))
