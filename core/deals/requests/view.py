"""A request for supply, a quote on it and a question about it as the flows read them: frozen
read models built by core from the rows (DESIGN 18), with typed values — Money, a quantity with
its unit, aware datetimes — never a `*_minor`/`*_milli` column. Core keeps the rows; a core
function that holds one and hands it on to a face builds its read model with `request_view`,
`quote_terms` or `question_view`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from core.deals.requests import auction_rules, bid_deposits
from core.deals.requests.tables import RequestQuestion
from core.deals.tables import Offer, SupplyRequest
from core.i18n import present
from core.money.model import Money


@dataclass(frozen=True)
class RequestView:
    """What its buyer and the sellers who may answer read of a request for supply. A preview
    (not published yet) has no number, buyer or deadline."""

    id: int | None
    buyer_id: int | None
    product_type: str  # taxonomy code
    quantity: Decimal  # in `unit`
    unit: str  # trade unit code
    currency: str
    max_price: Money | None  # per unit; None: no ceiling
    max_price_mwh: Money | None  # per MWh, by each listing's energy content
    quality: tuple[tuple[str, str], ...]  # ("moisture", "35"): core.deals.request_rules.LIMITS
    certifications: tuple[str, ...]  # certification codes
    incoterm: str
    place: str
    delivery_from: date | None
    delivery_to: date | None
    payment_method: str
    deadline: datetime | None  # quotes or bids are taken until then (an auction's moves)
    status: str  # open | awarded | closed | cancelled
    mode: str  # quotes | tender | auction (core.deals.requests.auction_rules)
    min_step: Money | None  # an auction's least step under the best bid
    extend_minutes: int | None  # an auction's late-bid extension
    reserve: Money | None  # the most awarded at, per unit: the buyer's alone to read
    deposit_pct: int | None
    deposit: Money | None  # the bid deposit each bidder pays (core.deals.requests.bid_deposits)
    private: bool  # only the invited sellers may answer
    closed_at: datetime | None  # a tender's or auction's close, once settled
    # Whose auction (auction_rules.SIDES): a buyer's request, or a seller's lot put up from
    # `listing_id` (its `buyer_id` is then the seller who put it up, `max_price` its start).
    side: str = auction_rules.BUYER
    listing_id: int | None = None

    @property
    def lot(self) -> bool:
        """A seller's lot at auction (buyers bid up), not a buyer's request."""
        return self.side == auction_rules.SELLER


def request_view(request: SupplyRequest) -> RequestView:
    """The read model of a request's row (or of an unsaved one, for a preview)."""
    def money(minor: int | None) -> Money | None:
        return Money(minor, request.currency) if minor is not None else None

    return RequestView(
        id=request.id, buyer_id=request.buyer_id, product_type=request.product_type,
        quantity=present.thousandths(request.quantity_milli), unit=request.unit,
        currency=request.currency, max_price=money(request.max_price_minor),
        max_price_mwh=money(request.max_price_mwh_minor),
        quality=tuple((str(key), str(value)) for key, value in (request.quality or {}).items()),
        certifications=tuple(str(c) for c in request.certifications or ()),
        incoterm=request.incoterm, place=request.place, delivery_from=request.delivery_from,
        delivery_to=request.delivery_to, payment_method=request.payment_method,
        deadline=request.deadline, status=request.status or "open", mode=request.mode,
        min_step=money(request.min_step_minor), extend_minutes=request.extend_minutes,
        reserve=money(request.reserve_minor), deposit_pct=request.deposit_pct,
        deposit=bid_deposits.amount(request), private=bool(request.private),
        closed_at=request.closed_at, side=request.side or auction_rules.BUYER,
        listing_id=request.listing_id)


@dataclass(frozen=True)
class QuoteTerms:
    """A seller's quote on a request (or the award it became), as its buyer compares it."""

    id: int
    seller_id: int
    status: str  # open | accepted
    price: Money  # per unit
    quantity: Decimal  # in the request's unit, per call-off for a framework contract
    incoterm: str | None
    place: str | None
    delivery_from: date | None
    delivery_to: date | None
    payment_method: str
    call_offs: int | None  # a framework contract's deliveries; None: one delivery
    call_off_every: str | None
    expires_at: datetime


def quote_terms(offer: Offer) -> QuoteTerms:
    """The read model of a quote's offer row."""
    return QuoteTerms(
        id=offer.id, seller_id=offer.seller_id, status=offer.status,
        price=Money(offer.price_minor, offer.currency),
        quantity=present.thousandths(offer.quantity_milli), incoterm=offer.incoterm,
        place=offer.place, delivery_from=offer.delivery_from, delivery_to=offer.delivery_to,
        payment_method=offer.payment_method, call_offs=offer.call_offs,
        call_off_every=offer.call_off_every, expires_at=offer.expires_at)


@dataclass(frozen=True)
class QuestionView:
    """A question on a request and its answer (the asker is not named: a public answer
    reaches every seller asked without it)."""

    id: int
    request_id: int
    text: str
    answer: str | None
    public: bool  # the answer is for every seller asked, not the asker alone
    asked_at: datetime
    answered_at: datetime | None


def question_view(question: RequestQuestion) -> QuestionView:
    """The read model of a question's row."""
    return QuestionView(
        id=question.id, request_id=question.request_id, text=question.text,
        answer=question.answer, public=bool(question.public), asked_at=question.asked_at,
        answered_at=question.answered_at)


@dataclass(frozen=True)
class Asked:
    """A question with its asker (a private answer's reader; never shown to others)."""

    asker_id: int
    question: QuestionView


@dataclass(frozen=True)
class Lot:
    """The listing a quote or bid comes from, and what it lacks at the price offered (empty:
    it answers the request)."""

    listing_id: int
    unmet: tuple[str, ...]
