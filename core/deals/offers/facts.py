"""What an offer proposes and how it reads: its `Terms`, the read model flows and cards get
(`OfferFacts`), what changed between two rounds, and its payment in people's words."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.deals import rules
from core.deals.rules import PAYMENT_METHODS
from core.deals.tables import Offer
from core.i18n import N_, _, present
from core.money.model import Money

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
    # …priced from a price index plus a premium per tonne (core.deals.index_pricing); `price`
    # is then the agreed price a call-off falls back to while the index has published nothing.
    price_index: str | None = None
    index_premium: Money | None = None


def terms_of_offer(offer: Offer) -> Terms:
    """An offer's terms, as a counter-offer's form starts from them."""
    return Terms(Decimal(offer.quantity_milli) / 1000, Money(offer.price_minor, offer.currency),
                 offer.incoterm, offer.place, offer.delivery_from, offer.delivery_to,
                 offer.payment_method, call_offs=offer.call_offs,
                 call_off_every=offer.call_off_every, price_index=offer.price_index,
                 index_premium=Money(offer.index_premium_minor or 0, offer.currency)
                 if offer.price_index else None)


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
