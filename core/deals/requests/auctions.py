"""Bids in tenders and reverse auctions (the rules: core.deals.requests.auction_rules); their
close is core.deals.requests.auction_close's, the bids' order core.deals.requests.bid_ranking's.

Every bid holds the request's row with a conditional update (`… WHERE closed_at IS NULL`) and
reads the time only once it holds it; the close claims the same row with its own conditional
update (`… AND deadline <= now`). So on SQLite and PostgreSQL alike, whatever the number of
workers, a bid and the close are ordered: a bid before the close counts (and in an auction's last
minutes moves the deadline, which the close then no longer meets); a bid after it is refused
with the closing time. The close is decided once, by the one update that claims it, and awards
the best bid within the reserve as a quote accepted on the buyer's behalf: a deal under the
same frozen terms, escrow and timers as every other."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from sqlalchemy import select, update

from core.actions import Action
from core.catalog.tables import Listing
from core.catalog.taxonomy import UNITS, product
from core.clock import local_time
from core.deals import request_award, rules
from core.deals.events import BidPlaced
from core.deals.intents import DealIntent
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules, bid_deposits, fitting
from core.deals.requests import service as supply_requests
from core.deals.requests.auction_rules import AUCTION, BIDDING, Bid
from core.deals.requests.awarding import award_bid, next_bids
from core.deals.requests.bid_ranking import best as best_of
from core.deals.requests.register import RequestRegister, register_of, seen
from core.deals.requests.tables import RequestInvite
from core.deals.requests.view import RequestView, request_view
from core.deals.tables import SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _, present
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Standing:
    """Where a seller stands in a tender or auction, as their card shows it."""

    request: RequestView
    own: Money | None  # their latest bid
    rank: int | None  # shown in an auction, and in a tender once it closed
    best: Money | None  # likewise
    bidders: int
    reserve_met: bool | None = None  # a lot with a reserve: whether the highest bid meets it

    @property
    def most(self) -> Money | None:
        """The limit a bid must keep to now: the most on a buyer's request, the least on a
        seller's lot (core.deals.requests.auction_rules.highest_bid)."""
        step = self.request.min_step
        return auction_rules.highest_bid(self.request.mode, self.request.max_price, self.best,
                                         step.amount if step is not None else None,
                                         self.request.side)


async def bid(uow: UnitOfWork | RequestRegister, request_id: int, seller_id: int,
              price: Money) -> Standing:
    """An invited seller bids for the whole quantity from their listing that can cover it; on a
    seller's lot, any buyer bids for the whole lot (`seller_id` is then the bidding buyer)."""
    register = register_of(uow)
    request = await seen(register, request_id, seller_id)
    if request.buyer_id == seller_id:
        raise NotAllowed(_("That is your own lot.") if request.lot else
                         _("That is your own request."))
    request = await _held(register, request_id, request, seller_id)
    await _deposit_paid(register, request_id, request, seller_id)
    listing_id = request.listing_id if request.lot else None
    lot = None if request.lot else await register.lot(request_id, seller_id, price.amount)
    if lot is None and listing_id is None:
        raise DomainError(_("A bid is for the whole {quantity}: you need a published listing of "
                            "{product} in {currency} with that much in stock.",
                            quantity=present.quantity(request.quantity, request.unit),
                            product=_(product(request.product_type).label),
                            currency=request.currency))
    if request.lot:
        await _within_limit(register, seller_id, price, request)
    best = best_of(await register.bids(request_id), request.side)
    step = request.min_step.amount if request.min_step is not None else None
    auction_rules.checked_bid(request.mode, price, request.max_price, best.price_minor
                              if best else None, step, request.unit, request.side)
    if price.currency != request.currency:
        raise DomainError(_("Bid in {currency}.", currency=request.currency))
    if lot is not None:
        fitting.refuse_unmet(lot.unmet)
        listing_id = lot.listing_id
    assert listing_id is not None
    now = register.now()  # once: the bid's moment is the one its extension is reckoned from
    placed = await register.place_bid(request_id, seller_id, listing_id, price.amount, now)
    if request.mode == AUCTION:
        assert request.deadline is not None
        later = auction_rules.extended_close(request.deadline, now, request.extend_minutes)
        if later is not None:
            await register.extend(request_id, later)
    outbid = best.seller_id if request.mode == AUCTION and best and \
        best.seller_id != seller_id else None  # the best so far, on either side
    register.emit(BidPlaced(request_id, placed, outbid))
    return await _standing(register, request_id, seller_id)


