"""Quality against the frozen terms: measured values outside their tolerance cost what the
terms say per unit of deviation, times the quantity — never below zero."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.money.model import Money, exponent


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
    return [Spec(str(s["name"]), Decimal(str(s["limit"])), bool(s["is_maximum"]),
                 Money(int(s["penalty_minor"]), currency))
            for s in terms.get("quality") or [] if isinstance(s, dict)]  # type: ignore[union-attr]


def shortfall(agreed: Decimal, delivered: Decimal, tolerance_percent: Decimal,
              unit_price: Money) -> Money:
    """What is owed back for goods missing beyond the tolerance (never negative)."""
    floor = agreed * (1 - tolerance_percent.scaleb(-2))  # a percentage as a fraction
    missing = max(floor - delivered, Decimal(0))
    minor = (unit_price.decimal * missing).scaleb(exponent(unit_price.currency))
    return Money(int(minor.quantize(Decimal(1), ROUND_HALF_UP)), unit_price.currency)
