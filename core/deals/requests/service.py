"""Requests for supply: a buyer asks, the matching sellers quote, the buyer awards. A request
names the product, quantity, place, delivery window, the most it pays per unit and how long
quotes are taken; every seller with a published listing of the product, or who sold it before,
is asked once (`request_invites`). A quote is an offer from one of the seller's listings, tied
to the request, so an award is the offer's acceptance: the same frozen terms, escrow and timers
as every deal (core.deals.request_award keeps the awards within the request). Here: posting
a request, reading and closing it; quoting and comparing quotes are `quotes`', which sellers
a request reaches `reach`'s."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog import gazetteer
from core.catalog.gazetteer import Place
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.deals import on_terms, request_award, request_rules, rules
from core.deals.events import RequestPosted
from core.deals.offers import spending
from core.deals.offers.rounds import decline_open_quotes
from core.deals.request_rules import RequestState
from core.deals.requests import auction_rules
from core.deals.requests.reach import matching_sellers
from core.deals.requests.tables import RequestInvite
from core.deals.requests.view import RequestView, request_view
from core.deals.tables import SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _, present
from core.money.model import Money
from core.storage.uow import UnitOfWork

CLOSED_BY_BUYER = "The buyer closed the request."  # kept as the reason, in English
INVITED_AT_MOST = 1000  # sellers told of an open request at most (the best matched)
CHOSEN_AT_MOST = 20  # sellers a buyer picks from for a private request


@dataclass(frozen=True)
class Draft:
    """What a buyer asks for."""

    product_type: str
    quantity: Decimal
    unit: str
    place: str
    currency: str = "EUR"
    incoterm: str = "DAP"
    delivery_from: date | None = None
    delivery_to: date | None = None
    max_price: Money | None = None  # per unit
    deadline_days: str = "3"
    payment_method: str = "escrow"
    mode: str = "quotes"  # or a sealed-bid "tender", or a reverse "auction"
    min_step: Money | None = None  # an auction's least step under the best bid
    extend_minutes: int | None = None  # an auction's late-bid extension (3 when None)
    reserve: Money | None = None  # the most awarded at, per unit, hidden from bidders
    deposit_pct: int | None = None  # a bid deposit: this % of the lot at the ceiling
    private: bool = False  # only the sellers in `invite` may answer
    invite: tuple[int, ...] = ()
    max_price_mwh: Money | None = None  # a ceiling per MWh, by each listing's energy content
    quality: tuple[tuple[str, str], ...] = ()  # ("moisture", "35"): request_rules.LIMITS
    certifications: tuple[str, ...] = ()


class Asking(Protocol):
    """What `asked` reads: a request's row or its public read model alike."""

    @property
    def quantity_milli(self) -> int: ...
    @property
    def unit(self) -> str: ...


def asked(request: Asking) -> str:
    """What a request asks, in the reader's words and figures: “2 000 t”."""
    return present.quantity_milli(request.quantity_milli, request.unit)


def preview(draft: Draft) -> RequestView:
    """The request as it would be published (not saved: no number, no deadline yet)."""
    return request_view(_unsaved(draft))


def _unsaved(draft: Draft) -> SupplyRequest:
    """The row a draft would publish, without its number, buyer, deadline or place on the map."""
    return SupplyRequest(
        product_type=draft.product_type, unit=draft.unit, currency=draft.currency,
        quantity_milli=int(draft.quantity * 1000), incoterm=draft.incoterm, place=draft.place,
        delivery_from=draft.delivery_from, delivery_to=draft.delivery_to,
        max_price_minor=draft.max_price.amount if draft.max_price else None,
        payment_method=draft.payment_method, private=draft.private, **_asked(draft),
        **_bidding(draft))


def _asked(draft: Draft) -> dict[str, Any]:
    """The quality, certifications and price per MWh a request asks."""
    return {"quality": request_rules.checked_limits(dict(draft.quality), draft.certifications),
            "certifications": list(dict.fromkeys(draft.certifications)),
            "max_price_mwh_minor": draft.max_price_mwh.amount if draft.max_price_mwh else None}


