"""A listing as one buyer may offer on it, for the faces that take the whole offer form at once
(the Mini App's offer screen, the API): whether its price is fixed, the chat's whole offer form
and the answers it starts from — the buyer's usual terms, the on-terms methods their company
may use, the ways the seller takes payment — and the answers checked as the chat checks them.
An offer as its other party may counter it (`countering`) is the same form, started from the
offer's terms, as the chat's counter-offer starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.fields import Raw
from conversations.flows.deals import offer_fields as of
from conversations.forms import Form
from core.catalog.listing_card import ListingCard, viewable_card
from core.deals import on_terms
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.errors import DomainError
from core.i18n import _
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Offering:
    """A listing as this buyer may offer on it: whether its price is fixed, the chat's whole
    offer form and its defaults."""

    listing: ListingCard
    fixed: bool
    form: Form
    start: dict[str, Any]

    def checked(self, raw: dict[str, Raw]) -> tuple[dict[str, Any], dict[str, str]]:
        """The answers over the defaults, checked by the form (the errors by field); a
        fixed-price purchase is at the listed price."""
        values, errors = self.form.validate_all(raw)
        values = {**self.start,
                  **{k: v for k, v in values.items() if v is not None or k == "place"}}
        if self.fixed:
            values["price"] = str(self.listing.price.decimal)
        return values, errors

    def terms(self, values: dict[str, Any]) -> Terms:
        return of.to_terms(values, self.listing.price.currency)


async def offering(uow: UnitOfWork, listing_id: int, buyer_id: int, buying: bool,
                   today: date) -> Offering:
    """The offering of a listing this buyer may see (NotFound otherwise; their own refused);
    `buying`: Buy now at the listed price, as is any offer on a listing not negotiable."""
    listing = await viewable_card(uow, listing_id, buyer_id)
    if listing.seller_id == buyer_id:
        raise DomainError(_("That is your own listing."))
    usual = await offers.usual_terms(uow, buyer_id)
    methods = await on_terms.methods_for(uow, buyer_id)
    takes = await offers.seller_takes(uow, listing.seller_id)
    fixed = buying or not listing.negotiable
    return Offering(listing, fixed,
                    of.whole_form(of.facts(listing), fixed, today, list(methods), takes),
                    of.usual_payment(of.defaults(listing, today, usual), methods, takes))


async def countering(uow: UnitOfWork, offer_id: int, actor_id: int, today: date) -> Offering:
    """An offer as one of its parties may counter it: the chat's whole offer form on its
    listing, started from the offer's terms (a contract's call-offs and index kept), with the
    on-terms methods of the buyer's company and the ways the seller takes payment. Who may
    counter, and when, core decides as the counter-offer is made (core.deals.offers)."""
    offer, __ = await offers.summary(uow, offer_id, actor_id)
    listing = await viewable_card(uow, offer.listing_id, actor_id)
    methods = await on_terms.methods_for(uow, offer.buyer_id)
    takes = await offers.seller_takes(uow, listing.seller_id)
    return Offering(listing, False,
                    of.whole_form(of.facts(listing), False, today, list(methods), takes),
                    of.usual_payment(of.from_terms(offer.terms), methods, takes))
