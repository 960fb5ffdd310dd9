"""What the API answers and accepts, as pydantic models: core's read models turned into JSON.
Amounts are exact decimal strings with their currency (never floats), quantities decimal
strings in their unit, moments ISO 8601 in UTC."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.catalog.listing_card import ListingCard
from core.deals.facts import DealFacts
from core.deals.offers.facts import OfferFacts
from core.deals.requests.quotes import QuoteRow
from core.deals.requests.view import RequestView
from core.money.model import Money
from core.public.requests import PublicRequest


class Amount(BaseModel):
    """An amount of money: `amount` an exact decimal string in the currency's minor digits."""

    amount: str = Field(examples=["220.00"])
    currency: str = Field(examples=["EUR"])

    @classmethod
    def of(cls, money: Money) -> Amount:
        return cls(amount=str(money.decimal), currency=money.currency)


def amount(money: Money | None) -> Amount | None:
    return Amount.of(money) if money is not None else None


def decimal(value: Decimal) -> str:
    """A quantity as an exact decimal string, without trailing zeros (never in exponent form)."""
    text = str(value.normalize())
    return str(value.normalize().quantize(Decimal(1))) if "E" in text else text


class Listing(BaseModel):
    id: int
    status: str  # published, or (the seller's own) draft | pending_review | paused | sold…
    title: str
    product: str
    grade: str | None
    price: Amount  # per unit
    negotiable: bool
    unit: str
    quantity: str
    min_order: str | None
    delivery: list[str]
    city: str
    country: str | None
    available_from: date
    valid_until: date
    certifications: list[str]

    @classmethod
    def of(cls, card: ListingCard) -> Listing:
        return cls(id=card.id, status=card.status, title=card.title, product=card.product,
                   grade=card.grade,
                   price=Amount.of(card.price), negotiable=card.negotiable, unit=card.unit,
                   quantity=decimal(card.quantity),
                   min_order=decimal(card.min_order) if card.min_order is not None else None,
                   delivery=list(card.delivery), city=card.city, country=card.country,
                   available_from=card.available_from, valid_until=card.valid_until,
                   certifications=list(card.certifications))


class Page(BaseModel):
    total: int
    page: int  # from 1
    pages: int


class Listings(BaseModel):
    listings: list[Listing]
    page: Page


class Request(BaseModel):
    """A public request for supply, tender, auction or a seller's lot."""

    id: int
    side: Literal["buyer", "seller"]  # a buyer's request, or a seller's lot (bid upwards)
    mode: str  # quotes | tender | auction
    product: str
    quantity: str
    unit: str
    incoterm: str
    place: str
    delivery_from: date | None
    delivery_to: date | None
    ceiling: Amount | None  # a lot's starting price
    step: Amount | None
    payment_method: str
    country: str | None
    closes_at: datetime
    open: bool
    answers: int
    best: Amount | None
    reserve_met: bool | None

    @classmethod
    def of(cls, request: PublicRequest) -> Request:
        return cls(id=request.id, side="seller" if request.lot else "buyer", mode=request.mode,
                   product=request.product_type,
                   quantity=decimal(Decimal(request.quantity_milli) / 1000), unit=request.unit,
                   incoterm=request.incoterm, place=request.place,
                   delivery_from=request.delivery_from, delivery_to=request.delivery_to,
                   ceiling=amount(request.ceiling), step=amount(request.step),
                   payment_method=request.payment_method, country=request.country,
                   closes_at=request.closes_at, open=request.open, answers=request.answers,
                   best=amount(request.best), reserve_met=request.reserve_met)


class Requests(BaseModel):
    requests: list[Request]


class OfferTerms(BaseModel):
    """An offer's terms as the chat's offer form takes them; what is left out is filled in as
    the chat fills it."""

    model_config = ConfigDict(extra="forbid")

    quantity: Decimal | None = None
    price: Decimal | None = Field(None, description="per unit, in the listing's currency")
    incoterm: str | None = None
    place: str | None = None
    delivery_from: date | None = None
    delivery_to: date | None = None
    payment_method: str | None = None
    expires_hours: Literal[24, 48, 72, 168] | None = None


