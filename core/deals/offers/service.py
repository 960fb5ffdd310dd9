"""Offers and counter-offers on a listing, and accepting one: a deal, with the quantity
reserved from the listing in the same transaction so the last stock is never sold twice.

Every transition is checked against the offer process (who may take it, from which state) and
guarded in the database by a conditional update on the offer's status (`rounds`); accepting
agrees the deal (`agreement`)."""

from __future__ import annotations

from datetime import timedelta

from core.catalog.listing_card import ListingCard
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.catalog.views import can_see
from core.deals import accepted, on_terms, pay_terms, rules
from core.deals.offers import rounds, spending
from core.deals.offers.facts import OfferFacts, Terms, offer_facts, terms_of_offer
from core.deals.offers.negotiation import Negotiation
from core.deals.offers.sql_negotiation import negotiation_of
from core.deals.tables import Deal, Offer
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, OFFER_PROCESS, SELLER
from core.storage.uow import UnitOfWork

EXPIRY_CHOICES = (timedelta(hours=24), timedelta(hours=48), timedelta(days=7))


async def make_offer(uow: UnitOfWork | Negotiation, listing_id: int, buyer_id: int,
                     terms: Terms, approved: bool = False) -> Offer:
    """A buyer's first offer on a published listing (a company buyer's above her spending
    limit only once `approved`: core.deals.approvals.service)."""
    book = negotiation_of(uow)
    listing = await book.listing(listing_id)
    if listing is None or not can_see(listing, buyer_id):
        raise NotFound(_("That listing is no longer available."))
    if listing.seller_id == buyer_id:
        raise NotAllowed(_("That is your own listing."))
    if listing.status != ListingState.PUBLISHED:
        raise Conflict(_("That listing is not open for offers."))
    await _within_limit(book, buyer_id, terms, approved)
    return await _new_offer(book, listing, buyer_id, BUYER, terms, previous=None)


async def quote(uow: UnitOfWork | Negotiation, listing_id: int, seller_id: int, buyer_id: int,
                terms: Terms, request_id: int | None = None) -> Offer:
    """The seller's offer to a buyer who asked for a quote (in their thread on the listing, or
    by a request for supply: core.deals.requests.quotes checks it first)."""
    book = negotiation_of(uow)
    listing = await _listing(book, listing_id)
    if listing.seller_id != seller_id:
        raise NotFound(_("That listing doesn't exist."))
    if buyer_id == seller_id or listing.status != ListingState.PUBLISHED:
        raise Conflict(_("That listing is not open for offers."))
    return await _new_offer(book, listing, buyer_id, SELLER, terms, previous=None,
                            request_id=request_id)


async def get(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int | None
              ) -> tuple[Offer, str]:
    """An offer and the actor's role in it (buyer or seller); NotFound for anyone else."""
    return await _party(negotiation_of(uow), offer_id, actor_id)


async def summary(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int | None
                  ) -> tuple[OfferFacts, str]:
    """`get` as flows read it: the offer's read model and the actor's role in it."""
    offer, role = await _party(negotiation_of(uow), offer_id, actor_id)
    return offer_facts(offer), role


async def send_quote(uow: UnitOfWork | Negotiation, listing_id: int, seller_id: int,
                     buyer_id: int, terms: Terms) -> OfferFacts:
    """`quote` as flows make it: the seller's offer to a buyer, as its read model."""
    return offer_facts(await quote(uow, listing_id, seller_id, buyer_id, terms))


async def counter(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int, terms: Terms,
                  approved: bool = False) -> Offer:
    """The other party answers an open offer with new terms; the history is kept."""
    book = negotiation_of(uow)
    offer, role = await _party(book, offer_id, actor_id)
    _check_other_side(offer, role, "counter-offer")
    if role == BUYER:
        await _within_limit(book, actor_id, terms, approved)
    if offer.request_id is not None:  # a quote's negotiation keeps to its request
        await book.check_counter(offer, int(terms.quantity * 1000) * (terms.call_offs or 1),
                                 terms.price)
    await _close(book, offer, "countered")
    listing = await _listing(book, offer.listing_id)
    return await _new_offer(book, listing, offer.buyer_id, role, terms, previous=offer.id,
                            request_id=offer.request_id)


async def decline(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int,
                  reason: str = "") -> Offer:
    book = negotiation_of(uow)
    offer, role = await _party(book, offer_id, actor_id)
    _check_other_side(offer, role, "decline-offer")
    await _close(book, offer, "declined", reason=reason or None)
    return offer


