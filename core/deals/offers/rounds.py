"""An offer's rounds as rows: a new open offer with its expiry timer, closing one by a
conditional update on its status (and every quote still open on a request that stops taking
them), and the listing an offer is on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.catalog.tables import Listing
from core.deals import call_offs, rules
from core.deals.events import OfferClosed, OfferMade
from core.deals.offers.facts import Terms
from core.deals.tables import Offer
from core.errors import Conflict, NotFound
from core.i18n import _
from core.process import timers
from core.process.deals import OFFER_PROCESS, OfferState
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork


async def decline_open_quotes(uow: UnitOfWork, request_id: int, reason: str) -> None:
    """Close every quote (and counter) still open on a request that stops taking them —
    awarded in full, closed by its buyer, cancelled — with the reason their notices give."""
    for offer in list((await uow.session.execute(select(Offer).where(
            Offer.request_id == request_id, Offer.status == OfferState.OPEN))).scalars()):
        await _moved(uow, offer, "declined", reason)


def drafted(listing: Listing, buyer_id: int, made_by: str, terms: Terms, previous: int | None,
            request_id: int | None, now: datetime) -> Offer:
    """A new open offer on `listing`, its terms checked against it (`_check_terms`), expiring
    when they say or after the offer process's timer; not kept yet."""
    milli = _check_terms(listing, terms)
    call_offs.check_indexed(terms.price_index, terms.call_offs, listing.product_type,
                            listing.unit, terms.price.currency)
    expires = now + (terms.expires_in or OFFER_PROCESS.timers_in("open")[0].after)
    return Offer(listing_id=listing.id, buyer_id=buyer_id, seller_id=listing.seller_id,
                 made_by=made_by, status=OFFER_PROCESS.initial, quantity_milli=milli,
                 price_minor=terms.price.amount, currency=terms.price.currency,
                 incoterm=terms.incoterm, place=terms.place, delivery_from=terms.delivery_from,
                 delivery_to=terms.delivery_to, payment_method=terms.payment_method,
                 call_offs=terms.call_offs,
                 call_off_every=terms.call_off_every if terms.call_offs else None,
                 price_index=terms.price_index or None,
                 index_premium_minor=(terms.index_premium.amount if terms.index_premium else 0)
                 if terms.price_index else None,
                 previous_id=previous, request_id=request_id, expires_at=expires,
                 created_at=now)


async def _put(uow: UnitOfWork, offer: Offer) -> None:
    """Keep a new offer, its expiry timer running; `OfferMade` goes out."""
    await uow.insert(offer)
    timers.start(uow, OFFER_PROCESS, offer.id, offer.status, due={"expire-offer": offer.expires_at})
    uow.emit(OfferMade(offer.id))


def _check_terms(listing: Listing, terms: Terms) -> int:
    """The quantity in thousandths, by the offer's rules against this listing."""
    return rules.checked_terms(listing.currency, listing.min_order_milli, listing.quantity_milli,
                               terms.quantity, terms.price, terms.payment_method,
                               terms.delivery_from, terms.delivery_to, terms.expires_in,
                               terms.call_offs, terms.call_off_every)


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


# Built once, run on the transaction's connection: every offer answered takes it. The session's
# row is updated by hand (`_moved`).
_OFFERS = table_of(Offer)
_DECIDE = (update(_OFFERS).where(_OFFERS.c.id == bindparam("o_id"),
                                 _OFFERS.c.status == OfferState.OPEN.value)
           .values(status=bindparam("o_to"), decided_at=bindparam("o_at"),
                   reason=bindparam("o_reason")))
