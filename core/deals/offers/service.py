"""Offers and counter-offers on a listing, and accepting one: a deal, with the quantity
reserved from the listing in the same transaction so the last stock is never sold twice.

Every transition is checked against the offer process (who may take it, from which state) and
guarded in the database by a conditional update on the offer's status."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from core.catalog.events import ListingChanged
from core.catalog.listing_card import ListingCard
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.catalog.views import viewable
from core.companies.billing import parties_for
from core.companies.service import seat_of
from core.deals import call_offs, on_terms, pay_terms, request_award, rules
from core.deals.contracts import service as contracts
from core.deals.events import DealAgreed, OfferClosed, OfferMade
from core.deals.offers import spending
from core.deals.rules import PAYMENT_METHODS
from core.deals.tables import Deal, Offer
from core.deals.terms import service as deal_terms
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _, present
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, DEAL_PROCESS, OFFER_PROCESS, SELLER, OfferState
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

# How people call the provider's payment method types (Stripe's names).
METHOD_WORDS = {"card": N_("card"), "sepa_debit": N_("SEPA Direct Debit"), "link": N_("Link"),
                "customer_balance": N_("bank transfer"), "us_bank_account": N_("US bank account")}


def payment_words(method: str, accepted: tuple[str, ...]) -> str:
    """An offer's payment as people read it; escrow names only the ways the configured
    provider accepts (“Escrow through Agora (card)”), never one it does not."""
    label = _(PAYMENT_METHODS[method]) if method in PAYMENT_METHODS else ""
    if method != "escrow" or not accepted:
        return label
    ways = [_(METHOD_WORDS[m]) if m in METHOD_WORDS else m.replace("_", " ") for m in accepted]
    either = ways[0]
    for way in ways[1:]:
        either = _("{first} or {second}", first=either, second=way)
    return f"{label} ({either})"
REQUEST_AWARDED = "The request was awarded to other quotes."  # kept as the reason, in English
EXPIRY_CHOICES = (timedelta(hours=24), timedelta(hours=48), timedelta(days=7))


@dataclass(frozen=True)
class Terms:
    """What an offer proposes: quantity in the listing's unit, a price per unit, how and when
    it is delivered and paid, and how long the other side has to answer."""

    quantity: Decimal
    price: Money
    incoterm: str | None = None
    place: str | None = None
    delivery_from: date | None = None
    delivery_to: date | None = None
    payment_method: str = "escrow"
    expires_in: timedelta | None = None  # the offer process's default (48 h) when None
    call_offs: int | None = None  # a framework contract: `quantity` this many times…
    call_off_every: str | None = None  # …at this interval (core.deals.call_offs.EVERY)


def terms_of_offer(offer: Offer) -> Terms:
    """An offer's terms, as a counter-offer's form starts from them."""
    return Terms(Decimal(offer.quantity_milli) / 1000, Money(offer.price_minor, offer.currency),
                 offer.incoterm, offer.place, offer.delivery_from, offer.delivery_to,
                 offer.payment_method, call_offs=offer.call_offs,
                 call_off_every=offer.call_off_every)


@dataclass(frozen=True)
class OfferFacts:
    """One round of a negotiation, as its card shows it."""

    id: int
    listing_id: int
    buyer_id: int
    seller_id: int
    made_by: str  # buyer | seller
    status: str
    quantity: Decimal  # per delivery (per call-off for a contract)
    price: Money  # per unit
    total: Money  # price times quantity
    incoterm: str | None
    place: str | None
    delivery_from: date | None
    delivery_to: date | None
    payment_method: str
    call_offs: int | None
    call_off_every: str | None
    previous_id: int | None  # the round this one answers
    request_id: int | None  # the request for supply it quotes on
    reason: str | None  # why it was declined
    expires_at: datetime
    terms: Terms  # the terms as a counter-offer's form starts from them

    @property
    def currency(self) -> str:
        return self.price.currency

    @property
    def contract_quantity(self) -> Decimal:
        """The quantity over all its call-offs (one delivery's when it has none)."""
        return present.thousandths(int(self.quantity * 1000) * (self.call_offs or 1))


def offer_facts(row: Offer) -> OfferFacts:
    price = Money(row.price_minor, row.currency)
    return OfferFacts(
        id=row.id, listing_id=row.listing_id, buyer_id=row.buyer_id, seller_id=row.seller_id,
        made_by=row.made_by, status=row.status, quantity=present.thousandths(row.quantity_milli),
        price=price, total=rules.line_total(price, row.quantity_milli), incoterm=row.incoterm,
        place=row.place, delivery_from=row.delivery_from, delivery_to=row.delivery_to,
        payment_method=row.payment_method, call_offs=row.call_offs,
        call_off_every=row.call_off_every, previous_id=row.previous_id,
        request_id=row.request_id, reason=row.reason, expires_at=row.expires_at,
        terms=terms_of_offer(row))


def changes(before: Terms, after: Terms) -> list[str]:
    """The names of the terms that differ between two rounds (“what changed”)."""
    return [f.name for f in fields(Terms) if f.name != "expires_in"
            and getattr(before, f.name) != getattr(after, f.name)]


async def make_offer(uow: UnitOfWork, listing_id: int, buyer_id: int, terms: Terms,
                     approved: bool = False) -> Offer:
    """A buyer's first offer on a published listing (a company buyer's above her spending
    limit only once `approved`: core.deals.approvals.service)."""
    listing = await viewable(uow, listing_id, buyer_id)
    if listing.seller_id == buyer_id:
        raise NotAllowed(_("That is your own listing."))
    if listing.status != ListingState.PUBLISHED:
        raise Conflict(_("That listing is not open for offers."))
    await _within_limit(uow, buyer_id, terms, approved)
    return await _new_offer(uow, listing, buyer_id, BUYER, terms, previous=None)


async def quote(uow: UnitOfWork, listing_id: int, seller_id: int, buyer_id: int,
                terms: Terms, request_id: int | None = None) -> Offer:
    """The seller's offer to a buyer who asked for a quote (in their thread on the listing, or
    by a request for supply: core.deals.requests.quotes checks it first)."""
    listing = await _listing(uow, listing_id)
    if listing.seller_id != seller_id:
        raise NotFound(_("That listing doesn't exist."))
    if buyer_id == seller_id or listing.status != ListingState.PUBLISHED:
        raise Conflict(_("That listing is not open for offers."))
    return await _new_offer(uow, listing, buyer_id, SELLER, terms, previous=None,
                            request_id=request_id)


async def get(uow: UnitOfWork, offer_id: int, actor_id: int | None) -> tuple[Offer, str]:
    """An offer and the actor's role in it (buyer or seller); NotFound for anyone else."""
    return await _party(uow, offer_id, actor_id)


async def summary(uow: UnitOfWork, offer_id: int, actor_id: int | None
                  ) -> tuple[OfferFacts, str]:
    """`get` as flows read it: the offer's read model and the actor's role in it."""
    offer, role = await _party(uow, offer_id, actor_id)
    return offer_facts(offer), role


async def send_quote(uow: UnitOfWork, listing_id: int, seller_id: int, buyer_id: int,
                     terms: Terms) -> OfferFacts:
    """`quote` as flows make it: the seller's offer to a buyer, as its read model."""
    return offer_facts(await quote(uow, listing_id, seller_id, buyer_id, terms))


async def counter(uow: UnitOfWork, offer_id: int, actor_id: int, terms: Terms,
                  approved: bool = False) -> Offer:
    """The other party answers an open offer with new terms; the history is kept."""
    offer, role = await _party(uow, offer_id, actor_id)
    _check_other_side(offer, role, "counter-offer")
    if role == BUYER:
        await _within_limit(uow, actor_id, terms, approved)
    if offer.request_id is not None:  # a quote's negotiation keeps to its request
        await request_award.check_counter(uow, offer, int(terms.quantity * 1000)
                                          * (terms.call_offs or 1), terms.price)
    await _close(uow, offer, "countered")
    listing = await _listing(uow, offer.listing_id)
    return await _new_offer(uow, listing, offer.buyer_id, role, terms, previous=offer.id,
                            request_id=offer.request_id)


async def decline(uow: UnitOfWork, offer_id: int, actor_id: int, reason: str = "") -> Offer:
    offer, role = await _party(uow, offer_id, actor_id)
    _check_other_side(offer, role, "decline-offer")
    await _close(uow, offer, "declined", reason=reason or None)
    return offer


async def withdraw(uow: UnitOfWork, offer_id: int, actor_id: int) -> Offer:
    """The party who made an open offer takes it back."""
    offer, role = await _party(uow, offer_id, actor_id)
    OFFER_PROCESS.check("withdraw-offer", offer.status, role)
    if role != offer.made_by:
        raise NotAllowed(_("Only who made the offer can withdraw it."))
    await _close(uow, offer, "withdrawn")
    return offer


async def accept(uow: UnitOfWork, offer_id: int, actor_id: int, approved: bool = False) -> Deal:
    """The other party accepts: the offer closes, the quantity leaves the listing's stock
    (refused when not enough is left) and a deal is agreed — all in this transaction."""
    offer, role = await _party(uow, offer_id, actor_id)
    _check_other_side(offer, role, "accept-offer")
    if role == BUYER:
        await _within_limit(uow, actor_id, terms_of_offer(offer), approved)
    return await _agree(uow, offer, accepter=role)


async def buy_now(uow: UnitOfWork, listing_id: int, buyer_id: int, terms: Terms,
                  approved: bool = False) -> Deal:
    """A fixed-price listing bought at its listed price: the buyer's offer is accepted at once
    (the seller agreed to that price by listing it)."""
    listing = await viewable(uow, listing_id, buyer_id)
    if listing.negotiable:
        raise Conflict(_("That listing's price is negotiable: make an offer instead."))
    if terms.price != Money(listing.price_minor, listing.currency):
        raise Conflict(_("The listed price changed a moment ago; look at the listing again."))
    if not listed_delivery(listing, terms.incoterm, terms.place):
        raise DomainError(_("Buy now takes the listing's own delivery ({offered}). "
                            "For other terms, make an offer the seller can accept.",
                            offered=_offered(listing)))
    return await _agree(uow, await make_offer(uow, listing_id, buyer_id, terms, approved))


async def _within_limit(uow: UnitOfWork, buyer_id: int, terms: Terms, approved: bool) -> None:
    total = spending.commitment(terms.price, terms.quantity, terms.call_offs)
    await spending.check_within_limit(uow, buyer_id, total, approved)


# Terms under which the goods change hands at the seller's place: the listing names that place.
AT_SELLERS = ("EXW", "FCA", "pickup")


def listed_delivery(listing: Listing | ListingCard, incoterm: str | None, place: str | None) -> bool:
    """Whether an Incoterm and place are among what the listing offers (what Buy now may
    bind the seller to): one of its delivery options, at its own place where the goods are
    handed over there; its “delivery within a radius” stands for DAP."""
    offered = set(listing.delivery or [])
    if "delivery" in offered:
        offered.add("DAP")
    if incoterm not in offered:
        return False
    if incoterm not in AT_SELLERS:
        return True
    own = {(p or "").strip().casefold() for p in (listing.incoterm_place, listing.city) if p}
    return (place or "").strip().casefold() in own


def _offered(listing: Listing) -> str:
    where = listing.incoterm_place or listing.city
    options = ", ".join(str(d) for d in listing.delivery or [])
    return _("{options} at {place}", options=options, place=where) if where else options


async def usual_terms(uow: UnitOfWork, buyer_id: int) -> Terms | None:
    """The buyer's last offer's terms (their usual Incoterm and place, as a default)."""
    last = (await uow.session.execute(select(Offer).where(
        Offer.buyer_id == buyer_id, Offer.made_by == BUYER).order_by(Offer.id.desc()).limit(1)
    )).scalar()
    return terms_of_offer(last) if last is not None else None


async def _agree(uow: UnitOfWork, offer: Offer, accepter: str = BUYER) -> Deal:
    """Close the offer as accepted, take its quantity from the stock and agree the deal (a quote
    on a request: awarded within what the request still needs)."""
    whole = await request_award.award(uow, offer) if offer.request_id else False
    await _close(uow, offer, "accepted")
    await _reserve(uow, offer.listing_id, offer.quantity_milli * (offer.call_offs or 1))
    now = uow.clock.now()
    contract = await contracts.open_for(uow, offer) if offer.call_offs else None
    seat = await seat_of(uow, offer.buyer_id)  # bought for the company: colleagues see it
    await on_terms.check(uow, offer.buyer_id, offer.payment_method,  # still within its limit
                         rules.line_total(Money(offer.price_minor, offer.currency),
                                          offer.quantity_milli), by_buyer=accepter == BUYER)
    deal = Deal(offer_id=offer.id, listing_id=offer.listing_id, buyer_id=offer.buyer_id,
                company_id=seat.company.id if seat else None,
                contract_id=contract.id if contract else None, call_off=1 if contract else None,
                seller_id=offer.seller_id, status=DEAL_PROCESS.initial,
                quantity_milli=offer.quantity_milli, price_minor=offer.price_minor,
                currency=offer.currency, payment_days=pay_terms.net_days(offer.payment_method),
                created_at=now, updated_at=now)
    await uow.insert(deal)
    timers.start(uow, DEAL_PROCESS, deal.id, deal.status)
    version = await deal_terms.first_version(uow, deal, await _terms_of(uow, offer))
    uow.emit(DealAgreed(deal.id, version.id))
    if whole and offer.request_id:  # the request is covered: the other quotes close
        await decline_open_quotes(uow, offer.request_id, REQUEST_AWARDED)
    return deal


async def decline_open_quotes(uow: UnitOfWork, request_id: int, reason: str) -> None:
    """Close every quote (and counter) still open on a request that stops taking them —
    awarded in full, closed by its buyer, cancelled — with the reason their notices give."""
    for offer in list((await uow.session.execute(select(Offer).where(
            Offer.request_id == request_id, Offer.status == OfferState.OPEN))).scalars()):
        await _moved(uow, offer, "declined", reason)


async def _terms_of(uow: UnitOfWork, offer: Offer) -> dict[str, Any]:
    """What both parties agreed, as the first version of the deal's terms (a contract's with
    its schedule of call-offs, of which this deal is the first)."""
    listing = await _listing(uow, offer.listing_id)
    seller, buyer = await parties_for(uow, offer.seller_id, offer.buyer_id)
    price = Money(offer.price_minor, offer.currency)
    quantity = Decimal(offer.quantity_milli) / 1000
    schedule = {"schedule": call_offs.frozen(
        offer.call_offs, offer.call_off_every or "", contracts.first_date(uow, offer), quantity,
        listing.unit)
    } if offer.call_offs else {}
    return {**schedule, "buyer_id": offer.buyer_id, "seller_id": offer.seller_id, "listing_id": listing.id,
            "product": listing.product_type, "title": listing.title, "unit": listing.unit,
            "grade": listing.grade or None,
            "certifications": [str(c) for c in listing.certifications or []],
            "parties": {"seller": seller.frozen(), "buyer": buyer.frozen()},
            "quantity": f"{quantity.normalize():f}", "unit_price": str(price.decimal),
            "currency": offer.currency, "incoterm": offer.incoterm, "place": offer.place,
            "specs": dict(listing.specs or {}), "offer_id": offer.id,
            "delivery_from": _iso(offer.delivery_from), "delivery_to": _iso(offer.delivery_to),
            "payment_method": offer.payment_method,
            "tolerance_percent": str(rules.QUANTITY_TOLERANCE_PERCENT),
            "quality": rules.default_specs(listing.specs or {}, price),
            "deadlines": deal_terms.deadlines(offer.payment_method)}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def expire_due(uow: UnitOfWork) -> list[int]:
    """Offers past their expiry close themselves; returns their ids."""
    return [offer_id for offer_id, fires in await timers.claim_due(uow, OFFER_PROCESS)
            if fires == "expire-offer" and await expire(uow, offer_id)]


async def expire(uow: UnitOfWork, offer_id: int) -> bool:
    """A claimed expiry timer: the offer closes unanswered (both parties are told); False when
    it was answered meanwhile."""
    offer = await uow.get(Offer, offer_id)
    if offer is None or not await _moved(uow, offer, "expired"):
        return False
    return True


# --- helpers --------------------------------------------------------------------------------


async def _new_offer(uow: UnitOfWork, listing: Listing, buyer_id: int, made_by: str,
                     terms: Terms, previous: int | None, request_id: int | None = None) -> Offer:
    """An open offer, with its expiry timer running."""
    milli = _check_terms(listing, terms)
    await on_terms.check(uow, buyer_id, terms.payment_method,
                         rules.line_total(terms.price, milli), by_buyer=made_by == BUYER)
    now = uow.clock.now()
    expires = now + (terms.expires_in or OFFER_PROCESS.timers_in("open")[0].after)
    offer = Offer(listing_id=listing.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                  made_by=made_by, status=OFFER_PROCESS.initial, quantity_milli=milli,
                  price_minor=terms.price.amount, currency=terms.price.currency,
                  incoterm=terms.incoterm, place=terms.place, delivery_from=terms.delivery_from,
                  delivery_to=terms.delivery_to, payment_method=terms.payment_method,
                  call_offs=terms.call_offs,
                  call_off_every=terms.call_off_every if terms.call_offs else None,
                  previous_id=previous, request_id=request_id, expires_at=expires,
                  created_at=now)
    await uow.insert(offer)
    timers.start(uow, OFFER_PROCESS, offer.id, offer.status, due={"expire-offer": expires})
    uow.emit(OfferMade(offer.id))
    return offer


def _check_terms(listing: Listing, terms: Terms) -> int:
    """The quantity in thousandths, by the offer's rules against this listing."""
    return rules.checked_terms(listing.currency, listing.min_order_milli, listing.quantity_milli,
                               terms.quantity, terms.price, terms.payment_method,
                               terms.delivery_from, terms.delivery_to, terms.expires_in,
                               terms.call_offs, terms.call_off_every)


async def _party(uow: UnitOfWork, offer_id: int, actor_id: int | None) -> tuple[Offer, str]:
    offer = await uow.get(Offer, offer_id)
    if offer is None:
        raise NotFound(_("That offer doesn't exist."))
    if actor_id == offer.buyer_id:
        return offer, BUYER
    if actor_id == offer.seller_id:
        return offer, SELLER
    raise NotFound(_("That offer doesn't exist."))  # no hint to strangers that it does


def _check_other_side(offer: Offer, role: str, transition: str) -> None:
    OFFER_PROCESS.check(transition, offer.status, role)
    if role == offer.made_by:
        raise NotAllowed(_("That is for the other party: you made this offer."))


async def _close(uow: UnitOfWork, offer: Offer, status: str, reason: str | None = None) -> None:
    if not await _moved(uow, offer, status, reason):
        raise Conflict(_("That offer was answered a moment ago; look at it again."))


async def _moved(uow: UnitOfWork, offer: Offer, status: str, reason: str | None = None) -> bool:
    """open → `status` by a conditional update; False when it was no longer open."""
    now = uow.clock.now()
    done = await (await uow.core()).execute(_DECIDE, {
        "o_id": offer.id, "o_to": status, "o_at": now, "o_reason": reason})
    if done.rowcount != 1:
        return False
    for name, value in (("status", status), ("decided_at", now), ("reason", reason)):
        set_committed_value(offer, name, value)  # what the row now holds: no second UPDATE
    await timers.stop(uow, OFFER_PROCESS, offer.id, "open")
    uow.emit(OfferClosed(offer.id, status))
    return True


async def _listing(uow: UnitOfWork, listing_id: int) -> Listing:
    listing = await uow.get(Listing, listing_id)
    if listing is None:
        raise NotFound(_("That listing doesn't exist any more."))
    return listing


async def _reserve(uow: UnitOfWork, listing_id: int, milli: int) -> None:
    """Take the quantity from the stock in one conditional update: two buyers accepting the
    last tonnes at once can't both get them; the listing sells out at zero."""
    now = uow.clock.now()
    left = (await (await uow.core()).execute(_RESERVE, {
        "l_id": listing_id, "l_milli": milli, "l_at": now})).first()
    if left is None:
        raise Conflict(_("Not enough is left on that listing any more."))
    held = uow.session.identity_map.get(identity_key(Listing, listing_id))
    if held is not None:  # the session's row, as the row now is
        for name, value in (*left._mapping.items(), ("updated_at", now)):
            set_committed_value(held, name, value)
    uow.emit(ListingChanged(listing_id, "published"))


# Built once, run on the transaction's connection: every offer answered and every deal agreed
# takes them. The session's rows are updated by hand (`_moved`) or not held (the listing).
_OFFERS, _LISTINGS = table_of(Offer), table_of(Listing)
_DECIDE = (update(_OFFERS).where(_OFFERS.c.id == bindparam("o_id"),
                                 _OFFERS.c.status == OfferState.OPEN.value)
           .values(status=bindparam("o_to"), decided_at=bindparam("o_at"),
                   reason=bindparam("o_reason")))
_LEFT = _LISTINGS.c.quantity_milli - bindparam("l_milli")
_RESERVE = (update(_LISTINGS).where(
    _LISTINGS.c.id == bindparam("l_id"), _LISTINGS.c.status == ListingState.PUBLISHED.value,
    _LISTINGS.c.quantity_milli >= bindparam("l_milli"))
    .values(quantity_milli=_LEFT, updated_at=bindparam("l_at"),
            status=case((_LEFT == 0, ListingState.SOLD_OUT.value), else_=_LISTINGS.c.status))
    .returning(_LISTINGS.c.quantity_milli, _LISTINGS.c.status))
