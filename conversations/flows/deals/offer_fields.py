"""The offer form: quantity and price asked first (each with a one-tap default), the rest
offered on the preview; Slack shows every field in one modal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, Field, FieldError, Raw, TextField
from conversations.flows.market.amount_and_date_fields import AmountOfField, DateField
from conversations.forms import Form, Rule
from conversations.number_and_date_fields import DecimalField, IntegerField
from core.catalog.listing_card import ListingCard
from core.deals.call_offs import EVERY, MOST
from core.deals.offers.facts import Terms
from core.deals.offers.service import listed_delivery
from core.deals.rules import PAYMENT_METHODS, checked_quantity
from core.errors import DomainError
from core.i18n import N_, _, present
from core.indices.definitions import INDICES
from core.money.model import Money, exponent

INCOTERMS = [("EXW", N_("EXW — buyer collects")), ("FCA", N_("FCA — handed to buyer's carrier")),
             ("DAP", N_("DAP — delivered to the place")), ("CIF", N_("CIF — by sea, insured")),
             ("pickup", N_("Pickup"))]
EXPIRY = [("24", N_("24 hours")), ("48", N_("48 hours")), ("168", N_("7 days"))]


def facts(card: ListingCard) -> dict[str, Any]:
    """What the offer form needs of the listing, kept with the conversation (JSON)."""
    return {"unit": card.unit, "currency": card.price.currency,
            "least": str(card.min_order or Decimal("0.001")), "stock": str(card.quantity),
            "product": card.product}


@dataclass
class OfferQuantityField(AmountOfField):
    """A quantity of the listing's unit (“20”, “20 t”, “20t”, “20 tonnes”), within the minimum
    order and the stock by the offer's own rule in core."""

    least_milli: int = 0
    stock_milli: int = 0

    def parse_raw(self, raw: Raw) -> str:
        value = Decimal(super().parse_raw(raw))
        try:
            checked_quantity(value, self.least_milli, self.stock_milli)
        except DomainError as exc:
            raise FieldError(str(exc)) from None
        return str(value)


def quantity_field(known: dict[str, Any]) -> Field:
    unit = present.unit_word(known["unit"])
    least, stock = Decimal(known["least"]), Decimal(known["stock"])
    # The bounds any number is checked against are the ones the hint names, so "-3" is
    # refused with the same "between" the person was told.
    return OfferQuantityField(
        "quantity", _("Quantity ({unit})", unit=unit), places=3, unit=known["unit"],
        minimum=least, maximum=stock,
        least_milli=int(least * 1000), stock_milli=int(stock * 1000),
        hint=_("Between {least} and {stock} {unit}.", least=present.number(least.normalize()),
               stock=present.number(stock.normalize()), unit=unit))


def price_field(known: dict[str, Any]) -> Field:
    unit = present.unit_word(known["unit"])
    return DecimalField("price", _("Price per {unit} ({currency})", unit=unit, currency=known["currency"]),
                        places=exponent(known["currency"]), minimum=Decimal("0.01"))


def payment_choices(on_terms: Iterable[str] = (), accepted: Iterable[str] = ()
                    ) -> list[tuple[str, str]]:
    """Escrow and direct payment, and the payment on terms this buyer's company may use — of
    them, those the seller takes (`accepted`: core.deals.accepted; empty: all of them)."""
    allowed = {"escrow", "direct", *on_terms}
    taken = set(accepted)
    if taken and allowed & taken:  # none of them left: every one, and core says why on sending
        allowed &= taken
    return [(key, label) for key, label in PAYMENT_METHODS.items() if key in allowed]


def detail_fields(today: date, on_terms: Iterable[str] = (),
                  accepted: Iterable[str] = ()) -> list[Field]:
    """What the preview offers to change: Incoterm and place, delivery window, payment (on
    terms where the buyer's company may; the ways the seller takes), expiry."""
    return [ChoiceField("incoterm", N_("Incoterm"), choices=INCOTERMS),
            TextField("place", N_("Incoterm place"), max_length=120, required=False,
                      hint=N_("A town, port or terminal.")),
            DateField("delivery_from", N_("Delivery from"), today=today, earliest=0, latest=730),
            DateField("delivery_to", N_("Delivery by"), today=today, earliest=0, latest=730),
            ChoiceField("payment_method", N_("Payment"),
                        choices=payment_choices(on_terms, accepted)),
            ChoiceField("expires", N_("The offer stays open for"), choices=EXPIRY)]


def usual_payment(values: dict[str, Any], on_terms: Iterable[str] = (),
                  accepted: Iterable[str] = ()) -> dict[str, Any]:
    """The offer's answers with a way to pay the seller takes (the first offered, when the
    buyer's usual one is not)."""
    offered = [key for key, __ in payment_choices(on_terms, accepted)]
    if offered and values.get("payment_method", "escrow") not in offered:
        return {**values, "payment_method": offered[0]}
    return values


def _contract(values: dict[str, Any]) -> bool:
    return int(values.get("call_offs") or 1) > 1


def _follows_index(values: dict[str, Any]) -> bool:
    return values.get("price_index") not in (None, "", FIXED)


def _indexed(values: dict[str, Any]) -> bool:
    return _contract(values) and _follows_index(values)


FIXED = "fixed"  # the price index field's answer for a price that does not follow an index


def index_of(values: dict[str, Any], currency: str) -> tuple[str, Money] | None:
    """The index a contract's answers follow, and the premium per tonne (None: fixed)."""
    if not _indexed(values):
        return None
    return str(values["price_index"]), Money.parse(str(values.get("index_premium") or "0"),
                                                   currency)


