"""Awarding a quote on a request for supply, inside the acceptance that makes it a deal
(core.deals.offers.agreement): the request's row is held by a conditional update, so of two awards at once
the second sees the first; the awarded quantity never exceeds what was asked, and a request
fully awarded stops taking quotes. (Below `offers`, which calls it; the service that makes
quotes is core.deals.requests.quotes.)"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from core.catalog.tables import Listing
from core.catalog.taxonomy import price_per_mwh_minor
from core.deals import request_rules
from core.deals.events import AwardUndone, DealMoved
from core.deals.request_rules import RequestState
from core.deals.tables import Deal, Offer, SupplyRequest
from core.errors import Conflict, DomainError
from core.i18n import _, present
from core.money.model import Money
from core.process.deals import DealState, OfferState
from core.storage.uow import UnitOfWork


async def held(uow: UnitOfWork, request_id: int) -> SupplyRequest:
    """The request, its row held until commit while it is open (Conflict once it is not)."""
    moved = await uow.session.execute(update(SupplyRequest).where(
        SupplyRequest.id == request_id, SupplyRequest.status == RequestState.OPEN)
        .values(updated_at=uow.clock.now()))
    request = await uow.get(SupplyRequest, request_id, populate_existing=True)
    if request is not None and request.status == RequestState.AWARDED:
        raise Conflict(_("That request is awarded in full already: it takes no more quotes or "
                         "further awards."))
    if moved.rowcount != 1 or request is None:  # type: ignore[attr-defined]
        raise Conflict(_("That request is closed: it takes no more quotes or awards."))
    return request


async def check_counter(uow: UnitOfWork, offer: Offer, milli: int, price: Any) -> None:
    """A counter-offer in a quote's negotiation keeps to the request: open, within what is
    still needed and under the buyer's ceiling."""
    assert offer.request_id is not None
    request = await uow.get(SupplyRequest, offer.request_id)
    if request is None or request.status != RequestState.OPEN:
        raise Conflict(_("That request is closed: it takes no more quotes or awards."))
    request_rules.checked_quote(milli, request.quantity_milli - await awarded_milli(
        uow, request.id), price, ceiling(request), request.unit)
    listing = await uow.get(Listing, offer.listing_id)
    energy = Decimal((listing.energy_mwh_per_unit if listing else None) or "0")
    if request.max_price_mwh_minor is not None:  # the buyer's ceiling per MWh holds too
        problems = request_rules.unmet({}, [], {}, [], price_per_mwh_minor(price.amount, energy),
                                       request.max_price_mwh_minor, request.currency)
        if problems:
            raise DomainError(_("Your listing doesn't answer this request: {problems}.",
                                problems="; ".join(problems)))


def ceiling(request: SupplyRequest) -> Money | None:
    """The most the buyer pays per unit, if she set it."""
    return Money(request.max_price_minor, request.currency) \
        if request.max_price_minor is not None else None


async def awarded_milli(uow: UnitOfWork, request_id: int) -> int:
    """What the request's accepted quotes cover so far, a framework contract's every call-off
    counted (a deal cancelled or refunded since covers nothing)."""
    total = await uow.session.scalar(
        select(func.coalesce(func.sum(Offer.quantity_milli * func.coalesce(Offer.call_offs, 1)),
                             0))
        .join(Deal, Deal.offer_id == Offer.id)
        .where(Offer.request_id == request_id, Offer.status == OfferState.ACCEPTED,
               Deal.status.not_in((DealState.CANCELLED, DealState.REFUNDED))))
    return int(total or 0)


async def award(uow: UnitOfWork, offer: Offer) -> bool:
    """Check the quote still fits (called before it is marked accepted); True when it covers
    the rest of the request, which is then awarded in full."""
    assert offer.request_id is not None
    request = await held(uow, offer.request_id)
    remaining = request.quantity_milli - await awarded_milli(uow, request.id)
    covered = offer.quantity_milli * (offer.call_offs or 1)  # a contract: every call-off
    if covered > remaining:
        raise DomainError(_("This request needs at most {quantity} more.",
                            quantity=present.quantity_milli(remaining, request.unit)))
    if covered == remaining:
        request.status = RequestState.AWARDED
        return True
    return False


async def on_deal_unfulfilled(uow: UnitOfWork, event: DealMoved) -> None:
    """The deal's "give-back-award": a deal from an award that ends unfulfilled gives its
    quantity back to its request: a request for quotes still taking them opens again; the buyer
    hears what is uncovered (and, for a tender or auction, may award the next bid:
    core.deals.requests.auctions.award_next)."""
    found = (await uow.session.execute(select(SupplyRequest, Deal).join(
        Offer, Offer.request_id == SupplyRequest.id).join(Deal, Deal.offer_id == Offer.id)
        .where(Deal.id == event.deal_id))).first()
    if found is None:
        return
    request, deal = found
    reopened = request.status == RequestState.AWARDED and request.mode == "quotes" \
        and uow.clock.now() < request.deadline
    if reopened:
        await uow.session.execute(update(SupplyRequest).where(
            SupplyRequest.id == request.id, SupplyRequest.status == RequestState.AWARDED)
            .values(status=RequestState.OPEN, updated_at=uow.clock.now()))
    uow.emit(AwardUndone(request.id, deal.id, reopened))