class NewOffer(OfferTerms):
    """An offer on a listing, or (`buy_now`) a purchase at its listed price. What is left out
    is filled in as the chat fills it: the minimum order, the listed price and delivery,
    delivery within 30 days, escrow, open 48 hours."""

    listing_id: int
    buy_now: bool = False


class Counter(OfferTerms):
    """A counter-offer: what is left out stays as in the offer it answers."""


class Decline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500, description="the other side reads it")


class NewBid(BaseModel):
    model_config = ConfigDict(extra="forbid")

    price: Decimal = Field(description="per unit, in the auction's currency")


class Approval(BaseModel):
    """A purchase held above the colleague's spending limit, waiting for an approver."""

    id: int
    total: Amount | None
    limit: Amount | None
    approvers: list[str]


class Placed(BaseModel):
    """What became of an offer or purchase: sent, agreed as a deal, or held for approval."""

    status: Literal["offer_sent", "deal_agreed", "awaiting_approval"]
    offer_id: int | None = None
    deal_id: int | None = None
    approval: Approval | None = None


class Offer(BaseModel):
    id: int
    listing_id: int
    role: str  # buyer | seller: the key's colleague in it
    made_by: str
    status: str
    quantity: str
    price: Amount
    total: Amount
    incoterm: str | None
    place: str | None
    delivery_from: date | None
    delivery_to: date | None
    payment_method: str
    expires_at: datetime

    @classmethod
    def of(cls, offer: OfferFacts, role: str) -> Offer:
        return cls(id=offer.id, listing_id=offer.listing_id, role=role, made_by=offer.made_by,
                   status=offer.status, quantity=decimal(offer.quantity),
                   price=Amount.of(offer.price), total=Amount.of(offer.total),
                   incoterm=offer.incoterm, place=offer.place,
                   delivery_from=offer.delivery_from, delivery_to=offer.delivery_to,
                   payment_method=offer.payment_method, expires_at=offer.expires_at)


class Offers(BaseModel):
    offers: list[Offer]


class Quote(BaseModel):
    """A seller's quote on the colleague's request for supply, as its buyer compares them
    (`status`: `open`, or `accepted` once awarded)."""

    id: int  # the quote's offer: GET /offers/{id}
    seller: str
    rating: str | None  # the seller's stars, when rated
    status: str
    quantity: str
    price: Amount  # per unit
    total: Amount
    price_per_mwh: Amount | None
    incoterm: str | None
    place: str | None
    delivery_from: date | None
    delivery_to: date | None
    payment_method: str
    call_offs: int | None
    expires_at: datetime
    certifications: list[str]
    distance_km: int | None

    @classmethod
    def of(cls, row: QuoteRow) -> Quote:
        offer = row.offer
        return cls(id=offer.id, seller=row.seller,
                   rating=decimal(row.rating) if row.rating is not None else None,
                   status=offer.status, quantity=decimal(offer.quantity),
                   price=Amount.of(offer.price), total=Amount.of(row.total),
                   price_per_mwh=amount(row.per_mwh), incoterm=offer.incoterm,
                   place=offer.place, delivery_from=offer.delivery_from,
                   delivery_to=offer.delivery_to, payment_method=offer.payment_method,
                   call_offs=offer.call_offs, expires_at=offer.expires_at,
                   certifications=list(row.certifications), distance_km=row.distance_km)


class Quotes(BaseModel):
    quotes: list[Quote]  # open ones first, cheapest first


class Standing(BaseModel):
    """Where the key's colleague stands in an auction after a bid."""

    request_id: int
    own: Amount | None
    rank: int | None
    best: Amount | None
    bidders: int
    reserve_met: bool | None


class Document(BaseModel):
    kind: str
    title: str
    number: str | None
    total: Amount | None
    issued_at: datetime | None
    pdf: str | None  # this API's address of its PDF
    xml: str | None  # …and of its EN 16931 e-invoice (CII; `?syntax=ubl` for UBL)