async def _within_limit(register: RequestRegister, bidder_id: int, price: Money,
                        request: RequestView) -> None:
    """A lot is awarded at its close, with nobody to approve it then: so a company buyer's bid
    must be within her spending limit for the whole lot when she places it."""
    if price.currency != request.currency:
        return  # refused below, in the lot's currency
    total = rules.line_total(price, int(request.quantity * 1000))
    limit = await register.spending_limit(bidder_id, total)
    if limit is not None:
        raise DomainError(_("At {price} per {unit} the whole lot comes to {total}, above your "
                            "spending limit of {limit}: bid lower.", price=price,
                            unit=_(UNITS.get(request.unit, request.unit)), total=total,
                            limit=limit))


async def _deposit_paid(register: RequestRegister, request_id: int, request: RequestView,
                        seller_id: int) -> None:
    """Refuse a bid until the seller's deposit is held, with the way to pay it."""
    if request.deposit is None or await register.deposit_held(request_id, seller_id):
        return
    raise DomainError(_("Lot #{id} asks a bid deposit of {amount} before you bid; it comes "
                        "back after the close.", id=request.id, amount=request.deposit)
                      if request.lot else
                      _("Request #{id} asks a bid deposit of {amount} before you bid; it comes "
                        "back after the close.", id=request.id, amount=request.deposit),
                      actions=(Action(DealIntent.PAY_DEPOSIT, N_("💳 Pay the deposit"),
                                      str(request.id)),))


async def ask_deposit(uow: UnitOfWork, request_id: int, seller_id: int,
                      price: Money | None = None) -> Money:
    """A seller who may bid will pay the request's deposit (its payment page follows), with
    the `price` to bid once it is paid, if they typed one (core.deals.requests.pending_bids)."""
    request = await supply_requests.get(uow, request_id, seller_id)
    if request.buyer_id == seller_id:
        raise NotAllowed(_("That is your own lot.") if request.side == auction_rules.SELLER
                         else _("That is your own request."))
    if request.status != RequestState.OPEN or request.closed_at is not None \
            or uow.clock.now() >= request.deadline:
        raise Conflict(await _closed_words(register_of(uow), request_id, request_view(request),
                                           seller_id))
    if price is not None and price.currency != request.currency:  # kept in its minor units
        raise DomainError(_("Bid in {currency}.", currency=request.currency))
    return await bid_deposits.ask(uow, request, seller_id, price)


async def standing(uow: UnitOfWork | RequestRegister, request_id: int,
                   seller_id: int) -> Standing:
    """Where an invited seller stands in a tender or auction (NotFound for anyone else)."""
    register = register_of(uow)
    await seen(register, request_id, seller_id)
    return await _standing(register, request_id, seller_id)


async def _standing(register: RequestRegister, request_id: int, seller_id: int) -> Standing:
    """A seller's latest bid and, where they may see it, the best price and their rank."""
    found = await register.request(request_id)
    assert found is not None
    request = replace(found, reserve=None)  # the owner's alone to read: never a bidder's
    side = request.side
    bids = await register.bids(request_id)
    ranked = auction_rules.standings(bids, side)
    own = next((b.price_minor for b in ranked if b.seller_id == seller_id), None)
    def money(minor: int | None) -> Money | None:
        return Money(minor, request.currency) if minor is not None else None

    if request.mode == AUCTION and request.closed_at is None:
        best = best_of(bids, side)
        top = best.price_minor if best else None
        rank = None if own is None else 1 + len({
            b.seller_id for b in bids if auction_rules.beats(b.price_minor, own, side)})
        met = None if not request.lot or found.reserve is None else auction_rules.reserve_met(
            top, found.reserve.amount, side)  # told as met or not, never its figure
        return Standing(request, money(own), rank, money(top), len(ranked), met)
    if request.closed_at is None:  # a tender's bids stay sealed until its deadline
        return Standing(request, money(own), None, None, len(ranked))
    return Standing(request, money(own), auction_rules.rank_of(ranked, seller_id),
                    money(ranked[0].price_minor if ranked else None), len(ranked))


async def follow_token(uow: UnitOfWork, request_id: int, seller_id: int) -> str:
    """The secret of a bidder's live page of the auction (made the first time it is asked)."""
    invite = await uow.get(RequestInvite, (request_id, seller_id))
    if invite is None:
        raise NotFound(_("That request doesn't exist."))
    if invite.follow_token is None:
        invite.follow_token = secrets.token_urlsafe(18)
    return invite.follow_token


async def follower(uow: UnitOfWork, request_id: int, token: str) -> int | None:
    """Whose live page a token opens, or None (a token of another request, or none)."""
    if not token or len(token) > 32:
        return None
    return await uow.session.scalar(select(RequestInvite.seller_id).where(
        RequestInvite.request_id == request_id, RequestInvite.follow_token == token))


