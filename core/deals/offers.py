"""Offers and counter-offers on a listing, and accepting one: a deal, with the quantity
reserved from the listing in the same transaction so the last stock is never sold twice.

Every transition is checked against the offer process (who may take it, from which state) and
guarded in the database by a conditional update on the offer's status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from core.catalog.events import ListingChanged
from core.catalog.tables import Listing
from core.catalog.views import viewable
from core.deals import terms as deal_terms
from core.deals import timers
from core.deals.events import OfferExpired
from core.deals.process import BUYER, DEAL_PROCESS, OFFER_PROCESS, SELLER
from core.deals.tables import Deal, Offer
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Terms:
    """What an offer proposes: quantity in the listing's unit, a price per unit."""

    quantity: Decimal
    price: Money
    incoterm: str | None = None
    place: str | None = None


async def make_offer(uow: UnitOfWork, listing_id: int, buyer_id: int, terms: Terms) -> Offer:
    """A buyer's first offer on a published listing."""
    listing = await viewable(uow, listing_id, buyer_id)
    if listing.seller_id == buyer_id:
        raise NotAllowed("That is your own listing.")
    if listing.status != "published":
        raise Conflict("That listing is not open for offers.")
    return await _new_offer(uow, listing, buyer_id, BUYER, terms, previous=None)


async def counter(uow: UnitOfWork, offer_id: int, actor_id: int, terms: Terms) -> Offer:
    """The other party answers an open offer with new terms; the history is kept."""
    offer, role = await _party(uow, offer_id, actor_id)
    _check_other_side(offer, role, "counter-offer")
    await _close(uow, offer, "countered")
    listing = await _listing(uow, offer.listing_id)
    return await _new_offer(uow, listing, offer.buyer_id, role, terms, previous=offer.id)


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
        raise NotAllowed("Only who made the offer can withdraw it.")
    await _close(uow, offer, "withdrawn")
    return offer


async def accept(uow: UnitOfWork, offer_id: int, actor_id: int) -> Deal:
    """The other party accepts: the offer closes, the quantity leaves the listing's stock
    (refused when not enough is left) and a deal is agreed — all in this transaction."""
    offer, role = await _party(uow, offer_id, actor_id)
    _check_other_side(offer, role, "accept-offer")
    await _close(uow, offer, "accepted")
    await _reserve(uow, offer.listing_id, offer.quantity_milli)
    now = uow.clock.now()
    deal = Deal(offer_id=offer.id, listing_id=offer.listing_id, buyer_id=offer.buyer_id,
                seller_id=offer.seller_id, status=DEAL_PROCESS.initial,
                quantity_milli=offer.quantity_milli, price_minor=offer.price_minor,
                currency=offer.currency, created_at=now, updated_at=now)
    uow.add(deal)
    await uow.session.flush()
    timers.start(uow, DEAL_PROCESS, deal.id, deal.status)
    await deal_terms.first_version(uow, deal, await _terms_of(uow, offer))
    return deal


async def _terms_of(uow: UnitOfWork, offer: Offer) -> dict[str, Any]:
    """What both parties agreed, as the first version of the deal's terms."""
    listing = await _listing(uow, offer.listing_id)
    price = Money(offer.price_minor, offer.currency)
    quantity = Decimal(offer.quantity_milli) / 1000
    return {"buyer_id": offer.buyer_id, "seller_id": offer.seller_id, "listing_id": listing.id,
            "product": listing.product_type, "title": listing.title, "unit": listing.unit,
            "quantity": f"{quantity.normalize():f}", "unit_price": str(price.decimal),
            "currency": offer.currency, "incoterm": offer.incoterm, "place": offer.place,
            "specs": dict(listing.specs or {}), "offer_id": offer.id}


async def expire_due(uow: UnitOfWork) -> list[int]:
    """Offers past their expiry close themselves; returns their ids."""
    return [offer_id for offer_id, fires in await timers.claim_due(uow, OFFER_PROCESS)
            if fires == "expire-offer" and await expire(uow, offer_id)]