async def withdraw(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int) -> Offer:
    """The party who made an open offer takes it back."""
    book = negotiation_of(uow)
    offer, role = await _party(book, offer_id, actor_id)
    OFFER_PROCESS.check("withdraw-offer", offer.status, role)
    if role != offer.made_by:
        raise NotAllowed(_("Only who made the offer can withdraw it."))
    await _close(book, offer, "withdrawn")
    return offer


async def accept(uow: UnitOfWork | Negotiation, offer_id: int, actor_id: int,
                 approved: bool = False) -> Deal:
    """The other party accepts: the offer closes, the quantity leaves the listing's stock
    (refused when not enough is left) and a deal is agreed — all in this transaction."""
    book = negotiation_of(uow)
    offer, role = await _party(book, offer_id, actor_id)
    _check_other_side(offer, role, "accept-offer")
    if role == BUYER:
        await _within_limit(book, actor_id, terms_of_offer(offer), approved)
    return await book.agree(offer, role)


async def buy_now(uow: UnitOfWork | Negotiation, listing_id: int, buyer_id: int, terms: Terms,
                  approved: bool = False) -> Deal:
    """A fixed-price listing bought at its listed price: the buyer's offer is accepted at once
    (the seller agreed to that price by listing it)."""
    book = negotiation_of(uow)
    listing = await book.listing(listing_id)
    if listing is None or not can_see(listing, buyer_id):
        raise NotFound(_("That listing is no longer available."))
    if listing.negotiable:
        raise Conflict(_("That listing's price is negotiable: make an offer instead."))
    if terms.price != Money(listing.price_minor, listing.currency):
        raise Conflict(_("The listed price changed a moment ago; look at the listing again."))
    if not listed_delivery(listing, terms.incoterm, terms.place):
        raise DomainError(_("Buy now takes the listing's own delivery ({offered}). "
                            "For other terms, make an offer the seller can accept.",
                            offered=_offered(listing)))
    return await book.agree(await make_offer(book, listing_id, buyer_id, terms, approved), BUYER)


async def _within_limit(book: Negotiation, buyer_id: int, terms: Terms, approved: bool) -> None:
    total = spending.commitment(terms.price, terms.quantity, terms.call_offs)
    spending.refuse_above_limit(await book.seat(buyer_id), total, approved)


async def _new_offer(book: Negotiation, listing: Listing, buyer_id: int, made_by: str,
                     terms: Terms, previous: int | None, request_id: int | None = None) -> Offer:
    """An open offer, with its expiry timer running: its terms checked against the listing,
    and payment on terms against the buyer's company."""
    offer = rounds.drafted(listing, buyer_id, made_by, terms, previous, request_id, book.now())
    accepted.check(await book.accepts(listing.seller_id), terms.price.currency,
                   terms.payment_method)
    days = pay_terms.net_days(terms.payment_method)
    if days is not None:
        on_terms.checked(days, rules.line_total(terms.price, offer.quantity_milli),
                         await book.credit(buyer_id), by_buyer=made_by == BUYER)
    await book.put(offer)
    return offer


async def _listing(book: Negotiation, listing_id: int) -> Listing:
    listing = await book.listing(listing_id)
    if listing is None:
        raise NotFound(_("That listing doesn't exist any more."))
    return listing


async def _close(book: Negotiation, offer: Offer, status: str, reason: str | None = None) -> None:
    if not await book.close(offer, status, reason):
        raise Conflict(_("That offer was answered a moment ago; look at it again."))


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


async def seller_takes(uow: UnitOfWork | Negotiation, seller_id: int) -> tuple[str, ...]:
    """The offers' ways to pay this seller takes (core.deals.accepted): what an offer's
    payment choice shows."""
    return accepted.offer_methods(await negotiation_of(uow).accepts(seller_id))


async def usual_terms(uow: UnitOfWork | Negotiation, buyer_id: int) -> Terms | None:
    """The buyer's last offer's terms (their usual Incoterm and place, as a default)."""
    last = await negotiation_of(uow).last_offer(buyer_id)
    return terms_of_offer(last) if last is not None else None


async def expire_due(uow: UnitOfWork) -> list[int]:
    """Offers past their expiry close themselves; returns their ids."""
    return [offer_id for offer_id, fires in await timers.claim_due(uow, OFFER_PROCESS)
            if fires == "expire-offer" and await expire(uow, offer_id)]


async def expire(uow: UnitOfWork, offer_id: int) -> bool:
    """A claimed expiry timer: the offer closes unanswered (both parties are told); False when
    it was answered meanwhile."""
    offer = await uow.get(Offer, offer_id)
    if offer is None or not await rounds._moved(uow, offer, "expired"):
        return False
    return True


async def _party(book: Negotiation, offer_id: int, actor_id: int | None) -> tuple[Offer, str]:
    offer = await book.offer(offer_id)
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
