"""Offers and counter-offers on a listing, and accepting one: a deal, with the quantity
reserved from the listing in the same transaction so the last stock is never sold twice.

Every transition is checked against the offer process (who may take it, from which state) and
guarded in the database by a conditional update on the offer's status (`rounds`); accepting
agrees the deal (`agreement`)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.catalog.listing_card import ListingCard
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.catalog.views import viewable
from core.deals import request_award
from core.deals.offers import spending
from core.deals.offers.agreement import _agree
from core.deals.offers.facts import OfferFacts, Terms, offer_facts, terms_of_offer
from core.deals.offers.rounds import _close, _listing, _moved, _new_offer
from core.deals.tables import Deal, Offer
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, OFFER_PROCESS, SELLER
from core.storage.uow import UnitOfWork

EXPIRY_CHOICES = (timedelta(hours=24), timedelta(hours=48), timedelta(days=7))


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
