"""Quoting on a request for supply: the seller's listing a quote comes from and whether it
answers what the buyer asked, the quote's form and the quote itself (an offer tied to the
request, through core.deals.offers), and the buyer's comparison of the quotes received."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, or_, select

from core.accounts.tables import Account
from core.catalog.gazetteer import haversine_km
from core.catalog.tables import Listing, ListingMedia, SellerStats
from core.catalog.taxonomy import UNITS, product
from core.deals import request_award, request_rules, rules
from core.deals.offers.facts import Terms
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules
from core.deals.requests.fitting import best_listing, fits, refuse_unmet
from core.deals.requests.register import RequestRegister, register_of, seen
from core.deals.requests.service import get
from core.deals.requests.view import QuoteTerms, RequestView, quote_terms
from core.deals.tables import Offer, SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process.deals import OfferState
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class QuoteRow:
    """One quote as the buyer compares it."""

    offer: QuoteTerms
    seller: str
    rating: Decimal | None  # the seller's stars, when rated
    total: Money
    per_mwh: Money | None  # the price per MWh the listing's energy content gives
    certifications: tuple[str, ...]
    distance_km: int | None = None  # from the listing's place to the request's, as the crow flies
    documents: tuple[str, ...] = ()  # the listing's documents (lab reports, certificates)

    @property
    def price(self) -> Money:
        """The quote's price per unit."""
        return self.offer.price

    @property
    def quantity(self) -> Decimal:
        """The quantity quoted, in the request's unit."""
        return self.offer.quantity


async def listing_for(uow: UnitOfWork, request_id: int, seller_id: int) -> Listing:
    """The seller's listing a quote is made from: their published listing of the product
    with the most stock."""
    request = await _quotable(uow, request_id, seller_id)
    listing = best_listing(request, list((await uow.session.execute(select(Listing).where(
        *fits(request, seller_id)))).scalars()))
    if listing is None:
        raise DomainError(_("You have no published listing of {product} in {unit} and "
                            "{currency} to quote from: list it, then quote.",
                            product=_(product(request.product_type).label),
                            unit=_(UNITS.get(request.unit, request.unit)),
                            currency=request.currency))
    return listing


async def place_quote(uow: UnitOfWork | RequestRegister, request_id: int, seller_id: int,
                      listing_id: int, terms: Terms) -> int:
    """An invited seller's quote from one of their listings: before the deadline, within what
    the request still needs and its ceiling; the buyer gets it as an offer to accept. Its
    offer's id (for the flow, which holds no row)."""
    register = register_of(uow)
    request = await _may_quote(register, request_id, seller_id)
    lot = await register.listing_quote(request_id, seller_id, listing_id, terms.price.amount)
    if lot is None:
        raise NotFound(_("That listing doesn't exist."))
    milli = int(terms.quantity * 1000) * (terms.call_offs or 1)  # a contract: every call-off
    remaining = int(request.quantity * 1000) - await register.awarded_milli(request_id)
    request_rules.checked_quote(milli, remaining, terms.price, request.max_price, request.unit)
    refuse_unmet(lot.unmet)
    return await register.make_quote(request_id, lot.listing_id, seller_id, terms)


async def quote(uow: UnitOfWork, request_id: int, seller_id: int, listing_id: int,
                terms: Terms) -> Offer:
    """`place_quote`, answered with the quote's offer."""
    offer = await uow.get(Offer, await place_quote(uow, request_id, seller_id, listing_id, terms))
    assert offer is not None
    return offer


def defaults(request: SupplyRequest, listing: Listing, remaining_milli: int) -> dict[str, str]:
    """A quote's form starts from the request's terms and the listing's price and stock."""
    milli = min(remaining_milli, listing.quantity_milli)
    price = listing.price_minor if request.max_price_minor is None else \
        min(listing.price_minor, request.max_price_minor)
    values = {"quantity": f"{(Decimal(milli) / 1000).normalize():f}",
              "price": str(Money(price, request.currency).decimal),
              "incoterm": request.incoterm, "place": request.place,
              "payment_method": request.payment_method, "expires": "48"}
    for name in ("delivery_from", "delivery_to"):
        day = getattr(request, name)
        if day is not None:
            values[name] = day.isoformat()
    return values


