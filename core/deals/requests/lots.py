"""A seller's lot at auction: the mirror of a buyer's reverse auction (core.deals.requests.
auctions). A seller puts up a quantity of one of their published listings — its product, unit,
currency and delivery (Incoterm and place; a delivery window if they give one) — with a starting
price, a minimum step, a hidden reserve, how long it
takes bids, the late-bid extension and a bid deposit; the buyers it reaches bid the price up.

A lot is a request row on the seller's side (`side` = "seller", `listing_id` its listing; its
`buyer_id` holds the seller who put it up), so bidding, the extension, the deposits, the close
that claims the row once and the award that makes the deal are the reverse auction's own code,
each rule taking the side (core.deals.requests.auction_rules). Who is told of a lot: buyers of
the product — those who bought it before, asked for it, or keep an alert for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.rules import ListingState
from core.catalog.tables import Listing, SavedSearch
from core.deals.events import RequestPosted
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules
from core.deals.requests.tables import RequestInvite
from core.deals.requests.view import RequestView, request_view
from core.deals.tables import Deal, SupplyRequest
from core.errors import DomainError, NotFound
from core.i18n import _, present
from core.money.model import Money
from core.storage.uow import UnitOfWork

TOLD_AT_MOST = 1000  # buyers told of a lot at most, as a request's sellers


@dataclass(frozen=True)
class LotTerms:
    """What a seller sets when putting a lot up (prices per unit, in the listing's currency)."""

    quantity: Decimal
    start: Money
    step: Money
    reserve: Money | None = None
    hours: int = 48
    extend_minutes: int | None = None
    deposit_pct: int | None = None
    delivery_from: date | None = None  # the delivery window the deal will carry, if set
    delivery_to: date | None = None


def delivered(listing: Listing) -> tuple[str, str]:
    """The lot's Incoterm and place: the listing's first delivery option, at its place."""
    first = str((listing.delivery or ["EXW"])[0])
    return ("DAP" if first == "delivery" else first[:8],
            (listing.incoterm_place or listing.city or "")[:120])


async def put_up(uow: UnitOfWork, seller_id: int, listing_id: int, terms: LotTerms) -> RequestView:
    """The seller puts up a lot from their published listing; the buyers of its product hear
    of it (each once) and may bid."""
    listing = await uow.get(Listing, listing_id)
    if listing is None or listing.seller_id != seller_id:
        raise NotFound(_("That listing doesn't exist."))
    if listing.status != ListingState.PUBLISHED:
        raise DomainError(_("Only a published listing can be put up as a lot."))
    milli = int(terms.quantity * 1000)
    if milli <= 0 or milli > listing.quantity_milli:
        raise DomainError(_("A lot is at most the listing's stock, {quantity}.",
                            quantity=present.quantity_milli(listing.quantity_milli,
                                                            listing.unit)))
    for price in (terms.start, terms.step, terms.reserve):
        if price is not None and price.currency != listing.currency:
            raise DomainError(_("Bid in {currency}.", currency=listing.currency))
    auction_rules.checked_lot(terms.start, terms.step, terms.reserve, terms.hours,
                              terms.extend_minutes, terms.deposit_pct)
    if terms.delivery_from and terms.delivery_to and terms.delivery_to < terms.delivery_from:
        raise DomainError(_("The delivery window ends before it starts: choose a later date."))
    now = uow.clock.now()
    incoterm, place = delivered(listing)
    lot = SupplyRequest(
        buyer_id=seller_id, side=auction_rules.SELLER, listing_id=listing.id,
        product_type=listing.product_type, quantity_milli=milli, unit=listing.unit,
        currency=listing.currency, max_price_minor=terms.start.amount, incoterm=incoterm,
        place=place, delivery_from=terms.delivery_from, delivery_to=terms.delivery_to,
        payment_method="escrow", deadline=now + timedelta(hours=terms.hours),
        status=RequestState.OPEN, mode=auction_rules.AUCTION, min_step_minor=terms.step.amount,
        extend_minutes=terms.extend_minutes, deposit_pct=terms.deposit_pct,
        reserve_minor=terms.reserve.amount if terms.reserve is not None else None,
        private=False, latitude=listing.latitude, longitude=listing.longitude,
        created_at=now, updated_at=now)
    await uow.insert(lot)
    told = await buyers_of(uow, listing.product_type, seller_id)
    for buyer_id in told:
        uow.add(RequestInvite(request_id=lot.id, seller_id=buyer_id, invited_at=now))
    await uow.session.flush()
    uow.emit(RequestPosted(lot.id, tuple(told)))  # the same card and 🔨 Bid as an auction's
    return request_view(lot)


async def listing_for_lot(uow: UnitOfWork, seller_id: int, listing_id: int | None) -> int:
    """The listing a lot is put up from: the one named, or the seller's only published one."""
    if listing_id is not None:
        return listing_id
    found = list((await uow.session.execute(select(Listing.id).where(
        Listing.seller_id == seller_id, Listing.status == ListingState.PUBLISHED)
        .limit(2))).scalars())
    if len(found) != 1:
        raise DomainError(_("Open the listing in 📦 My listings and tap 🔨 Auction a lot."))
    return found[0]


async def buyers_of(uow: UnitOfWork, product_type: str, seller_id: int) -> list[int]:
    """The buyers a lot of the product reaches, each once, never its seller or a suspended
    account: those who bought it before, those who asked for it, those with an alert for it
    who are not sellers only."""
    found: dict[int, None] = {}
    bought = select(Deal.buyer_id).join(Listing, Listing.id == Deal.listing_id).where(
        Listing.product_type == product_type).distinct().order_by(Deal.buyer_id)
    asked = select(SupplyRequest.buyer_id).where(
        SupplyRequest.product_type == product_type,
        SupplyRequest.side == auction_rules.BUYER).distinct().order_by(SupplyRequest.buyer_id)
    for query in (bought, asked):
        for buyer_id in (await uow.session.execute(query)).scalars():
            found.setdefault(buyer_id)
    alerted = await uow.session.execute(select(Account.id, Account.roles).join(
        SavedSearch, SavedSearch.account_id == Account.id).where(
        SavedSearch.active.is_(True),
        SavedSearch.query["product_type"].as_string() == product_type).order_by(Account.id))
    for buyer_id, roles in alerted.all():
        if (roles or []) != ["seller"]:  # a seller's alert is for supplying, not buying
            found.setdefault(buyer_id)
    found.pop(seller_id, None)
    suspended = set((await uow.session.execute(select(Account.id).where(
        Account.id.in_(list(found)), Account.suspended_at.is_not(None)))).scalars())
    return [b for b in found if b not in suspended][:TOLD_AT_MOST]