def indices_for(known: dict[str, Any]) -> list[tuple[str, str]]:
    """The price indices that price the listing's goods (its product, by the tonne, in its
    currency), as (code, name)."""
    return [(i.code, i.name()) for i in INDICES.values()
            if i.product_type == known.get("product") and known.get("unit") == "t"
            and known.get("currency") == i.currency]


def index_form(known: dict[str, Any]) -> Form:
    """A contract's price: fixed, or indexed with a premium per tonne over the index."""
    return Form("offer_index", N_("Index the price"), [
        ChoiceField("price_index", N_("Price"),
                    choices=[(FIXED, N_("Fixed")), *indices_for(known)],
                    hint=_("Fixed, or a weekly Agora price index: each call-off at its latest "
                           "published week plus your premium (the price above until one is "
                           "published).")),
            DecimalField("index_premium", _("Premium per tonne over the index ({currency})",
                                            currency=known.get("currency") or ""),
                         minimum=-PREMIUM_MOST, maximum=PREMIUM_MOST, when=_follows_index,
                         hint=_("Added to the index's value; negative for a discount."))],
        submit_label=N_("Preview"))


PREMIUM_MOST = Decimal(1000)


def call_off_form() -> Form:
    """Deliver in call-offs: how many deliveries of the quantity, and how often (1: one
    delivery, no contract)."""
    return Form("offer_call_offs", N_("Deliver in call-offs"), [
        IntegerField("call_offs", N_("Number of call-offs"), minimum=1, maximum=MOST,
                     hint=_("The quantity is delivered this many times (1 to {most}); "
                            "1 is a single delivery.", most=MOST)),
        ChoiceField("call_off_every", N_("How often"), choices=list(EVERY.items()),
                    when=_contract)],
        submit_label=N_("Preview"))


def window(values: dict[str, Any]) -> str | None:
    start, end = values.get("delivery_from"), values.get("delivery_to")
    if start and end and end < start:
        return _("The delivery window ends before it starts: choose a later date.")
    return None


def short_form(known: dict[str, Any], fixed_price: bool) -> Form:
    """Asked one by one: the quantity, and the price unless it is a fixed-price purchase."""
    fields = [quantity_field(known)] + ([] if fixed_price else [price_field(known)])
    return Form("offer", N_("Your offer"), fields, submit_label=N_("Preview"))


def details_form(today: date, on_terms: Iterable[str] = (),
                 accepted: Iterable[str] = ()) -> Form:
    return Form("offer_details", N_("Offer details"), detail_fields(today, on_terms, accepted),
                submit_label=N_("Preview"),
                rules=[Rule(("delivery_from", "delivery_to"), window)])


def whole_form(known: dict[str, Any], fixed_price: bool, today: date,
               on_terms: Iterable[str] = (), accepted: Iterable[str] = ()) -> Form:
    """Everything at once (a Slack modal)."""
    return Form("offer_all", N_("Your offer"), [*short_form(known, fixed_price).fields,
                                                *detail_fields(today, on_terms, accepted)],
                submit_label=N_("Preview"),
                rules=[Rule(("delivery_from", "delivery_to"), window)])


def defaults(card: ListingCard, today: date, usual: Terms | None) -> dict[str, Any]:
    """The listed price, the minimum order, the buyer's usual Incoterm and place (from their
    last offer) or the listing's, delivery within 30 days, escrow, 48 hours."""
    # The minimum order, or one unit: never the whole stock, which one tap would offer.
    least = min(card.min_order or Decimal(1), card.quantity)
    start = max(card.available_from, today)
    listed = [d for d in card.delivery if d in dict(INCOTERMS)]
    if usual is not None and not listed_delivery(card, usual.incoterm, usual.place):
        usual = None  # the buyer's habit, where this listing offers it; else its own terms
    return {"quantity": f"{least.normalize():f}", "price": str(card.price.decimal),
            "incoterm": (usual and usual.incoterm) or (listed[0] if listed else "EXW"),
            "place": (usual and usual.place) or card.incoterm_place or card.city,
            "delivery_from": start.isoformat(),
            "delivery_to": (start + timedelta(days=30)).isoformat(),
            "payment_method": "escrow", "expires": "48"}


def from_terms(terms: Terms) -> dict[str, Any]:
    """A counter-offer's form starts from the offer it answers."""
    return {"quantity": f"{terms.quantity.normalize():f}", "price": str(terms.price.decimal),
            "incoterm": terms.incoterm or "EXW", "place": terms.place,
            "delivery_from": terms.delivery_from.isoformat() if terms.delivery_from else None,
            "delivery_to": terms.delivery_to.isoformat() if terms.delivery_to else None,
            "payment_method": terms.payment_method, "expires": "48",
            "call_offs": terms.call_offs or 1, "call_off_every": terms.call_off_every or "month",
            "price_index": terms.price_index or FIXED,
            "index_premium": str(terms.index_premium.decimal) if terms.index_premium else None}


def to_terms(values: dict[str, Any], currency: str) -> Terms:
    """The form's answers as the offer's terms."""
    def day(key: str) -> date | None:
        return date.fromisoformat(values[key]) if values.get(key) else None

    count = int(values.get("call_offs") or 1)
    indexed, premium = index_of(values, currency) or (None, None)
    return Terms(Decimal(str(values["quantity"])), Money.parse(str(values["price"]), currency),
                 values.get("incoterm"), values.get("place"), day("delivery_from"),
                 day("delivery_to"), values.get("payment_method") or "escrow",
                 timedelta(hours=int(values.get("expires") or 48)),
                 call_offs=count if count > 1 else None,
                 call_off_every=(values.get("call_off_every") or "month") if count > 1 else None,
                 price_index=indexed, index_premium=premium)
