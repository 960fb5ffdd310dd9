"""The deal's rules, on plain values (no database): what an offer and a deal cost, which
quantities and terms an offer may ask, and quality against the frozen terms — measured values
outside their tolerance cost what the terms say per unit of deviation, times the quantity, never
below zero. Services load, call these and store; the offer form asks by them too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.deals import call_offs, pay_terms
from core.errors import DomainError
from core.i18n import N_, _, present
from core.money.model import Money, exponent


class ShipmentStatus(StrEnum):
    """A shipment's latest status (`Shipment.status`), as its seller gives it."""

    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    DELIVERED = "delivered"


PAYMENT_METHODS = {"escrow": N_("Escrow through Agora"),
                   "direct": N_("Arranged directly between the parties (nothing held)"),
                   **pay_terms.METHODS}  # on terms: for a buyer whose company may (on_terms)
# How long an offer (or counter-offer) stays open for the other side to answer.
SHORTEST_OPEN = timedelta(hours=1)
LONGEST_OPEN = timedelta(days=14)


# --- totals -----------------------------------------------------------------------------------


def line_total(price: Money, quantity_milli: int) -> Money:
    """A price per unit times a quantity in thousandths, rounded half up to the minor unit:
    the one rule for an offer's preview, its card and the deal it becomes."""
    minor = (Decimal(price.amount) * Decimal(quantity_milli) / 1000).quantize(
        Decimal(1), ROUND_HALF_UP)
    return Money(int(minor), price.currency)


def contract_total(price: Money, quantity_milli: int, call_offs_count: int) -> Money:
    """A framework contract in all: each call-off's total (rounded as one deal), that many times."""
    each = line_total(price, quantity_milli)
    return Money(each.amount * call_offs_count, each.currency)


# --- what an offer may ask ----------------------------------------------------------------------


def checked_quantity(quantity: Decimal, least_milli: int | None, stock_milli: int) -> int:
    """The quantity in thousandths if an offer may ask for it: positive, at most 3 decimals,
    at least the minimum order and at most the stock (the form asks by this rule too)."""
    milli = int(quantity * 1000)
    if milli <= 0 or milli != quantity * 1000:
        raise DomainError(_("The quantity must be a positive amount, at most 3 decimals."))
    if least_milli and milli < least_milli:
        raise DomainError(_("The minimum order is {quantity}.",
                            quantity=present.number(present.thousandths(least_milli))))
    if milli > stock_milli:
        raise DomainError(_("Only {quantity} are available.",
                            quantity=present.number(present.thousandths(stock_milli))))
    return milli


def checked_terms(listing_currency: str, least_milli: int | None, stock_milli: int,
                  quantity: Decimal, price: Money, payment_method: str,
                  delivery_from: date | None, delivery_to: date | None,
                  expires_in: timedelta | None, count: int | None, every: str | None) -> int:
    """The quantity in thousandths if an offer's (or counter-offer's) terms may stand: a
    positive price in the listing's currency, a known payment, a window that ends after it
    starts, open 1 hour to 14 days, the quantity within the minimum order and the stock, and a
    contract's call-offs in all within the stock too."""
    if price.currency != listing_currency:
        raise DomainError(_("Offers on this listing are in {listing_currency}.",
                            listing_currency=listing_currency))
    if price.amount <= 0:
        raise DomainError(_("The price must be more than zero."))
    if payment_method not in PAYMENT_METHODS:
        raise DomainError(_("Choose escrow or arranging payment directly."))
    if count and pay_terms.net_days(payment_method):
        raise DomainError(_("A contract's call-offs are paid into escrow; payment on terms is "
                            "for a single delivery."))
    if delivery_from and delivery_to and delivery_to < delivery_from:
        raise DomainError(_("The delivery window ends before it starts."))
    if expires_in is not None and not SHORTEST_OPEN <= expires_in <= LONGEST_OPEN:
        raise DomainError(_("An offer stays open between 1 hour and 14 days."))
    milli = checked_quantity(quantity, least_milli, stock_milli)
    call_offs.check(count, every)
    if count and milli * count > stock_milli:
        raise DomainError(_("Only {quantity} are available: "
                            "{count} call-offs of {each} need "
                            "{total}.", quantity=present.number(present.thousandths(stock_milli)),
                            count=count, each=present.number(quantity.normalize()),
                            total=present.number((quantity * count).normalize())))
    return milli


