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