def _bidding(draft: Draft) -> dict[str, Any]:
    """The tender's or auction's own columns of a request."""
    auction = draft.mode == auction_rules.AUCTION
    return {"mode": draft.mode, "reserve_minor": draft.reserve.amount if draft.reserve else None,
            "deposit_pct": draft.deposit_pct if draft.mode in auction_rules.BIDDING else None,
            "min_step_minor": draft.min_step.amount if auction and draft.min_step else None,
            "extend_minutes": (draft.extend_minutes or auction_rules.EXTEND_MINUTES)
            if auction else None}


async def post(uow: UnitOfWork, buyer_id: int, draft: Draft) -> RequestView:
    """Publish a request and ask the matching sellers to quote (each once)."""
    place = " ".join(draft.place.split())[:120]
    if not place:
        raise DomainError(_("Say where the goods are delivered."))
    milli, open_for = request_rules.checked_request(
        draft.product_type, draft.quantity, draft.unit, draft.max_price, draft.delivery_from,
        draft.delivery_to, draft.deadline_days)
    if draft.payment_method not in rules.PAYMENT_METHODS:
        raise DomainError(_("Choose escrow or arranging payment directly."))
    if draft.payment_method not in ("escrow", "direct") \
            and draft.payment_method not in await on_terms.methods_for(uow, buyer_id):
        raise DomainError(_("Payment on terms is only for companies Agora approved for it; "
                            "choose escrow."))
    auction_rules.checked_setup(draft.mode, draft.max_price, draft.min_step,
                                draft.extend_minutes, draft.reserve, draft.deposit_pct)
    if draft.mode in auction_rules.BIDDING and draft.max_price is not None:
        await _within_spending_limit(uow, buyer_id, draft)
    now = uow.clock.now()
    spot = await _spot(uow, buyer_id, place)
    request = SupplyRequest(
        buyer_id=buyer_id, product_type=draft.product_type, quantity_milli=milli,
        unit=draft.unit, currency=draft.currency, incoterm=draft.incoterm, place=place,
        max_price_minor=draft.max_price.amount if draft.max_price else None,
        delivery_from=draft.delivery_from, delivery_to=draft.delivery_to,
        payment_method=draft.payment_method, deadline=now + open_for, status=RequestState.OPEN,
        created_at=now, updated_at=now, private=draft.private, **_asked(draft),
        latitude=spot.lat if spot else None, longitude=spot.lon if spot else None,
        **_bidding(draft))
    await uow.insert(request)
    invited = await _invitees(uow, request, draft)
    for seller_id in invited:
        uow.add(RequestInvite(request_id=request.id, seller_id=seller_id, invited_at=now))
    await uow.session.flush()
    uow.emit(RequestPosted(request.id, tuple(invited)))
    return request_view(request)


async def _within_spending_limit(uow: UnitOfWork, buyer_id: int, draft: Draft) -> None:
    """A tender or auction is awarded at its close, with nobody to approve it then: so a
    company buyer's whole ceiling must be within her spending limit when she posts it."""
    assert draft.max_price is not None
    most = rules.line_total(draft.max_price, int(draft.quantity * 1000))
    seat = await spending.holding_seat(uow, buyer_id, most)
    if seat is not None:
        raise DomainError(_("At your highest price the whole quantity comes to {total}, above "
                            "your spending limit of {limit}: lower the price or the quantity, "
                            "or ask for quotes.", total=most, limit=seat.limit))


async def _spot(uow: UnitOfWork, buyer_id: int, place: str) -> Place | None:
    """Where the goods go, when the gazetteer knows the place (in the buyer's country first)."""
    buyer = await uow.get(Account, buyer_id)
    return gazetteer.lookup(place, buyer.country if buyer else None).place