async def expire(uow: UnitOfWork, offer_id: int) -> bool:
    """A claimed expiry timer: the offer closes unanswered (both parties are told); False when
    it was answered meanwhile."""
    offer = await uow.session.get(Offer, offer_id)
    if offer is None or not await _moved(uow, offer, "expired"):
        return False
    uow.emit(OfferExpired(offer.id, offer.buyer_id, offer.seller_id))
    return True


# --- helpers --------------------------------------------------------------------------------


async def _new_offer(uow: UnitOfWork, listing: Listing, buyer_id: int, made_by: str,
                     terms: Terms, previous: int | None) -> Offer:
    """An open offer, with its expiry timer running."""
    milli = _check_terms(listing, terms)
    now = uow.clock.now()
    offer = Offer(listing_id=listing.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                  made_by=made_by, status=OFFER_PROCESS.initial, quantity_milli=milli,
                  price_minor=terms.price.amount, currency=terms.price.currency,
                  incoterm=terms.incoterm, place=terms.place, previous_id=previous,
                  expires_at=now + OFFER_PROCESS.timers_in("open")[0].after, created_at=now)
    uow.add(offer)
    await uow.session.flush()
    timers.start(uow, OFFER_PROCESS, offer.id, offer.status)
    return offer


def _check_terms(listing: Listing, terms: Terms) -> int:
    """The quantity in thousandths, within the minimum order and the stock; a positive price
    in the listing's currency."""
    if terms.price.currency != listing.currency:
        raise DomainError(f"Offers on this listing are in {listing.currency}.")
    if terms.price.amount <= 0:
        raise DomainError("The price must be more than zero.")
    milli = int(terms.quantity * 1000)
    if milli <= 0 or milli != terms.quantity * 1000:
        raise DomainError("The quantity must be a positive amount, at most 3 decimals.")
    if listing.min_order_milli and milli < listing.min_order_milli:
        raise DomainError(f"The minimum order is {Decimal(listing.min_order_milli) / 1000:f}.")
    if milli > listing.quantity_milli:
        raise DomainError(f"Only {Decimal(listing.quantity_milli) / 1000:f} are available.")
    return milli


async def _party(uow: UnitOfWork, offer_id: int, actor_id: int) -> tuple[Offer, str]:
    offer = await uow.session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("That offer doesn't exist.")
    if actor_id == offer.buyer_id:
        return offer, BUYER
    if actor_id == offer.seller_id:
        return offer, SELLER
    raise NotFound("That offer doesn't exist.")  # no hint to strangers that it does


def _check_other_side(offer: Offer, role: str, transition: str) -> None:
    OFFER_PROCESS.check(transition, offer.status, role)
    if role == offer.made_by:
        raise NotAllowed("That is for the other party: you made this offer.")


async def _close(uow: UnitOfWork, offer: Offer, status: str, reason: str | None = None) -> None:
    if not await _moved(uow, offer, status, reason):
        raise Conflict("That offer was answered a moment ago; look at it again.")


async def _moved(uow: UnitOfWork, offer: Offer, status: str, reason: str | None = None) -> bool:
    """open → `status` by a conditional update; False when it was no longer open."""
    done = await uow.session.execute(update(Offer).where(
        Offer.id == offer.id, Offer.status == "open")
        .values(status=status, decided_at=uow.clock.now(), reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    offer.status = status
    await timers.stop(uow, OFFER_PROCESS, offer.id, "open")
    return True


async def _listing(uow: UnitOfWork, listing_id: int) -> Listing:
    listing = await uow.session.get(Listing, listing_id)
    if listing is None:
        raise NotFound("That listing doesn't exist any more.")
    return listing


async def _reserve(uow: UnitOfWork, listing_id: int, milli: int) -> None:
    """Take the quantity from the stock in one conditional update: two buyers accepting the
    last tonnes at once can't both get them; the listing sells out at zero."""
    taken = await uow.session.execute(update(Listing).where(
        Listing.id == listing_id, Listing.status == "published", Listing.quantity_milli >= milli)
        .values(quantity_milli=Listing.quantity_milli - milli, updated_at=uow.clock.now())
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("Not enough is left on that listing any more.")
    await uow.session.execute(update(Listing).where(
        Listing.id == listing_id, Listing.quantity_milli == 0).values(status="sold_out")
        .execution_options(synchronize_session=False))
    uow.emit(ListingChanged(listing_id, "published"))