@dataclass(frozen=True)
class QuoteStart:
    """Where a seller's quote on a request starts: the listing it is made from, the buyer it
    goes to, and the form's first values (`defaults`)."""

    listing_id: int
    buyer_id: int
    values: dict[str, str]


async def quote_start(uow: UnitOfWork, request_id: int, seller_id: int) -> QuoteStart:
    """A seller's quote on the request, before its form: from their best fitting listing
    (`listing_for`), at the request's terms and what is still to be awarded."""
    request = await get(uow, request_id, seller_id)
    listing = await listing_for(uow, request_id, seller_id)
    left = await remaining(uow, request)
    return QuoteStart(listing.id, request.buyer_id, defaults(request, listing, left))


async def remaining(uow: UnitOfWork, request: SupplyRequest) -> int:
    return request.quantity_milli - await request_award.awarded_milli(uow, request.id)


async def compare(uow: UnitOfWork, request_id: int, buyer_id: int) -> list[QuoteRow]:
    """The request's quotes side by side for its buyer: open ones first, cheapest first."""
    request = await get(uow, request_id, buyer_id)
    if request.buyer_id != buyer_id:
        raise NotAllowed(_("Only the buyer compares the quotes."))
    rows = (await uow.session.execute(
        select(Offer, Account.display_name, Listing, SellerStats)
        .join(Account, Account.id == Offer.seller_id)
        .join(Listing, Listing.id == Offer.listing_id)
        .outerjoin(SellerStats, SellerStats.account_id == Offer.seller_id)
        .where(Offer.request_id == request_id,  # sellers' open quotes, and what was awarded
               or_(and_(Offer.status == OfferState.OPEN, Offer.made_by == "seller"),
                   Offer.status == OfferState.ACCEPTED))
        .order_by(Offer.status.desc(), Offer.price_minor, Offer.id))).all()
    documents: dict[int, list[str]] = {}
    for listing_id, file_name in (await uow.session.execute(select(
            ListingMedia.listing_id, ListingMedia.file_name).where(
            ListingMedia.listing_id.in_([listing.id for _offer, _name, listing, _stats in rows]),
            ListingMedia.kind == "document").order_by(ListingMedia.id))).all():
        documents.setdefault(listing_id, []).append(file_name)
    return [_row(offer, name, listing, stats, request, tuple(documents.get(listing.id, ())))
            for offer, name, listing, stats in rows]


def _row(offer: Offer, name: str, listing: Listing, stats: SellerStats | None,
         request: SupplyRequest, documents: tuple[str, ...]) -> QuoteRow:
    price = Money(offer.price_minor, offer.currency)
    energy = Decimal(listing.energy_mwh_per_unit or 0)
    per_mwh = None
    if energy > 0:
        minor = (Decimal(price.amount) / energy).quantize(Decimal(1), ROUND_HALF_UP)
        per_mwh = Money(int(minor), offer.currency)
    rating = Decimal(stats.stars_total) / stats.ratings if stats and stats.ratings else None
    distance = round(haversine_km(request.latitude, request.longitude, listing.latitude,
                                  listing.longitude)) \
        if request.latitude is not None and request.longitude is not None else None
    return QuoteRow(quote_terms(offer), name, rating.quantize(Decimal("0.1")) if rating else None,
                    rules.line_total(price, offer.quantity_milli), per_mwh,
                    tuple(str(c) for c in listing.certifications or []), distance, documents)


async def _quotable(uow: UnitOfWork, request_id: int, seller_id: int) -> SupplyRequest:
    """The row of a request this seller may quote on now (`_may_quote`)."""
    await _may_quote(register_of(uow), request_id, seller_id)
    return await get(uow, request_id, seller_id)


async def _may_quote(register: RequestRegister, request_id: int,
                     seller_id: int) -> RequestView:
    """A request this seller may quote on now: invited, open, before its deadline."""
    request = await seen(register, request_id, seller_id)
    if request.buyer_id == seller_id:
        raise NotAllowed(_("That is your own request."))
    if request.status != RequestState.OPEN:
        raise Conflict(_("That request is closed: it takes no more quotes or awards."))
    if request.mode != auction_rules.QUOTES:
        raise Conflict(_("That request takes bids, not quotes: use Bid on its card."))
    assert request.deadline is not None
    if register.now() >= request.deadline:
        raise Conflict(_("Quotes on that request closed at its deadline."))
    return request