async def _invitees(uow: UnitOfWork, request: SupplyRequest, draft: Draft) -> list[int]:
    """An open request's best matched sellers; a private one's chosen sellers, who must be
    among those matched (a buyer can't pull anyone in)."""
    if not request.private:
        return await matching_sellers(uow, request, INVITED_AT_MOST)
    matched = set(await matching_sellers(uow, request, None))
    chosen = [seller for seller in dict.fromkeys(draft.invite) if seller in matched]
    if not chosen:
        raise DomainError(_("Choose at least one seller to invite."))
    return chosen[:CHOSEN_AT_MOST]


async def candidates(uow: UnitOfWork, buyer_id: int, draft: Draft) -> list[tuple[int, str]]:
    """The sellers a buyer may pick for a private request: the best matched, by name."""
    request = _unsaved(draft)
    request.buyer_id = buyer_id
    spot = await _spot(uow, buyer_id, draft.place)
    request.latitude, request.longitude = (spot.lat, spot.lon) if spot else (None, None)
    found = await matching_sellers(uow, request, CHOSEN_AT_MOST)
    names = dict((await uow.session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_(found)))).all())
    return [(seller_id, names[seller_id]) for seller_id in found if seller_id in names]


async def invited(uow: UnitOfWork, request_id: int) -> list[int]:
    """The sellers asked to quote on the request."""
    return list((await uow.session.execute(select(RequestInvite.seller_id).where(
        RequestInvite.request_id == request_id))).scalars())


async def view(uow: UnitOfWork, request_id: int, actor_id: int | None) -> RequestView:
    """The request as its buyer and the sellers who may answer it read it (`get`); the hidden
    reserve is the buyer's alone."""
    request = request_view(await get(uow, request_id, actor_id))
    return request if actor_id == request.buyer_id else replace(request, reserve=None)


async def get(uow: UnitOfWork, request_id: int, actor_id: int | None) -> SupplyRequest:
    """The request's row, for its buyer and the sellers who may answer it; NotFound for anyone
    else (a private request's existence included). Core's: a face reads `view`."""
    request = await uow.get(SupplyRequest, request_id)
    if request is None or (actor_id != request.buyer_id
                           and not await may_answer(uow, request, actor_id)):
        raise NotFound(_("That request doesn't exist."))
    return request


async def may_answer(uow: UnitOfWork, request: SupplyRequest, seller_id: int | None) -> bool:
    """A seller asked to answer; or, for an open request, any seller with a published
    listing of the product."""
    if seller_id is None or seller_id == request.buyer_id:
        return False
    if await is_invited(uow, request.id, seller_id):
        return True
    return not request.private and await uow.session.scalar(select(Listing.id).where(
        Listing.seller_id == seller_id, Listing.product_type == request.product_type,
        Listing.status == ListingState.PUBLISHED).limit(1)) is not None


async def mine(uow: UnitOfWork, buyer_id: int, limit: int = 20) -> list[RequestView]:
    """The buyer's requests, newest first."""
    return [request_view(request) for request in (await uow.session.execute(select(
        SupplyRequest).where(SupplyRequest.buyer_id == buyer_id)
        .order_by(SupplyRequest.id.desc()).limit(limit))).scalars()]


async def close(uow: UnitOfWork, request_id: int, buyer_id: int) -> RequestView:
    """The buyer stops the request: no more quotes; those still open close, their sellers
    told (what was awarded stays awarded)."""
    request = await get(uow, request_id, buyer_id)
    if request.buyer_id != buyer_id:
        raise NotAllowed(_("Only the buyer closes the request."))
    if request.mode in auction_rules.BIDDING:
        raise Conflict(_("A tender or auction closes at its deadline, as its bidders were "
                         "told; to stop it, ask support."))
    request = await request_award.held(uow, request_id)
    request.status = RequestState.CLOSED
    await decline_open_quotes(uow, request_id, CLOSED_BY_BUYER)
    return request_view(request)


async def is_invited(uow: UnitOfWork, request_id: int, seller_id: int | None) -> bool:
    if seller_id is None:
        return False
    return await uow.get(RequestInvite, (request_id, seller_id)) is not None