# --- quality and quantity tolerance -------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One agreed limit: `limit` is a maximum (moisture ≤ 10) or a minimum (NCV ≥ 16.5), and each
    unit of deviation beyond it costs `penalty` per unit of goods."""

    name: str
    limit: Decimal
    is_maximum: bool
    penalty: Money  # per unit of deviation, per unit of goods


def deviation(spec: Spec, measured: Decimal) -> Decimal:
    """How far past the limit the measured value is (0 within tolerance)."""
    beyond = measured - spec.limit if spec.is_maximum else spec.limit - measured
    return max(beyond, Decimal(0))


def adjustment(specs: list[Spec], measured: dict[str, Decimal], quantity: Decimal,
               currency: str) -> Money:
    """The price reduction the measured values call for: the sum of deviation * penalty * quantity,
    rounded to the currency's minor unit, never negative."""
    cost = sum((spec.penalty.decimal * deviation(spec, measured[spec.name]) * quantity
                for spec in specs if spec.name in measured), Decimal(0))
    minor = cost.scaleb(exponent(currency)).quantize(Decimal(1), ROUND_HALF_UP)
    return Money(int(minor), currency)


QUANTITY_TOLERANCE_PERCENT = Decimal(5)  # delivered quantity may differ by ± this much
# Default limits from the listing's specs, and what each unit of deviation costs, as a share of
# the unit price per unit of goods: a point of moisture over the limit 2 %, of ash 3 %, a MJ/kg
# of NCV under it 2 % (agreed in the frozen terms; a change is a new version).
_DEFAULTS = {"moisture": (True, Decimal("0.02")), "ash": (True, Decimal("0.03")),
             "ncv": (False, Decimal("0.02"))}


def default_specs(listing_specs: dict[str, object], unit_price: Money) -> list[dict[str, object]]:
    """The quality specification a deal freezes: the listing's stated values as limits."""
    specs = []
    for name, (is_maximum, share) in _DEFAULTS.items():
        value = listing_specs.get(name)
        if value in (None, ""):
            continue
        penalty = (unit_price.decimal * share).scaleb(exponent(unit_price.currency))
        specs.append({"name": name, "limit": str(value), "is_maximum": is_maximum,
                      "penalty_minor": int(penalty.quantize(Decimal(1), ROUND_HALF_UP))})
    return specs


def specs_of(terms: dict[str, object], currency: str) -> list[Spec]:
    """The frozen terms' quality specification as `Spec`s."""
    quality = terms.get("quality") or []
    assert isinstance(quality, Iterable)  # the frozen JSON's list of specs
    return [Spec(str(s["name"]), Decimal(str(s["limit"])), bool(s["is_maximum"]),
                 Money(int(s["penalty_minor"]), currency))
            for s in quality if isinstance(s, dict)]


def shortfall(agreed: Decimal, delivered: Decimal, tolerance_percent: Decimal,
              unit_price: Money) -> Money:
    """What is owed back for goods missing beyond the tolerance (never negative)."""
    floor = agreed * (1 - tolerance_percent.scaleb(-2))  # a percentage as a fraction
    missing = max(floor - delivered, Decimal(0))
    minor = (unit_price.decimal * missing).scaleb(exponent(unit_price.currency))
    return Money(int(minor.quantize(Decimal(1), ROUND_HALF_UP)), unit_price.currency)


def price_adjustment(specs: list[Spec], measured: dict[str, Decimal], agreed: Decimal,
                     arrived: Decimal, tolerance_percent: Decimal, unit_price: Money,
                     deal_total: Money) -> Money:
    """What a quality report takes off the deal: quality beyond the limits on what arrived,
    plus goods missing beyond the tolerance — never negative, and always less than the total."""
    cost = adjustment(specs, measured, arrived, unit_price.currency)
    cost = cost + shortfall(agreed, arrived, tolerance_percent, unit_price)
    return Money(max(min(cost.amount, deal_total.amount - 1), 0), unit_price.currency)