class Deal(BaseModel):
    id: int
    role: str
    status: str
    title: str
    listing_id: int
    quantity: str
    unit: str
    price: Amount
    total: Amount
    payable: Amount  # with the VAT fixed on it
    payment: str  # the deal's payment status, in the colleague's words
    documents: list[Document]

    @classmethod
    def of(cls, deal: DealFacts, role: str, title: str, payment: str,
           documents: list[Document]) -> Deal:
        return cls(id=deal.id, role=role, status=deal.status, title=title,
                   listing_id=deal.listing_id, quantity=decimal(deal.quantity), unit=deal.unit,
                   price=Amount.of(deal.price), total=Amount.of(deal.total),
                   payable=Amount.of(deal.payable), payment=payment, documents=documents)


class DealLine(BaseModel):
    id: int
    title: str
    role: str
    status: str


class Deals(BaseModel):
    deals: list[DealLine]


class Movement(BaseModel):
    day: date
    text: str
    amount: Amount


class Statement(BaseModel):
    """The colleague's account in the ledger: what is held, incoming, pending payout and paid
    out (one amount per currency), and the latest movements."""

    held: list[Amount]
    incoming: list[Amount]
    pending: list[Amount]
    paid_out: list[Amount]
    movements: list[Movement]


class Problem(BaseModel):
    """Every error: a stable `code` to act on, a `title` for it, and `detail` — a sentence in
    the key's colleague's language, as the chat would say it."""

    type: str
    code: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = None  # a field's name → what is wrong with it
    offer: Offer | None = None  # `conflict` on an offer: the offer as it is now


class NewRequest(BaseModel):
    """A request for supply open to every seller who may answer: quotes (`mode: quotes`), a
    sealed-bid tender or a reverse auction. What is left out is what the chat starts from."""

    model_config = ConfigDict(extra="forbid")

    product_type: str = Field(examples=["pellets"])
    quantity: Decimal
    unit: str = Field(examples=["t"])
    place: str = Field(max_length=120, description="where the goods are delivered")
    currency: str = Field("EUR", min_length=3, max_length=3)
    incoterm: str = "DAP"
    delivery_from: date | None = None
    delivery_to: date | None = None
    max_price: Decimal | None = Field(None, description="the ceiling per unit")
    deadline_days: Literal["1", "3", "7", "14"] = "3"
    payment_method: str = "escrow"
    mode: Literal["quotes", "tender", "auction"] = "quotes"
    min_step: Decimal | None = Field(None, description="an auction's least step per unit")
    extend_minutes: int | None = None
    reserve: Decimal | None = Field(None, description="the most awarded at, per unit; hidden")


class OwnRequest(BaseModel):
    """One of the colleague's own requests, as its buyer reads it."""

    id: int
    mode: str
    status: str
    product: str
    quantity: str
    unit: str
    place: str
    ceiling: Amount | None
    reserve: Amount | None
    closes_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, request: RequestView) -> OwnRequest:
        assert request.id is not None  # a saved request
        return cls(id=request.id, mode=request.mode, status=request.status,
                   product=request.product_type, quantity=decimal(request.quantity),
                   unit=request.unit, place=request.place, ceiling=amount(request.max_price),
                   reserve=amount(request.reserve), closes_at=request.deadline,
                   closed_at=request.closed_at)


class OwnRequests(BaseModel):
    requests: list[OwnRequest]


class NewListing(BaseModel):
    """A listing, as the chat's short listing form takes it; it is published (or sent for
    review) at once, as the chat's Publish does. The title, availability and validity are
    the chat's defaults."""

    model_config = ConfigDict(extra="forbid")

    product_type: str = Field(examples=["pellets"])
    quantity: Decimal
    unit: str = Field(examples=["t"])
    price: Decimal = Field(description="per unit, excluding VAT")
    currency: str | None = Field(None, min_length=3, max_length=3,
                                 description="the seller's usual currency when left out")
    negotiable: bool = False
    location: str = Field(max_length=120, description="the town where the goods are")
    delivery: list[str] = Field(examples=[["pickup", "EXW"]])
    incoterm_place: str | None = Field(None, max_length=120)
    delivery_radius_km: int | None = None


class OwnListings(BaseModel):
    listings: list[Listing]


class ListingMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["pause", "resume", "sold", "renew", "close"]