async def lot_listing(uow: UnitOfWork, request: SupplyRequest, seller_id: int) -> Listing:
    """The seller's published listing of the product that holds the whole quantity."""
    listing = await fitting.lot_listing(uow, request, seller_id)
    if listing is None:
        raise DomainError(_("A bid is for the whole {quantity}: you need a published listing of "
                            "{product} in {currency} with that much in stock.",
                            quantity=present.quantity_milli(request.quantity_milli,
                                                                  request.unit),
                            product=_(product(request.product_type).label),
                            currency=request.currency))
    return listing


async def award_next(uow: UnitOfWork, request_id: int, buyer_id: int) -> Bid:
    """The buyer awards the next bid of a closed tender or auction whose award ended (its
    deal cancelled or refunded): a deal as at the close; refused while an award stands."""
    request = await supply_requests.get(uow, request_id, buyer_id)
    lot = request.side == auction_rules.SELLER
    if request.buyer_id != buyer_id:
        raise NotAllowed(_("Only the lot's seller sells it to the next bid.") if lot else
                         _("Only the buyer awards."))
    if request.mode not in BIDDING or request.closed_at is None:
        raise Conflict(_("That lot's bidding has not closed: there is no next bid yet.") if lot
                       else _("That request has no closed bidding to award from."))
    if await request_award.awarded_milli(uow, request.id):
        raise Conflict(_("That lot's sale stands: nothing to sell again.") if lot else
                       _("That request's award stands: nothing to award again."))
    reopened = await uow.session.execute(update(SupplyRequest).where(
        SupplyRequest.id == request.id, SupplyRequest.status.in_((RequestState.AWARDED, RequestState.CLOSED)))
        .values(status=RequestState.OPEN, updated_at=uow.clock.now()))  # the award takes the open request
    if reopened.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That lot is closed: it takes no more bids or sales.") if lot else
                       _("That request is closed: it takes no more quotes or awards."))
    await uow.session.refresh(request)
    for candidate in await next_bids(uow, request):
        if await award_bid(uow, request, candidate):
            return candidate
    raise DomainError(_("No other bid can be awarded: put the lot up again at auction from "
                        "📦 My listings.") if lot else
                      _("No other bid can be awarded: ask for supply again from the menu."))


# --- helpers --------------------------------------------------------------------------------


async def _held(register: RequestRegister, request_id: int, request: RequestView,
                seller_id: int) -> RequestView:
    """The request held for this bid, while it takes bids; refused with the closing time once
    it does not (the time is read after it is held, so the close can't slip in)."""
    if request.mode not in BIDDING:
        raise Conflict(_("That request takes quotes, not bids."))
    moved = await register.hold_for_bid(request_id)
    held = await register.request(request_id, fresh=True)
    assert held is not None and held.deadline is not None
    if not moved or register.now() >= held.deadline:
        raise Conflict(await _closed_words(register, request_id, held, seller_id))
    return held


async def _closed_words(register: RequestRegister, request_id: int, request: RequestView,
                        seller_id: int) -> str:
    if request.status == RequestState.CANCELLED:
        return _("That lot was cancelled: it takes no more bids.") if request.lot else \
            _("That request was cancelled: it takes no more bids.")
    zone = await register.timezone(seller_id)
    closed = request.closed_at or request.deadline
    assert closed is not None  # a saved request has a deadline
    if request.lot:
        return _("Bidding on lot #{id} closed at {time}: your bid came too late.",
                 id=request_id, time=local_time(closed, zone))
    return _("Bidding on request #{id} closed at {time}: your bid came too late.",
             id=request_id, time=local_time(closed, zone))


@dataclass(frozen=True)
class BoardRow:
    """A bidder's standing as the buyer reads it."""

    rank: int
    seller: str
    price: Money
    awarded: bool


async def board(uow: UnitOfWork | RequestRegister, request_id: int,
                buyer_id: int) -> tuple[int, list[BoardRow]]:
    """How many sellers bid, and the standings for the buyer: an auction's as they go, a
    tender's only after its deadline (sealed until then, for the buyer too)."""
    register = register_of(uow)
    request = await seen(register, request_id, buyer_id)
    if request.buyer_id != buyer_id:
        raise NotAllowed(_("Only the seller sees the bids.") if request.lot else
                         _("Only the buyer sees the bids."))
    ranked = auction_rules.standings(await register.bids(request_id), request.side)
    if request.mode != AUCTION and request.closed_at is None:
        return len(ranked), []
    names = await register.names([b.seller_id for b in ranked])
    won = await register.won(request_id)
    return len(ranked), [BoardRow(place, names.get(b.seller_id, "?"),
                                  Money(b.price_minor, request.currency), b.id in won)
                         for place, b in enumerate(ranked, 1)]
