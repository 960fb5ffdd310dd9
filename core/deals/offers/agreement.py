"""Agreeing a deal from an accepted offer, in the acceptance's transaction: the offer closed,
a quote's award within its request, the quantity taken from the listing's stock by one
conditional update, a framework contract opened, and the deal's first frozen terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from core.catalog.events import ListingChanged
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.companies.billing import parties_for
from core.companies.seats import seat_of
from core.deals import call_offs, on_terms, pay_terms, request_award, rules
from core.deals.contracts import service as contracts
from core.deals.events import DealAgreed
from core.deals.index_pricing import call_off_price
from core.deals.offers.rounds import _close, _listing, decline_open_quotes
from core.deals.tables import Deal, Offer
from core.deals.terms import service as deal_terms
from core.errors import Conflict
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, DEAL_PROCESS
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

REQUEST_AWARDED = "The request was awarded to other quotes."  # kept as the reason, in English


async def _agree(uow: UnitOfWork, offer: Offer, accepter: str = BUYER) -> Deal:
    """Close the offer as accepted, take its quantity from the stock and agree the deal (a quote
    on a request: awarded within what the request still needs)."""
    whole = await request_award.award(uow, offer) if offer.request_id else False
    await _close(uow, offer, "accepted")
    await _reserve(uow, offer.listing_id, offer.quantity_milli * (offer.call_offs or 1))
    now = uow.clock.now()
    contract = await contracts.open_for(uow, offer) if offer.call_offs else None
    seat = await seat_of(uow, offer.buyer_id)  # bought for the company: colleagues see it
    # An indexed contract's call-off 1 is priced now, as each later one is when it is made.
    priced = await call_off_price(uow, offer.price_index, offer.index_premium_minor,
                                  Money(offer.price_minor, offer.currency))
    await on_terms.check(uow, offer.buyer_id, offer.payment_method,  # still within its limit
                         rules.line_total(Money(priced.price_minor, offer.currency),
                                          offer.quantity_milli), by_buyer=accepter == BUYER)
    deal = Deal(offer_id=offer.id, listing_id=offer.listing_id, buyer_id=offer.buyer_id,
                company_id=seat.company.id if seat else None,
                contract_id=contract.id if contract else None, call_off=1 if contract else None,
                seller_id=offer.seller_id, status=DEAL_PROCESS.initial,
                quantity_milli=offer.quantity_milli, **priced.columns(),
                currency=offer.currency, payment_days=pay_terms.net_days(offer.payment_method),
                created_at=now, updated_at=now)
    await uow.insert(deal)
    timers.start(uow, DEAL_PROCESS, deal.id, deal.status)
    version = await deal_terms.first_version(uow, deal, await _terms_of(uow, offer))
    uow.emit(DealAgreed(deal.id, version.id))
    if whole and offer.request_id:  # the request is covered: the other quotes close
        await decline_open_quotes(uow, offer.request_id, REQUEST_AWARDED)
    return deal


async def _terms_of(uow: UnitOfWork, offer: Offer) -> dict[str, Any]:
    """What both parties agreed, as the first version of the deal's terms (a contract's with
    its schedule of call-offs, of which this deal is the first)."""
    listing = await _listing(uow, offer.listing_id)
    seller, buyer = await parties_for(uow, offer.seller_id, offer.buyer_id)
    price = Money(offer.price_minor, offer.currency)
    quantity = Decimal(offer.quantity_milli) / 1000
    schedule: dict[str, Any] = {"schedule": call_offs.frozen(
        offer.call_offs, offer.call_off_every or "", contracts.first_date(uow, offer), quantity,
        listing.unit)
    } if offer.call_offs else {}
    if offer.price_index:  # frozen in English, as the schedule's interval is
        schedule["price_index"] = call_offs.frozen_index(
            offer.price_index, Money(offer.index_premium_minor or 0, offer.currency))
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


# Built once, run on the transaction's connection: every deal agreed takes it. The session's
# row of the listing, when it holds one, is updated by hand (`_reserve`).
_LISTINGS = table_of(Listing)
_LEFT = _LISTINGS.c.quantity_milli - bindparam("l_milli")
_RESERVE = (update(_LISTINGS).where(
    _LISTINGS.c.id == bindparam("l_id"), _LISTINGS.c.status == ListingState.PUBLISHED.value,
    _LISTINGS.c.quantity_milli >= bindparam("l_milli"))
    .values(quantity_milli=_LEFT, updated_at=bindparam("l_at"),
            status=case((_LEFT == 0, ListingState.SOLD_OUT.value), else_=_LISTINGS.c.status))
    .returning(_LISTINGS.c.quantity_milli, _LISTINGS.c.status))
