"""The forms of a request for supply: the short one (what, how much, where) and the details the
preview offers to change, one group at a time in chat — delivery, the most paid, quality, how
long it is open, payment, how sellers answer (quotes, a sealed-bid tender, a reverse auction)
and who may among them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, MultiChoiceField, TextField
from conversations.flows.deals import offer_fields as of
from conversations.flows.market.amount_and_date_fields import DateField, PriceField, QuantityField
from conversations.flows.market.listing_fields import type_field
from conversations.forms import Form, Rule
from conversations.number_and_date_fields import DecimalField
from core.catalog.taxonomy import CERTIFICATIONS, UNITS, product
from core.deals import request_rules
from core.deals.requests import auction_rules
from core.deals.requests import service as supply_requests
from core.i18n import N_, _, present


def _unit_fits(values: dict[str, Any]) -> str | None:
    """The unit is one the product is traded in (pellets by the tonne, not by the litre)."""
    code, unit = values.get("product_type"), values.get("unit")
    if not code or not unit or unit in product(code).units:
        return None
    return _("{product} is requested in {units}.", product=_(product(code).label),
             units=", ".join(_(UNITS[u]) for u in product(code).units))


def short_form(product_type: str | None = None) -> Form:
    """What the request needs: the product, how much (in a unit it is traded in, once the
    product is known), and where it goes."""
    units = product(product_type).units if product_type else tuple(UNITS)
    return Form("request", N_("Ask for supply"), [
        type_field(),
        QuantityField("quantity", N_("Quantity needed"), minimum=Decimal("0.001"),
                      maximum=Decimal(10_000_000), places=3, units=units,
                      hint=N_("The amount and unit, e.g. “2000 t”.")),
        # Asked only once a quantity came without its unit, so the step count never shrinks.
        ChoiceField("unit", N_("Unit"), choices=[(u, UNITS[u]) for u in units],
                    when=lambda v: v.get("quantity") is not None and not v.get("unit")),
        TextField("place", N_("Delivered to"), max_length=120,
                  hint=N_("A town, port or plant."))],
        submit_label=N_("Preview"), rules=[Rule(("product_type", "quantity"),
                                                _unit_fits, fix="quantity")])


# What “Change details” offers, one group at a time in chat (a Slack modal shows them all).
GROUPS = {"delivery": (N_("Delivery"), ("incoterm", "delivery_from", "delivery_to")),
          "price": (N_("Highest price"), ("max_price", "max_price_mwh")),
          "quality": (N_("Quality"), ("q_moisture", "q_ash", "q_ncv", "certifications")),
          "open": (N_("Open for"), ("deadline_days",)),
          "payment": (N_("Payment"), ("payment_method",)),
          "how": (N_("How sellers answer"), ("mode", "max_price", "min_step", "extend_minutes",
                                            "deposit_pct", "reserve")),
          "who": (N_("Who may answer"), ("audience", "invite"))}


def details_form(today: date, currency: str, on_terms_methods: tuple[str, ...],
                 candidates: list[tuple[int, str]] | None = None, group: str = "") -> Form:
    """What the preview offers to change: Incoterm, window, the most paid, deadline, payment,
    how sellers answer, and who may (every matching seller, or those the buyer picks); only
    one `group` of them when named."""
    form = _all_details(today, currency, on_terms_methods, candidates)
    if group not in GROUPS:
        return form
    names = GROUPS[group][1]
    asked = {f.name for f in form.fields}
    return replace(form, fields=[form.field(n) for n in names if n in asked],
                   rules=[r for r in form.rules if set(r.fields) <= set(names)])


def _all_details(today: date, currency: str, on_terms_methods: tuple[str, ...],
                 candidates: list[tuple[int, str]] | None) -> Form:
    return Form("request_details", N_("Request details"), [
        ChoiceField("incoterm", N_("Incoterm"), choices=of.INCOTERMS),
        DateField("delivery_from", N_("Delivery from"), today=today, earliest=0, latest=730,
                  required=False),
        DateField("delivery_to", N_("Delivery by"), today=today, earliest=0, latest=730,
                  required=False),
        PriceField("max_price", N_("The most you pay per unit"), required=False,
                   minimum=Decimal("0.01"), maximum=Decimal(100_000_000), currency=currency,
                   hint=_("In {currency}, excluding VAT. Skip for no ceiling.",
                          currency=currency),
                   form_hint=_("In {currency}, excluding VAT. Leave it empty for no ceiling.",
                               currency=currency)),
        PriceField("max_price_mwh", N_("The most you pay per MWh"), required=False,
                   minimum=Decimal("0.01"), maximum=Decimal(100_000), currency=currency,
                   hint=_("In {currency}, excluding VAT, by each listing's energy content. "
                          "Skip for none.", currency=currency),
                   form_hint=_("In {currency}, excluding VAT, by each listing's energy content. "
                               "Leave it empty for none.", currency=currency)),
        *quality_fields(),
        ChoiceField("deadline_days", N_("Open for"),
                    choices=list(request_rules.DEADLINES.items())),
        ChoiceField("payment_method", N_("Payment"),
                    choices=of.payment_choices(on_terms_methods)),
        *bidding_fields(currency), *audience_fields(candidates or [])],
        submit_label=N_("Preview"), rules=[Rule(("delivery_from", "delivery_to"), of.window),
                                           Rule(("mode", "max_price"), _starting_price,
                                                fix="max_price"),
                                           Rule(("deposit_pct", "max_price"), _deposit_price,
                                                fix="max_price")])


def bidding_fields(currency: str) -> list[Any]:
    """How sellers answer: quotes, a sealed tender, or a reverse auction with its step, its
    extension and an optional hidden reserve."""
    return [
        ChoiceField("mode", N_("How sellers answer"), choices=list(auction_rules.MODES.items())),
        PriceField("min_step", N_("Minimum step under the best bid"), when=_auction,
                   minimum=Decimal("0.01"), maximum=Decimal(1_000_000), currency=currency,
                   hint=_("In {currency}, per unit, e.g. {example}.", currency=currency,
                          example=present.number(Decimal("0.10")))),
        ChoiceField("extend_minutes", N_("A bid in the last minutes extends it by"),
                    choices=list(EXTENSIONS.items()), when=_auction),
        ChoiceField("deposit_pct", N_("Bid deposit, of the lot at your highest price"),
                    choices=list(DEPOSITS.items()), when=_bidding),
        PriceField("reserve", N_("Your reserve, hidden from bidders"), required=False,
                   when=_bidding, minimum=Decimal("0.01"), maximum=Decimal(100_000_000),
                   currency=currency,
                   hint=_("The most you award at, per unit; above it nothing is awarded. "
                          "Skip for none."),
                   form_hint=_("The most you award at, per unit; above it nothing is awarded. "
                               "Leave it empty for none."))]


def quality_fields() -> list[Any]:
    """The quality a buyer may ask: moisture and ash at most, NCV at least, certifications."""
    return [
        DecimalField("q_moisture", N_("Moisture at most (%)"), required=False,
                     minimum=Decimal(0), maximum=Decimal(70), places=1),
        DecimalField("q_ash", N_("Ash at most (%)"), required=False, minimum=Decimal(0),
                     maximum=Decimal(40), places=2),
        DecimalField("q_ncv", N_("NCV at least (MJ/kg)"), required=False, minimum=Decimal(1),
                     maximum=Decimal(50), places=2),
        MultiChoiceField("certifications", N_("Certifications required"), required=False,
                         min_selected=0, choices=list(CERTIFICATIONS.items()))]


def audience_fields(candidates: list[tuple[int, str]]) -> list[Any]:
    """Open to every seller of the product, or private to sellers the buyer picks among the
    best matched (none to pick: no choice to offer)."""
    if not candidates:
        return []
    return [ChoiceField("audience", N_("Who may answer"), choices=list(AUDIENCES.items())),
            MultiChoiceField("invite", N_("Sellers to invite"), when=_private,
                             choices=[(str(i), name) for i, name in candidates],
                             max_selected=supply_requests.CHOSEN_AT_MOST)]


AUDIENCES = {"open": N_("Every seller of the product"), "private": N_("Only sellers I choose")}


def _private(values: dict[str, Any]) -> bool:
    return values.get("audience") == "private"


def _auction(values: dict[str, Any]) -> bool:
    return values.get("mode") == auction_rules.AUCTION


def _bidding(values: dict[str, Any]) -> bool:
    return values.get("mode") in auction_rules.BIDDING


DEPOSITS = {"0": N_("None"), "1": "1 %", "2": "2 %", "5": "5 %", "10": "10 %"}
EXTENSIONS = {"3": N_("3 minutes"), "5": N_("5 minutes"), "10": N_("10 minutes")}


def _deposit_price(values: dict[str, Any]) -> str | None:
    if values.get("mode") in auction_rules.BIDDING and str(values.get("deposit_pct") or "0") \
            != "0" and not values.get("max_price"):
        return _("A bid deposit is a share of the lot at your highest price: give the most you "
                 "pay per unit.")
    return None


def _starting_price(values: dict[str, Any]) -> str | None:
    if values.get("mode") == auction_rules.AUCTION and not values.get("max_price"):
        return _("A reverse auction starts from your highest price: give the most you pay "
                 "per unit.")
    return None
